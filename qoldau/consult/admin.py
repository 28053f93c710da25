"""Consultants and administrators edit the knowledge base here; every save goes through
`article_save`, which keeps the previous text as a revision."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from qoldau.consult.models import Article, ArticleRevision
from qoldau.consult.services import ARTICLE_FIELDS, article_save_in_transaction


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
