"""Serving an app for real: uvicorn on 127.0.0.1 in a thread, on a free port, configured as
`dyadwatch serve` configures it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from dyadwatch.api import server_config


@contextmanager
def serving(
    db: Path, *, allow_hosts: Iterable[str] = (), writer_wait_s: float = 10.0
) -> Iterator[str]:
    """Serve ``db`` with the dyadwatch app on 127.0.0.1; yield its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = server_config(
        db, "127.0.0.1", port, allow_hosts=allow_hosts, writer_wait_s=writer_wait_s
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    else:
        raise RuntimeError(f"uvicorn did not start on 127.0.0.1:{port}")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
