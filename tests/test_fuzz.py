"""Fuzzing the reading stages with Hypothesis: random and corrupted inputs of every format —
binary junk, truncated gzip and WARC, flipped bytes, wrong encodings, deep HTML, random JSON
Lines, malformed feeds, feeds with character references to no character, floods of junk
records, folders with symbolic link loops and FIFOs. Nothing may raise or hang; every bad item
is named with its reason (a file's first hundred one by one, the rest counted); a run on such
inputs changes none of the rows already stored, and running it again adds nothing."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from dyadwatch.config import Settings, StoreSettings
from dyadwatch.extract import extract_articles
from dyadwatch.ingest import count_pages, read_paths
from dyadwatch.ingest._isolate import MAX_SKIPS_LISTED
from dyadwatch.language import with_language
from dyadwatch.pipeline import run
from dyadwatch.records import RawDocument, Skipped

INPUTS = 10_000  # the acceptance asks for at least 10,000 inputs tried

PAGE = (
    "<html><head><title>Energy deal</title><meta charset='utf-8'></head><body>"
    "<nav>Home | World</nav><article><h1>Energy deal</h1><p>MOSCOW, March 5 -- Russia and "
    "China signed an agreement on energy cooperation on Tuesday, officials said.</p><p>The "
    "deal covers gas deliveries, the Kremlin said. Россия и Китай.</p></article></body></html>"
)
TEXT = (
    "Energy deal\nBy Anna Petrova\nMarch 5, 2024\n\nRussia and China signed an agreement on "
    "energy cooperation on Tuesday, officials in both capitals said after two days of talks.\n"
    "Source: Wire\n"
)
RSS = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>W</title><item><title>Talks'
    "</title><link>https://wire.example.org/t</link><pubDate>Tue, 05 Mar 2024 14:30:00 +0300"
    "</pubDate><description>Russia and China held talks in Beijing about trade and energy."
    "</description></item></channel></rss>"
)


def _warc(compress: bool) -> bytes:
    out = BytesIO()
    writer = WARCWriter(out, gzip=compress)
    for number in range(2):
        body = PAGE.replace("Energy", f"Energy {number}").encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://news.example.org/{number}", "response", payload=BytesIO(body),
            length=len(body), http_headers=headers,
        )  # fmt: skip
        writer.write_record(record)
    return out.getvalue()


JSONL = "\n".join(
    json.dumps(record)
    for record in (
        {"text": TEXT, "url": "https://a.example/1", "published": "2024-03-05"},
        {"html": PAGE, "title": "Energy deal"},
    )
).encode()
SEEDS: dict[str, bytes] = {
    ".html": PAGE.encode(),
    ".txt": TEXT.encode(),
    ".jsonl": JSONL,
    ".rss": RSS.encode(),
    ".xml": RSS.encode(),
    ".html.gz": gzip.compress(PAGE.encode()),
    ".jsonl.gz": gzip.compress(JSONL),
    ".warc": _warc(False),
    ".warc.gz": _warc(True),
}


def _mutations(seed: bytes) -> st.SearchStrategy[bytes]:
    """Ways to break a good file of one format."""
    at = st.integers(min_value=0, max_value=max(0, len(seed) - 1))
    text = seed.decode("utf-8", errors="replace")
    return st.one_of(
        st.just(seed),
        at.map(lambda end: seed[:end]),  # truncated
        st.lists(st.tuples(at, st.integers(0, 255)), min_size=1, max_size=8).map(
            lambda flips: _flip(seed, flips)
        ),
        st.tuples(at, st.binary(min_size=1, max_size=64)).map(
            lambda cut: seed[: cut[0]] + cut[1] + seed[cut[0] :]
        ),
        st.sampled_from(["utf-16", "cp1251", "latin-1", "utf-32"]).map(
            lambda codec: text.encode(codec, errors="replace")
        ),
        st.binary(max_size=2048),  # junk with the right name
        st.text(max_size=600).map(lambda junk: junk.encode("utf-8", errors="surrogatepass")),
    )


def _flip(seed: bytes, flips: list[tuple[int, int]]) -> bytes:
    data = bytearray(seed)
    for position, value in flips:
        if data:
            data[position % len(data)] = value
    return bytes(data)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
_JSONL_RECORDS = st.lists(
    st.one_of(
        _JSON.map(json.dumps),
        st.dictionaries(
            st.sampled_from(["text", "html", "url", "title", "published"]),
            _JSON | st.text(max_size=200),
            max_size=5,
        ).map(json.dumps),
        st.text(max_size=80),
    ),
    max_size=6,
).map(lambda lines: "\n".join(lines).encode("utf-8", errors="surrogatepass"))
_DEEP_HTML = st.tuples(
    st.integers(1, 3000), st.sampled_from(["div", "p", "table", "b", "span"])
).map(
    lambda deep: (
        f"<{deep[1]}>" * deep[0] + "Russia and China met." + f"</{deep[1]}>" * deep[0]
    ).encode()
)

_CHAR_REFS = st.one_of(
    st.integers(0xD800, 0xDFFF),  # lone surrogates
    st.sampled_from([0, 1, 0x1F, 0xFFFE, 0xFFFF, 0x110000, 10**30]),
    st.integers(0, 0x10FFFF),
    st.integers(0x110000, 10**40),  # numbers beyond any character
).flatmap(lambda code: st.sampled_from([f"&#{code};", f"&#x{code:X};", f"&#x{code:x};"]))
_REF_TEXT = st.lists(
    st.one_of(_CHAR_REFS, st.sampled_from(["Russia and China met. ", "&amp;", "&lt;b&gt;"])),
    min_size=1,
    max_size=6,
).map("".join)
_FEED_REFS = st.tuples(_REF_TEXT, _REF_TEXT, st.booleans()).map(
    lambda parts: (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>W</title><item><title>'
        f"{parts[0]}</title><link>https://wire.example.org/r</link><description>"
        + (f"<![CDATA[<p>{parts[1]}</p>]]>" if parts[2] else parts[1])
        + "</description></item>"
        + RSS.split("<channel><title>W</title>", 1)[1]
    ).encode("utf-8")
)

CASES = st.one_of(
    st.sampled_from(sorted(SEEDS)).flatmap(
        lambda suffix: _mutations(SEEDS[suffix]).map(lambda data: (suffix, data))
    ),
    _JSONL_RECORDS.map(lambda data: (".jsonl", data)),
    _DEEP_HTML.map(lambda data: (".html", data)),
    _FEED_REFS.map(lambda data: (".rss", data)),
)


def _read_all(path: Path) -> tuple[int, list[Skipped]]:
    """Read and extract ``path`` as a run does; return (articles, skipped items)."""
    articles = 0
    skipped: list[Skipped] = []
    for item in read_paths([path]):
        if isinstance(item, Skipped):
            skipped.append(item)
            continue
        for result in extract_articles([item]):
            if isinstance(result, Skipped):
                skipped.append(result)
            else:
                with_language(result)
                articles += 1
    return articles, skipped


def test_no_input_crashes_reading_and_every_failure_is_named(tmp_path: Path) -> None:
    tried = extracted = named = 0

    @given(CASES)
    @settings(
        max_examples=INPUTS,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def read_case(case: tuple[str, bytes]) -> None:
        nonlocal tried, extracted, named
        suffix, data = case
        path = tmp_path / f"case{suffix}"
        path.write_bytes(data)
        articles, skipped = _read_all(path)
        for item in skipped:
            assert item.item.startswith(str(path)), item
            assert item.reason.strip(), item
        tried += 1
        extracted += articles
        named += len(skipped)

    read_case()
    assert tried >= INPUTS
    # Not a fuzz of junk alone: good pages still come through, bad items are named.
    assert extracted > INPUTS // 20 and named > INPUTS // 2, (extracted, named)
    print(f"fuzz: {tried} inputs, {extracted} articles, {named} items skipped with a reason")


def test_a_huge_page_is_named_not_extracted(tmp_path: Path) -> None:
    page = tmp_path / "huge.html"
    paragraph = "<p>Russia and China signed a deal on energy cooperation in Moscow.</p>"
    page.write_text("<html><body>" + paragraph * 750_000 + "</body></html>", encoding="utf-8")
    assert page.stat().st_size > 50_000_000
    articles, skipped = _read_all(page)
    assert articles == 0
    assert [s.reason.split(" (")[0] for s in skipped] == ["page too large to extract"]


_JUNK_LINES = st.sampled_from([b"{}", b"[]", b"1", b"not json", b'{"text": 5}', b"\xff{", b'{"a"'])


@given(
    st.lists(st.tuples(_JUNK_LINES, st.integers(1, 400)), min_size=1, max_size=5),
    st.booleans(),
)
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_a_flood_of_junk_records_is_listed_to_the_cap_and_counted_whole(
    runs: list[tuple[bytes, int]], compress: bool
) -> None:
    import tempfile

    lines = b"".join((line + b"\n") * count for line, count in runs)
    junk = sum(count for _, count in runs)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("flood.jsonl.gz" if compress else "flood.jsonl")
        path.write_bytes(gzip.compress(lines) if compress else lines)
        items = list(read_paths([path]))
    assert not any(isinstance(item, RawDocument) for item in items)
    single = [item for item in items if isinstance(item, Skipped) and not item.tally]
    assert len(single) == min(junk, MAX_SKIPS_LISTED)
    assert sum(item.count for item in items if isinstance(item, Skipped)) == junk
    assert all(item.item.startswith(str(path)) and item.reason for item in items)


@contextmanager
def _no_hang(seconds: int) -> Iterator[None]:
    """Fail, rather than hang, when the block runs over ``seconds``."""

    def give_up(*_args: object) -> None:
        raise TimeoutError(f"ran over {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


_TREE = st.lists(
    st.tuples(
        st.integers(0, 3),  # in which folder
        st.sampled_from(["page", "link", "fifo", "folder"]),
        st.integers(0, 3),  # a link's target folder
    ),
    max_size=12,
)


def test_folders_with_symbolic_link_loops_and_fifos_are_walked_once(tmp_path: Path) -> None:
    runs = 0

    @given(_TREE)
    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def walk(tree: list[tuple[int, str, int]]) -> None:
        nonlocal runs
        root = tmp_path / f"tree{runs}"
        runs += 1
        folders = [root, root / "a", root / "a" / "b", root / "c"]
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
        for number, (at, kind, target) in enumerate(tree):
            where = folders[at] / f"x{number}"
            if kind == "page":
                where.with_suffix(".txt").write_text(TEXT, encoding="utf-8")
            elif kind == "link":
                where.symlink_to(folders[target])
            elif kind == "fifo":
                os.mkfifo(where.with_suffix(".jsonl"))
            else:
                where.mkdir()
        with _no_hang(30):
            counted = count_pages([root])
            items = list(read_paths([root]))
        assert counted == len(items)
        pages = [item.origin for item in items if isinstance(item, RawDocument)]
        assert len(pages) == sum(1 for _, kind, _ in tree if kind == "page")
        for item in items:
            if isinstance(item, Skipped):
                assert item.reason.startswith(("folder already read", "not a regular file"))
        shutil.rmtree(root)

    walk()
    assert runs == 60


def _rows(db: Path) -> dict[str, set[str]]:
    """Every row of every table, as text (rows hold lists), wall-clock columns left out."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [row[0] for row in con.execute("SHOW TABLES").fetchall()]
        return {
            table: set(
                map(
                    repr,
                    con.execute(
                        f'SELECT * EXCLUDE (first_seen) FROM "{table}"'
                        if table == "skipped"
                        else f'SELECT * FROM "{table}"'
                    ).fetchall(),
                )
            )
            for table in tables
        }


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("fuzzdb") / "stored.duckdb"
    examples = Path(__file__).resolve().parent.parent / "examples" / "pages"
    run([examples], settings=Settings(store=StoreSettings(path=db)))
    return db


def test_runs_on_broken_inputs_change_no_stored_row(stored: Path, tmp_path: Path) -> None:
    before = _rows(stored)
    assert before["events"], "the example should have stored events"
    stored_db = stored
    settings_ = Settings(store=StoreSettings(path=stored, batch_size=2))
    runs = 0

    @given(st.lists(CASES, min_size=1, max_size=4))
    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run_cases(cases: list[tuple[str, bytes]]) -> None:
        nonlocal runs
        folder = tmp_path / f"run{runs}"
        folder.mkdir()
        for number, (suffix, data) in enumerate(cases):
            (folder / f"case{number}{suffix}").write_bytes(data)
        summary = run([folder], settings=settings_)
        assert all(
            item.item.startswith(str(folder)) or item.stage == "code" for item in summary.skipped
        )
        stored = _rows(stored_db)
        again = run([folder], settings=settings_)
        assert (again.pages_new, again.articles_added, again.sentences_added) == (0, 0, 0)
        assert _rows(stored_db) == stored  # running it again adds nothing
        shutil.rmtree(folder)
        runs += 1

    run_cases()
    after = _rows(stored)
    for table, rows in before.items():
        assert rows <= after[table], f"rows of {table} changed or vanished"
    assert runs == 60
