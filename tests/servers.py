"""Helpers for tests that run real servers on loopback: free ports, the Gradio app, start-up waits."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_app(assistant, settings) -> Iterator[str]:
    """The real Gradio app over ``assistant`` on a free loopback port; yields its URL, always closes it."""
    from assistant.ui import build_app, launch

    demo = build_app(assistant)
    port = free_port()
    launch(demo, settings, server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout_s: float, what: str) -> None:
    """Poll ``url`` until it answers 200; raise with the server's log if it exits or takes too long."""
    deadline = time.monotonic() + timeout_s
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start within {timeout_s} s:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.3)
