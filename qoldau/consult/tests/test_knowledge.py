"""The knowledge base in the database: loaded from the files on migration, edited in the
admin with its history, and read by the answering engine from the next message on."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from qoldau.consult.models import Article, ArticleRevision
from qoldau.consult.services import article_save
from qoldau.core.errors import ValidationFailed
from qoldau.core.models import AuditEntry
from qoldau.core.tests import factories

pytestmark = pytest.mark.django_db


def ask(text, lang):
    answer = Client().post(
        "/api/v1/consult/ask", json.dumps({"text": text, "lang": lang}), content_type="application/json"
    )
    return answer.json()


def test_every_topic_of_the_list_is_an_article_in_three_languages():
    assert Article.objects.count() == 52
    article = Article.objects.get(topic="benefit.disability")
    assert all(getattr(article, f"title_{lang}") for lang in ("kk", "ru", "en"))
    assert article.sources


def test_an_edit_keeps_the_old_text_and_the_engine_answers_with_the_new_one(
    django_capture_on_commit_callbacks,
):
    editor = factories.user("kb.editor", "system_admin")
    article = Article.objects.get(topic="benefit.disability")
    old_summary = article.summary_en
    ask("disability benefit amount", "en")  # the engine has read the articles once
    with django_capture_on_commit_callbacks(execute=True):
        article_save(
            actor=editor,
            article=article,
            changes={"summary_en": "Checked again in 2026: paid monthly ({subsistence_minimum} ₸ base)."},
        )
    article.refresh_from_db()
    assert article.version == 2
    revision = ArticleRevision.objects.get(article=article)
    assert (revision.version, revision.content["summary_en"], revision.edited_by) == (1, old_summary, editor)
    assert AuditEntry.objects.filter(action="consult.article_edit", object_id="benefit.disability").exists()
    answer = ask("disability benefit amount", "en")
    assert answer["topic"] == "benefit.disability"
    assert "Checked again in 2026" in answer["answer"]
    assert "{subsistence_minimum}" not in answer["answer"]


def test_an_unknown_placeholder_is_refused_and_nothing_changes():
    editor = factories.user("kb.editor", "system_admin")
    article = Article.objects.get(topic="benefit.disability")
    with pytest.raises(ValidationFailed) as refused:
        article_save(actor=editor, article=article, changes={"body_ru": "Размер: {pension_amount} тенге."})
    assert refused.value.field == "body_ru"
    article.refresh_from_db()
    assert article.version == 1
    assert not ArticleRevision.objects.exists()


def test_the_admin_saves_through_the_service_with_history():
    editor = factories.user("kb.admin", "system_admin")
    client = Client()
    client.force_login(editor)
    article = Article.objects.get(topic="service.sign_language")
    page = client.get(f"/admin/consult/article/{article.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data["sources"] = json.dumps(article.sources, ensure_ascii=False)
    data["last_reviewed"] = "2026-11-22"
    data["uncertain"] = "on" if article.uncertain else ""
    data["summary_ru"] = "Обновлено консультантом."
    data.update({"revisions-TOTAL_FORMS": "0", "revisions-INITIAL_FORMS": "0"})
    saved = client.post(
        f"/admin/consult/article/{article.pk}/change/", {k: v for k, v in data.items() if v is not None}
    )
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.summary_ru == "Обновлено консультантом."
    assert article.version == 2
    assert article.revisions.get().edited_by == editor
