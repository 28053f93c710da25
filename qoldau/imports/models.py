"""What was imported: one row per file written, for the history list and to recognise a
file that was already imported."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qoldau.core.models import Organisation, Place
from qoldau.projects.models import Project


class ImportKind(models.TextChoices):
    PEOPLE = "people", _("People")
    DELIVERIES = "deliveries", _("Service deliveries")
    OBJECTS = "objects", _("Infrastructure objects")


class ImportRun(models.Model):
    """One file written by an import (dry runs leave no row). Written in the import's own
    transaction, so a run killed half-way leaves neither its rows nor this record."""

    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    file_sha256 = models.CharField(_("file checksum (SHA-256)"), max_length=64)
    file_name = models.CharField(_("file name"), max_length=255)
    # People and deliveries are imported into an organisation; objects into a region.
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    region = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    project = models.ForeignKey(
        Project,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("project"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    people_created = models.PositiveIntegerField(_("people registered"), default=0)
    people_linked = models.PositiveIntegerField(_("people linked"), default=0)
    deliveries_written = models.PositiveIntegerField(_("deliveries recorded"), default=0)
    objects_created = models.PositiveIntegerField(_("objects registered"), default=0)
    objects_updated = models.PositiveIntegerField(_("objects updated"), default=0)
    unchanged = models.PositiveIntegerField(_("rows unchanged"), default=0)
    job_id = models.UUIDField(_("job"), null=True, blank=True)
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["file_sha256", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} {self.created_at:%Y-%m-%d %H:%M}"
