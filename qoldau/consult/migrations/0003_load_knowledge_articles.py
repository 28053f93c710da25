"""Load the knowledge base's articles from `qoldau/consult/knowledge/articles/` (the files
written with their sources). Articles already in the database are left as consultants
edited them."""

import datetime as dt
import tomllib
from pathlib import Path

from django.db import migrations

ARTICLES = Path(__file__).resolve().parent.parent / "knowledge" / "articles"


def load(apps, schema_editor):
    Article = apps.get_model("consult", "Article")
    present = set(Article.objects.values_list("topic", flat=True))
    for path in sorted(ARTICLES.glob("*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        if data["topic"] in present:
            continue
        fields = {}
        for lang in ("kk", "ru", "en"):
            text = data[lang]
            fields[f"title_{lang}"] = text["title"]
            fields[f"summary_{lang}"] = text["summary"]
            fields[f"body_{lang}"] = text["body"].strip()
            fields[f"keywords_{lang}"] = "\n".join(text.get("keywords", []))
        reviewed = data["last_reviewed"]
        Article.objects.create(
            topic=data["topic"],
            last_reviewed=reviewed if isinstance(reviewed, dt.date) else dt.date.fromisoformat(str(reviewed)),
            uncertain=bool(data.get("uncertain", False)),
            sources=[dict(source) for source in data.get("sources", [])],
            **fields,
        )


class Migration(migrations.Migration):
    dependencies = [("consult", "0002_knowledge_articles")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
