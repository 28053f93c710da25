from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "qoldau.portal"
    label = "portal"
    verbose_name = _("Pages that compose several apps")
