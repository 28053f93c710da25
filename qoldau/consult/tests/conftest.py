"""The engine's own tests run without a database: they read the articles from the files,
as the engine does wherever Django has not registered the database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qoldau.consult.engine.index import load_articles, use_articles
from qoldau.consult.selectors import knowledge_articles, knowledge_version


@pytest.fixture(autouse=True)
def _articles_from_files_without_a_database(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("django_db") is not None:
        yield
        return
    use_articles(lambda: "", load_articles)
    yield
    use_articles(knowledge_version, knowledge_articles)
