from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "qoldau.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.urls import register_converter

        # Registers the SQLite function behind case-insensitive search in any script.
        from qoldau.core import database_files, search  # noqa: F401
        from qoldau.core.bounds import IdConverter
        from qoldau.core.images import limit_pillow

        limit_pillow()
        # Pages take record ids as <id:...>: registered before any app's routes are read.
        register_converter(IdConverter, "id")
