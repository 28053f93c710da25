from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """The `qoldau` console commands that compose the other apps (serve, demo, import,
    token). Like the bot and the dashboard, it owns no business rules."""

    name = "qoldau.console"
    label = "console"
