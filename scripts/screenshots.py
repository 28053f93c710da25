"""Screenshots of Qoldau's main pages at 1280 and 360 CSS pixels, for docs/screenshots/, so
that the next reviewer sees what changed.

    python scripts/screenshots.py http://127.0.0.1:8000

It starts nothing: it drives Debian's Chromium (Playwright) against a server that already
serves the demo (``qoldau demo``), signs in as demo users through /signin/ and chooses the
language with the ``qoldau_language`` cookie. The PNGs and README.md go to
docs/screenshots/ (or the folder given as the second argument)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, sync_playwright

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "qoldau-demo-2025"  # noqa: S105 (the demo users' published password, README)
LANGUAGE_COOKIE = "qoldau_language"
WIDTHS = {1280: 900, 360: 740}
# A full page is cut at this height (CSS px): the top of a long page shows its look, and the
# folder stays small.
MAX_HEIGHT = 2000
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@dataclass(frozen=True)
class Shot:
    name: str
    title: str
    user: str | None
    path: str
    languages: tuple[str, ...] = ("kk",)
    full_page: bool = True


SHOTS = (
    Shot("start", "The start page: what a visitor can do", None, "/", ("kk", "en")),
    Shot("home-ngo-staff", "An NGO staff member's home (qorgan.staff)", "qorgan.staff", "/"),
    Shot("home-akimat", "An akimat officer's home (akimat.almaty)", "akimat.almaty", "/"),
    Shot("dashboard", "The dashboard (ministry)", "ministry", "/dashboard/"),
    Shot("map", "The accessibility map", None, "/access/map/", full_page=False),
    Shot("chat", "The chat: ask a question", None, "/consult/"),
    Shot("design", "The design system's page (admin)", "admin", "/design/"),
)


def _context(browser: Browser, base: str, language: str, width: int) -> BrowserContext:
    context = browser.new_context(base_url=base, viewport={"width": width, "height": WIDTHS[width]})
    context.add_cookies([{"name": LANGUAGE_COOKIE, "value": language, "url": base}])
    context.set_default_timeout(30_000)
    return context


def _sign_in(context: BrowserContext, username: str) -> None:
    page = context.new_page()
    page.goto("/signin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.close()


def _shrink(path: Path) -> None:
    """A palette of 256 colours: a tenth of the size, and the same to the eye for pages of
    flat colours (Pillow, when it is installed)."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    small.save(path, optimize=True)


def take(base: str, out: Path) -> list[tuple[Shot, str, int, str]]:
    out.mkdir(parents=True, exist_ok=True)
    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        for shot in SHOTS:
            for language in shot.languages:
                for width in WIDTHS:
                    context = _context(browser, base, language, width)
                    if shot.user:
                        _sign_in(context, shot.user)
                    page = context.new_page()
                    page.goto(shot.path, wait_until="networkidle")
                    # Map tiles come from the network, which a demo machine may not have.
                    page.wait_for_timeout(500)
                    filename = f"{shot.name}-{language}-{width}.png"
                    height = min(MAX_HEIGHT, page.evaluate("document.documentElement.scrollHeight"))
                    if not shot.full_page:
                        height = WIDTHS[width]
                    page.screenshot(
                        path=str(out / filename),
                        full_page=True,
                        clip={"x": 0, "y": 0, "width": width, "height": height},
                    )
                    _shrink(out / filename)
                    print(filename)  # noqa: T201
                    taken.append((shot, language, width, filename))
                    context.close()
        browser.close()
    return taken


def write_readme(out: Path, taken: list[tuple[Shot, str, int, str]]) -> None:
    lines = [
        "# Screenshots",
        "",
        "Taken by `scripts/screenshots.py` against the demo (`qoldau demo --access-objects 1500`);",
        "run it again after a change to the look, and commit what changed. See",
        "[the design system](../DESIGN-SYSTEM.md).",
        "",
        "| page | language | width | file |",
        "| --- | --- | --- | --- |",
    ]
    for shot, language, width, filename in taken:
        lines.append(f"| {shot.title} | {language} | {width} px | [{filename}]({filename}) |")
    (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit("usage: python scripts/screenshots.py BASE_URL [OUT_DIR]")
    base = sys.argv[1].rstrip("/")
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else OUT
    write_readme(out, take(base, out))


if __name__ == "__main__":
    main()
