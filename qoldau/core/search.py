"""Case-insensitive search in any script, the same on SQLite and PostgreSQL.

SQLite's LIKE and lower() fold only ASCII letters, so "поликлиника" would not find
"Поликлиника". On SQLite the text is lower-cased by Python's str.lower, registered as a SQL
function on every connection; PostgreSQL's lower() already knows Cyrillic.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import CharField, F, Func, Q, QuerySet, Value
from django.db.models.functions import Concat

SQLITE_FUNCTION = "qoldau_lower"


class UnicodeLower(Func):
    function = "LOWER"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra_context)


def _python_lower(text: str | None) -> str | None:
    return text.lower() if text is not None else None


def register_sqlite_lower(
    sender: type[BaseDatabaseWrapper], connection: BaseDatabaseWrapper, **kwargs: Any
) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, _python_lower, deterministic=True)


connection_created.connect(register_sqlite_lower, dispatch_uid="qoldau_sqlite_lower")


def filter_words(qs: QuerySet[Any], fields: Sequence[str], text: str, max_words: int = 5) -> QuerySet[Any]:
    """Rows holding every word of `text` (case-insensitively, any script) in one of `fields`."""
    words = [word.lower() for word in text.split() if word][:max_words]
    if not words:
        return qs
    parts: list[Any] = []
    for name in fields:
        parts += [F(name), Value(" ")]
    qs = qs.annotate(_search_text=UnicodeLower(Concat(*parts, output_field=CharField())))
    condition = Q()
    for word in words:
        condition &= Q(_search_text__contains=word)
    return qs.filter(condition)
