from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultConfig(AppConfig):
    """Consultations: the knowledge base of topics, the answering engine, conversations and the
    hand-off queue to consultants."""

    name = "qoldau.consult"
    label = "consult"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        # The answering engine reads the articles consultants edit, not the files.
        from qoldau.consult.engine.index import use_articles
        from qoldau.consult.selectors import knowledge_articles, knowledge_version

        use_articles(knowledge_version, knowledge_articles)
