from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterpretingConfig(AppConfig):
    name = "qoldau.interpreting"
    label = "interpreting"
    verbose_name = _("Sign-language interpreting")

    def ready(self) -> None:
        # The video call's rooms admit a session's two parties only; core's real-time
        # machinery learns that here, in every process (web, worker, command).
        from qoldau.interpreting.rooms import register

        register()
