from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "qoldau.access"
    label = "access"
    verbose_name = _("Accessibility of infrastructure")

    def ready(self) -> None:
        # Objects are imported with the imports app's machinery, which learns their
        # columns and error reasons here, in every process (web, worker, command).
        from qoldau.access.imports import register

        register()
