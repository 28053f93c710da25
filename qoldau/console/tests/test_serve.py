"""`qoldau serve` answers over real HTTP (the server `make run` starts)."""

import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_health_over_http(tmp_path):
    port = free_port()
    env = {"QOLDAU_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, "-m", "qoldau.cli", "migrate", "--no-input", "-v0"], env=env, check=True, timeout=600
    )
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "qoldau.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
                    body = json.loads(response.read())
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        assert body == {"status": "ok", "database": "ok"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/signin/", timeout=5) as response:
            page = response.read().decode()
        assert '<html lang="kk">' in page
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_for_health(port: int) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_serve_answers_websockets_from_several_processes_and_one_without_redis(tmp_path):
    """The video calls' signalling is served by the same processes as the pages: with the
    Redis channel layer by as many as asked for, without it by one (and it says so)."""
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    env = {"QOLDAU_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, "-m", "qoldau.cli", "migrate", "--no-input", "-v0"], env=env, check=True, timeout=600
    )
    for layer_url, expected_workers in (("redis://127.0.0.1:6379/0", 2), ("", 1)):
        port = free_port()
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "qoldau.cli",
                "serve",
                "--port",
                str(port),
                "--workers",
                "2",
                "--no-worker",
            ],
            env={**env, "QOLDAU_CHANNEL_LAYER_URL": layer_url},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            _wait_for_health(port)
            address = f"ws://127.0.0.1:{port}/ws/call/no-such-kind/room-1/"
            # Upgraded by the web server and answered by the call's consumer: a stranger is
            # refused in words.
            with connect(address, origin=f"http://127.0.0.1:{port}", open_timeout=10) as socket:
                assert json.loads(socket.recv(timeout=10)) == {"type": "refused", "code": "not_allowed"}
            # Another site's page is refused at the handshake.
            with pytest.raises(InvalidStatus) as refused:
                connect(address, origin="https://evil.example.org", open_timeout=10)
            assert refused.value.response.status_code == 403
        finally:
            server.terminate()
            output, _ = server.communicate(timeout=20)
        assert f"({expected_workers} web process" in output, output
        if expected_workers == 1:
            assert "One web process instead of 2" in output
