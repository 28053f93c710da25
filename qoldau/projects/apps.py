from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "qoldau.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from qoldau.core.signals import person_identity_moved
        from qoldau.projects.services import participations_follow_identity

        # Deliveries and attendance carry their person's identity for counting; core
        # cannot reach them, so it says when a record's identity moves.
        person_identity_moved.connect(
            participations_follow_identity, dispatch_uid="participations_follow_identity"
        )
