from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BotConfig(AppConfig):
    """The Telegram bot: the consultation assistant and the consultants' replies in Telegram."""

    name = "qoldau.bot"
    label = "bot"
    verbose_name = _("Telegram bot")
