"""`qoldau serve` answers over real HTTP (the server `make run` starts)."""

import json
import socket
import subprocess
import sys
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_health_over_http(tmp_path):
    port = free_port()
    env = {"QOLDAU_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, "-m", "qoldau.cli", "migrate", "--no-input", "-v0"], env=env, check=True, timeout=120
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
