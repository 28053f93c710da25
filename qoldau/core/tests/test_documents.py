"""The PDF renderer's limits: a document loads our fonts and nothing else (no other file,
no network), and a missing font stops it with a clear message instead of a PDF in a
fallback font without Kazakh letters."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from weasyprint import HTML  # type: ignore[import-untyped]
from weasyprint.urls import FatalURLFetchingError  # type: ignore[import-untyped]

from qoldau.core.documents import LocalFetcher, fonts_dir, page_stylesheet, render_pdf
from qoldau.core.tests.pdf import read_pdf


class _Counting(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def test_a_document_may_load_our_fonts_but_no_other_file(tmp_path: Path):
    fetcher = LocalFetcher()
    font = fetcher.fetch((fonts_dir() / "DejaVuSans.ttf").as_uri())
    assert font is not None
    secret = tmp_path / "secret.txt"
    secret.write_text("not for a PDF")
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch(secret.as_uri())
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch((fonts_dir() / ".." / ".." / ".." / "README.md").as_uri())


def test_a_document_never_reaches_the_network():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/pixel.png"
        html = f'<html lang="en"><title>T</title><h1>T</h1><img src="{url}" alt="x"></html>'
        pdf = HTML(string=html, url_fetcher=LocalFetcher()).write_pdf()
    finally:
        server.shutdown()
        server.server_close()
    assert pdf.startswith(b"%PDF")
    assert _Counting.hits == []


def test_the_footer_and_fonts_are_in_the_active_language():
    with translation.override("kk"):
        css = page_stylesheet()
    assert 'counter(page) "-бет, барлығы " counter(pages)' in css
    assert "DejaVuSans-Bold.ttf" in css


def test_a_missing_font_stops_the_export_with_a_clear_message(settings, tmp_path: Path):
    settings.BASE_DIR = tmp_path
    with pytest.raises(ImproperlyConfigured, match="make assets"):
        render_pdf("core/documents/base.html", {}, title="T", subject="S")


def test_a_bare_document_is_tagged_and_titled():
    with translation.override("ru"):
        pdf = render_pdf("core/documents/base.html", {}, title="Отчёт", subject="Проверка")
    doc = read_pdf(pdf)
    assert doc.marked
    assert doc.lang == "ru"
    assert doc.info_title == "Отчёт"
    assert doc.headings("H1") == ["Отчёт"]
