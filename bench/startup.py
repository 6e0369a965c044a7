"""Cold start-up of the command line: ``dyadwatch --help`` and ``dyadwatch code --text``,
each run N times as a fresh process; prints a table of median and worst wall time.

Run: python bench/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "dyadwatch --help": ["--help"],
    "dyadwatch code --text …": ["code", "--text", "Russia and China held joint naval drills."],
}
TARGETS = {"dyadwatch --help": 1.5, "dyadwatch code --text …": 3.0}


def timed(args: list[str]) -> float:
    """Seconds one fresh ``python -m dyadwatch`` process takes, start to exit."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "dyadwatch", *args], capture_output=True, check=True, timeout=120
    )
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per command")
    args = parser.parse_args(argv)
    print("| command | runs | median s | worst s | target s |")
    print("|---|---:|---:|---:|---:|")
    for name, command in COMMANDS.items():
        times = [timed(command) for _ in range(args.runs)]
        print(
            f"| `{name}` | {args.runs} | {statistics.median(times):.2f} | {max(times):.2f} "
            f"| {TARGETS[name]:.1f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
