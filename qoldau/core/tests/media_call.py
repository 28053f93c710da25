"""What the video-call browser tests share: the ASGI application served by uvicorn on a free
port (as `qoldau serve` runs it), Chromium with a fake camera and microphone, signed-in
pages, and the check that a page shows the OTHER page's moving picture."""

from __future__ import annotations

import socket as sockets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from django.conf import settings

from qoldau.asgi_worker import Worker
from qoldau.core.tests.browser import CHROMIUM, DESKTOP, TIMEOUT_MS, session_cookie

# Chromium's fake devices: a moving test picture and a tone, and the permission prompt
# answered yes.
MEDIA_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]


@contextmanager
def served_asgi(settings_fixture: Any) -> Iterator[str]:
    """The ASGI application on a free port, in this process (so the in-memory channel
    layer), with uvicorn's options as the production worker sets them."""
    settings_fixture.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    from qoldau.asgi import application

    with sockets.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    options = {k: v for k, v in Worker.CONFIG_KWARGS.items() if k not in ("loop", "http")}
    server = uvicorn.Server(
        uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning", **options)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "the ASGI server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def launched_media_browser(browser: Any) -> Iterator[Any]:
    chromium = browser.browser_type.launch(executable_path=CHROMIUM, args=MEDIA_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()


def signed_in_page(media_browser: Any, base: str, user: Any, *, language: str = "en") -> Any:
    """A new page of `user` in a context of its own; the console's errors are kept in
    `page.problems`."""
    context = media_browser.new_context(base_url=base, viewport=DESKTOP)
    # Two pictures encoded and decoded at once on a shared machine: more time than a page.
    context.set_default_timeout(2 * TIMEOUT_MS)
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": base},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base},
        ]
    )
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    return page


REMOTE = """() => {
  const video = document.getElementById('call-remote-video');
  const stream = video.srcObject;
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 48;
  const context = canvas.getContext('2d');
  context.drawImage(video, 0, 0, 64, 48);
  return {
    frames: video.getVideoPlaybackQuality().totalVideoFrames,
    width: video.videoWidth,
    stream: stream ? stream.id : null,
    pixels: Array.from(context.getImageData(0, 0, 64, 48).data),
  };
}"""
LOCAL_STREAM = "() => document.getElementById('call-local-video').srcObject.id"


def assert_shows_moving_video_of(page: Any, other: Any) -> None:
    page.wait_for_function(
        "() => { const v = document.getElementById('call-remote-video');"
        " return v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 5; }"
    )
    first = page.evaluate(REMOTE)
    page.wait_for_timeout(1000)
    second = page.evaluate(REMOTE)
    # The picture is the one the other page sends (WebRTC carries the sender's stream id).
    assert first["stream"] == other.evaluate(LOCAL_STREAM)
    assert first["stream"] != page.evaluate(LOCAL_STREAM)
    assert second["frames"] > first["frames"] + 5, (first["frames"], second["frames"])
    changed = sum(1 for a, b in zip(first["pixels"], second["pixels"], strict=True) if abs(a - b) > 8)
    assert changed > 50, f"the remote picture did not move ({changed} values changed)"
    assert any(value > 0 for value in second["pixels"][0::4]), "the remote picture is black"
