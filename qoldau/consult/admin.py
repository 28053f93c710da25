"""Consultants and administrators edit the knowledge base here; every save goes through
`article_save`, which keeps the previous text as a revision."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from qoldau.consult.models import Article, ArticleRevision, Coverage
from qoldau.consult.services import (
    ARTICLE_FIELDS,
    article_save_in_transaction,
    coverage_add_in_transaction,
    coverage_remove_in_transaction,
)


class ArticleRevisionInline(admin.TabularInline[ArticleRevision, Article]):
    model = ArticleRevision
    fields = ("version", "edited_by", "edited_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin[Article]):
    list_display = ("topic", "title_kk", "last_reviewed", "uncertain", "version")
    list_filter = ("uncertain",)
    search_fields = ("topic", "title_kk", "title_ru", "title_en")
    readonly_fields = ("version", "updated_at")
    fieldsets = [
        (None, {"fields": ["topic", "last_reviewed", "uncertain", "version", "updated_at"]}),
        ("Қазақша", {"fields": ["title_kk", "summary_kk", "body_kk", "keywords_kk"]}),
        ("Русский", {"fields": ["title_ru", "summary_ru", "body_ru", "keywords_ru"]}),
        ("English", {"fields": ["title_en", "summary_en", "body_en", "keywords_en"]}),
        (None, {"fields": ["sources"]}),
    ]
    inlines = (ArticleRevisionInline,)

    # The topics are the consultation topic list's (loaded on migration); here they are
    # edited, never added or removed, so every write goes through `article_save`.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in ARTICLE_FIELDS}
        if changes:
            # The admin holds the request's save in a transaction of its own.
            article_save_in_transaction(
                actor=request.user, article=Article.objects.get(pk=obj.pk), changes=changes
            )


@admin.register(Coverage)
class CoverageAdmin(admin.ModelAdmin[Coverage]):
    """Which organisation answers which region and topic: added and removed through the
    services (audited), never edited in place."""

    list_display = ("organisation", "region", "topic")
    list_select_related = ("organisation", "region")
    fields = ("organisation", "region", "topic")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Coverage, form: Any, change: bool) -> None:
        saved = coverage_add_in_transaction(
            actor=request.user, organisation=obj.organisation, region=obj.region, topic=obj.topic
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Coverage) -> None:
        coverage_remove_in_transaction(actor=request.user, coverage=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for coverage in queryset:
            coverage_remove_in_transaction(actor=request.user, coverage=coverage)
