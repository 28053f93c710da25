"""Conversations with the consultation assistant, on the web or in Telegram, and their hand-off
to a consultant of the NGO whose assistant it is."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qoldau.core.crypto import EncryptedTextField
from qoldau.core.models import Organisation, Place


class Conversation(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("Web chat")
        TELEGRAM = "telegram", _("Telegram")

    class Status(models.TextChoices):
        BOT = "bot", _("With the assistant")
        WAITING = "waiting", _("Waiting for a consultant")
        WITH_CONSULTANT = "with_consultant", _("With a consultant")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("Resolved")
        REFERRED = "referred", _("Referred elsewhere")
        NO_ANSWER = "no_answer", _("No answer found")

    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # The web session key or the Telegram chat id.
    channel_key = models.CharField(_("channel key"), max_length=64)
    language = models.CharField(_("language"), max_length=2, default="kk")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.BOT)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    handed_off_at = models.DateTimeField(_("handed off at"), null=True, blank=True)
    # Where and about what the person needs a consultant: what the hand-off was routed by.
    region = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        limit_choices_to={"level": Place.Level.REGION},
    )
    topic = models.CharField(_("topic"), max_length=64, blank=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    # The consultant's first reply: the hand-off's time to first reply counts to it.
    first_reply_at = models.DateTimeField(_("first reply at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "channel_key"],
                condition=~Q(status="closed"),
                name="conversation_one_open_per_channel_key",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="conversation_queue")]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def polls(self) -> bool:
        """Does the person's page wait for a consultant's reply?"""
        return self.status in {self.Status.WAITING, self.Status.WITH_CONSULTANT}


class Coverage(models.Model):
    """An organisation answers the consultations of a region, of a topic, or both (a blank
    region or topic covers every one). The hand-off goes to the most specific coverage
    (`services.handoff_organisation`)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="consultation_coverage",
        verbose_name=_("organisation"),
    )
    region = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        limit_choices_to={"level": Place.Level.REGION},
        help_text=_("Leave empty when the organisation answers people of every region."),
    )
    # A topic of the knowledge base ("benefit.disability") or its first part ("benefit").
    topic = models.CharField(
        _("topic"),
        max_length=64,
        blank=True,
        help_text=_(
            "A topic such as benefit.disability, or its first part (benefit); empty for every topic."
        ),
    )

    class Meta:
        verbose_name = _("consultation coverage")
        verbose_name_plural = _("consultation coverage")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.region_id or '*'} {self.topic or '*'}"


class Message(models.Model):
    class Sender(models.TextChoices):
        PERSON = "person", _("Person")
        BOT = "bot", _("Assistant")
        CONSULTANT = "consultant", _("Consultant")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(_("sender"), max_length=16, choices=Sender.choices)
    # Messages may hold personal data: encrypted at rest.
    text = EncryptedTextField(_("text"))
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    # The sources and alternatives of a bot answer, as the page shows them.
    extra = models.JSONField(_("answer details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Outbound messages a channel still has to deliver (the Telegram bot reads these).
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.sender} #{self.pk}"

    @property
    def paragraphs(self) -> list[str]:
        """The text's lines for a page, without the Markdown bold markers the answers use."""
        return [line.replace("**", "").strip() for line in (self.text or "").splitlines() if line.strip()]


class Article(models.Model):
    """A knowledge-base article: one consultation topic in Kazakh, Russian and English, with
    its sources. Loaded from `knowledge/articles/` on migration; consultants edit it in the
    admin, every edit kept as an `ArticleRevision`. Yearly amounts stay placeholders such as
    {mci}, filled from dated data when answering."""

    topic = models.CharField(_("topic"), max_length=64, unique=True)
    last_reviewed = models.DateField(_("last reviewed"))
    uncertain = models.BooleanField(
        _("a fact could not be confirmed"),
        default=False,
        help_text=_("The text then says so and names the authority to ask."),
    )
    title_kk = models.CharField(_("title (Kazakh)"), max_length=200)
    title_ru = models.CharField(_("title (Russian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    summary_kk = models.TextField(_("summary (Kazakh)"))
    summary_ru = models.TextField(_("summary (Russian)"))
    summary_en = models.TextField(_("summary (English)"))
    body_kk = models.TextField(_("answer (Kazakh)"))
    body_ru = models.TextField(_("answer (Russian)"))
    body_en = models.TextField(_("answer (English)"))
    keywords_kk = models.TextField(_("words people use (Kazakh), one per line"), blank=True)
    keywords_ru = models.TextField(_("words people use (Russian), one per line"), blank=True)
    keywords_en = models.TextField(_("words people use (English), one per line"), blank=True)
    sources = models.JSONField(
        _("sources"),
        default=list,
        help_text=_('A list of {"title_kk", "title_ru", "title_en", "reference", "url"}.'),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["topic"]

    def __str__(self) -> str:
        return f"{self.topic}: {self.title_kk}"


class ArticleRevision(models.Model):
    """An article as it was before one edit (who, when): the article's history."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    content = models.JSONField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["article", "version"], name="article_revision_unique")]

    def __str__(self) -> str:
        return f"{self.article.topic} v{self.version}"
