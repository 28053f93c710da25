from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "qoldau.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Registers the SQLite function behind case-insensitive search in any script.
        from qoldau.core import database_files, search  # noqa: F401
        from qoldau.core.images import limit_pillow

        limit_pillow()
