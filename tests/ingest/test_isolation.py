"""One bad item never sinks a run: odd character references in feeds, any error one item or file
raises, floods of junk lines (listed up to a cap, all counted), gzip bombs, symbolic link loops
and FIFOs, for the reader and for the progress bar's count."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dyadwatch.ingest import _jsonl, count_pages, files, read_paths
from dyadwatch.ingest._isolate import MAX_SKIPS_LISTED
from dyadwatch.records import RawDocument, Skipped

FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
    "<item><title>Talks</title><link>https://wire.example.org/1</link><description>Russia and"
    " China held talks in Beijing about trade and energy.</description></item>"
    "<item><title>Odd {ref} title</title><link>https://wire.example.org/2</link>"
    "<description>Russia and China met again {ref} in Moscow.</description></item>"
    "</channel></rss>"
)
STORY = "Russia and China signed an energy deal in Moscow on Tuesday, officials said."


@pytest.mark.parametrize(
    "ref",
    ["&#xD800;", "&#xdfff;", "&#55296;", "&#0;", "&#xFFFE;", "&#x110000;", "&#" + "9" * 30 + ";"],
)
def test_feed_character_reference_to_no_character_breaks_neither_entry_nor_feed(
    tmp_path: Path, ref: str
) -> None:
    path = tmp_path / "wire.rss"
    path.write_text(FEED.format(ref=ref + "&#99999999999999999999999;"), encoding="utf-8")
    first, second = list(read_paths([path]))
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument), second
    assert second.title == "Odd \ufffd\ufffd title"
    assert "again \ufffd\ufffd in Moscow" in second.text
    second.text.encode("utf-8")  # nothing unencodable reaches the store


def test_feed_keeps_valid_character_references(tmp_path: Path) -> None:
    path = tmp_path / "wire.rss"
    path.write_text(FEED.format(ref="&#x41;&#233;&#x1F600;"), encoding="utf-8")
    second = list(read_paths([path]))[1]
    assert isinstance(second, RawDocument) and second.title == "Odd Aé\U0001f600 title"


def test_any_error_of_one_line_skips_that_line_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = _jsonl._document

    def fragile(line: bytes, *args: object) -> RawDocument:
        if b"boom" in line:
            raise KeyError("nobody expected this")
        return real(line, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(_jsonl, "_document", fragile)
    path = tmp_path / "pages.jsonl"
    lines = [{"text": STORY}, {"text": STORY + " boom"}, {"text": STORY + " Again."}]
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    first, second, third = list(read_paths([path]))
    assert isinstance(first, RawDocument) and isinstance(third, RawDocument)
    assert second == Skipped(
        stage="ingest",
        item=f"{path}:2",
        reason="unexpected error: KeyError: 'nobody expected this'",
    )


def test_an_error_that_stops_a_file_is_named_and_the_next_file_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> object:
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    monkeypatch.setattr(files, "read_feed", broken)
    (tmp_path / "a.rss").write_text(FEED.format(ref=""), encoding="utf-8")
    (tmp_path / "b.txt").write_text(STORY, encoding="utf-8")
    feed, page = list(read_paths([tmp_path]))
    assert isinstance(feed, Skipped) and feed.item == str(tmp_path / "a.rss")
    assert feed.reason.startswith("unexpected error: UnicodeEncodeError: 'utf-8' codec")
    assert isinstance(page, RawDocument) and page.origin == str(tmp_path / "b.txt")


@pytest.mark.parametrize("compress", [False, True])
def test_a_flood_of_junk_lines_lists_a_hundred_and_counts_every_one(
    tmp_path: Path, compress: bool
) -> None:
    data = b"{}\n" * 1000 + b"[1]\n" * 50 + json.dumps({"text": STORY}).encode() + b"\n"
    path = tmp_path / ("flood.jsonl.gz" if compress else "flood.jsonl")
    path.write_bytes(gzip.compress(data) if compress else data)
    items = list(read_paths([path]))
    pages = [item for item in items if isinstance(item, RawDocument)]
    skipped = [item for item in items if isinstance(item, Skipped)]
    assert len(pages) == 1 and pages[0].origin == f"{path}:1051"
    assert len(skipped) == MAX_SKIPS_LISTED + 1
    assert [s.item for s in skipped[:-1]] == [f"{path}:{n}" for n in range(1, 101)]
    folded = skipped[-1]
    assert folded.item == str(path) and sum(s.count for s in skipped) == 1050
    no_text = "no 'text' or 'html' field (each line needs one of them)"
    assert folded.tally == (("expected a JSON object, got an array", 50), (no_text, 900))
    assert folded.reason == (
        "… and 950 more items skipped (not listed one by one): "
        f"{no_text} × 900; expected a JSON object, got an array × 50"
    )


def test_a_gzip_bomb_is_stopped_and_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_jsonl, "GZIP_FLOOR", 1000)
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(
        gzip.compress(json.dumps({"text": STORY}).encode() + b"\n" + b"{}\n" * 200_000)
    )
    items = list(read_paths([path]))
    assert isinstance(items[0], RawDocument)
    stopped, folded = items[-2:]
    assert isinstance(stopped, Skipped) and stopped.item == str(path)
    assert stopped.reason.startswith("decompresses to over 0 MiB, more than 100 times its size")
    lines = stopped.reason.rsplit("after line ", 1)[1]
    limit, first = 100 * path.stat().st_size, len(json.dumps({"text": STORY})) + 1
    assert first + (int(lines) - 1) * 3 <= limit < first + int(lines) * 3  # stopped at once
    assert isinstance(folded, Skipped) and folded.item == str(path) and folded.tally
    assert len(items) == 1 + MAX_SKIPS_LISTED + 2


def _tree_with_loops_and_a_fifo(root: Path) -> Path:
    """A folder with a page, two symbolic links back to itself, one to its parent, and a FIFO
    named like JSON Lines (opening it would block for good)."""
    folder = root / "in"
    folder.mkdir()
    (folder / "page.txt").write_text(STORY, encoding="utf-8")
    (folder / "loop1").symlink_to(folder)
    (folder / "loop2").symlink_to(folder)
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(folder)
    (folder / "sub" / "up2").symlink_to(folder / "sub")
    os.mkfifo(folder / "pipe.jsonl")
    return folder


COUNT = """
import sys
from dyadwatch.ingest import count_pages
print(count_pages([sys.argv[1]]))
"""


def test_count_pages_follows_no_loop_and_opens_no_fifo(tmp_path: Path) -> None:
    folder = _tree_with_loops_and_a_fifo(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", COUNT, str(folder)], capture_output=True, text=True, timeout=60
    )  # in a child: on the old code it blocks on the FIFO for good
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(1 + 1 + 4)  # the page, the FIFO, 4 links back: one each


def test_reading_names_loops_and_fifos_and_reads_each_folder_once(tmp_path: Path) -> None:
    folder = _tree_with_loops_and_a_fifo(tmp_path)
    items = list(read_paths([folder]))
    pages = [item.origin for item in items if isinstance(item, RawDocument)]
    skipped = {item.item: item.reason for item in items if isinstance(item, Skipped)}
    assert pages == [str(folder / "page.txt")]
    assert skipped[str(folder / "pipe.jsonl")].startswith("not a regular file or folder")
    again = "folder already read (a symbolic link loops back to it or leads to it again)"
    assert {name: skipped[str(folder / name)] for name in ("loop1", "loop2")} == {
        "loop1": again,
        "loop2": again,
    }
    assert count_pages([folder]) == len(items) == 6  # the bar's total is what is read


PTY_RUN = """
import os, pty, select, subprocess, sys, time
leader, follower = pty.openpty()
child = subprocess.Popen(
    [sys.executable, "-m", "dyadwatch", "run", sys.argv[1], "--db", sys.argv[2]],
    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower,
)
os.close(follower)
seen, deadline = b"", time.monotonic() + float(sys.argv[3])
while time.monotonic() < deadline:
    if select.select([leader], [], [], 0.5)[0]:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
else:
    child.kill()  # hung: end it, so that no reader is left blocked on the FIFO
    print("timed out")
child.wait()
sys.stdout.write(child.stdout.read().decode())
sys.stdout.write("\\nSTDERR\\n" + seen.decode(errors="replace"))
sys.exit(child.returncode)
"""


@pytest.mark.slow
def test_run_on_a_terminal_finishes_on_loops_and_fifos(tmp_path: Path) -> None:
    """The progress bar counts pages only on a terminal: on the old code this run hangs."""
    folder = _tree_with_loops_and_a_fifo(tmp_path)
    env = dict(os.environ, COLUMNS="200", TERM="xterm")
    done = subprocess.run(
        [sys.executable, "-c", PTY_RUN, str(folder), str(tmp_path / "t.duckdb"), "120"],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    output = " ".join(done.stdout.split())
    assert "pipe.jsonl: not a regular file or folder" in output
    assert "1 read, 1 new" in output
