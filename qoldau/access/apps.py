from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "qoldau.access"
    label = "access"
    verbose_name = _("Accessibility of infrastructure")

    def ready(self) -> None:
        # Objects are imported with the imports app's machinery, which learns their
        # columns and error reasons here, in every process (web, worker, command).
        from django.db.models.signals import post_delete

        from qoldau.access.imports import register
        from qoldau.access.map import object_deleted
        from qoldau.access.models import AccessObject

        register()
        # The map's cached data is keyed on a stamp that creating and saving move by
        # themselves; a deletion moves it through this receiver.
        post_delete.connect(object_deleted, sender=AccessObject, dispatch_uid="access_object_deleted")
