"""The dashboard's horizontal charts in Debian's Chromium at 360 and 1280 px, in Kazakh and
Russian (the longest names): every label is wrapped into lines that fit, the labels take
at most half the chart's width, so the bars keep room, and the chart grows with its bars
rather than squeezing them. (Each chart's table has the same figures; this is the picture.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from qoldau.core.tests import factories as f
from qoldau.core.tests.browser import browser_test, live_db, session_cookie
from qoldau.services.tests.figures_factories import figures_scene

pytestmark = pytest.mark.usefixtures("reference_data")

CHARTS = """() => Array.from(document.querySelectorAll('canvas[data-horizontal]'))
  .filter((canvas) => !canvas.hidden)
  .map((canvas) => {
    const chart = Chart.getChart(canvas);
    return {
      name: canvas.dataset.chart,
      labels: chart.data.labels,
      axis: chart.scales.y.width,
      width: chart.width,
      height: chart.height,
      bars: chart.data.labels.length,
    };
  })"""


@browser_test
@live_db
@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("viewport", [{"width": 360, "height": 740}, {"width": 1280, "height": 900}])
def test_horizontal_charts_wrap_their_labels_and_leave_the_bars_room(
    browser: Any, live_server: Any, language: str, viewport: dict[str, int]
) -> None:
    figures_scene()
    officer = f.user("officer", "akimat_officer", kato=f.ALMATY)
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
            {"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(officer), "url": live_server.url},
        ]
    )
    page = context.new_page()
    response = page.goto("/dashboard/?year=2025")
    assert response is not None
    assert response.status == 200
    page.wait_for_function("() => document.querySelector('.chart-box canvas') !== null")
    charts = page.evaluate(CHARTS)
    assert charts, "no horizontal chart was drawn"
    longest = max(len(line) for chart in charts for label in chart["labels"] for line in label)
    assert longest <= 32, charts
    for chart in charts:
        assert all(isinstance(label, list) and label for label in chart["labels"]), chart
        assert chart["axis"] <= chart["width"] / 2, chart
        # At least 18 px of height per bar: bars are not squeezed.
        assert chart["height"] >= chart["bars"] * 18, chart
    # Nothing is wider than the window.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    context.close()
