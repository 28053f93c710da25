from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "qoldau.jobs"
    label = "jobs"
    verbose_name = _("Employment")

    def ready(self) -> None:
        # Vacancies and staff reports are imported with the imports app's machinery,
        # which learns their columns and error reasons here, in every process (web,
        # worker, command).
        from qoldau.jobs.imports import register

        register()
