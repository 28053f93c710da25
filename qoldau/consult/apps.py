from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultConfig(AppConfig):
    """Consultations: the knowledge base of topics, the answering engine, conversations and the
    hand-off queue to consultants."""

    name = "qoldau.consult"
    label = "consult"
    verbose_name = _("Consultations")
