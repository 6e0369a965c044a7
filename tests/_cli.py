"""Running the real ``dyadwatch`` command in a subprocess, as a user does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def dyadwatch(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m dyadwatch ARGS``; return what it printed and its exit status."""
    return subprocess.run(
        [sys.executable, "-m", "dyadwatch", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )
