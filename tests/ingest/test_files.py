"""Tests for dyadwatch.ingest.files: reading, decoding and rejecting local files."""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dyadwatch.ingest import SUPPORTED, _decode, _jsonl, listed_urls, read_paths
from dyadwatch.records import RawDocument, Skipped, content_id

RUSSIAN = (
    "Министр иностранных дел России заявил, что переговоры продолжатся. "
    "Встреча прошла в Москве, стороны обсудили вопросы безопасности и торговли."
)


def read_one(path: Path) -> RawDocument | Skipped:
    items = list(read_paths([path]))
    assert len(items) == 1, items
    return items[0]


def read_doc(path: Path) -> RawDocument:
    item = read_one(path)
    assert isinstance(item, RawDocument), item
    return item


def read_skip(path: Path) -> Skipped:
    item = read_one(path)
    assert isinstance(item, Skipped), item
    assert item.stage == "ingest"
    return item


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("text", "codec", "recorded"),
    [
        ("Héllo “world” — €5", "utf-8", "utf-8"),
        ("Héllo “world” — €5", "utf-8-sig", "utf-8-sig"),
        ("Héllo “world” — €5", "utf-16", "utf-16-le"),
        ("The minister said “we will respond” — costs rose to €5 million.", "cp1252", "cp1252"),
        # ISO-8859-1 decodes exactly as cp1252 wherever it has letters (WHATWG reads it so)
        ("Der Außenminister traf sich in Köln. Café Straße, très élégant.", "latin-1", "cp1252"),
        (RUSSIAN, "cp1251", "cp1251"),
        (RUSSIAN, "koi8-r", "koi8-r"),
        (
            "Minister spraw zagranicznych Polski powiedział, że rozmowy będą kontynuowane.",
            "cp1250",
            "cp1250",
        ),
        ("新华社北京电 外交部发言人表示，中方愿同各方加强合作。", "gbk", "gb18030"),
        (
            "Dijo que no habrá acuerdo: «no es posible» y que el país no cederá.",
            "latin-1",
            "cp1252",
        ),
        ("Plain ASCII news text.", "ascii", "utf-8"),
    ],
)
def test_read_paths_decodes_and_records_encoding(
    tmp_path: Path, text: str, codec: str, recorded: str
) -> None:
    data = text.encode(codec)
    doc = read_doc(write(tmp_path / "page.txt", data))
    assert doc.text == text
    assert doc.encoding == recorded
    assert doc.media_type == "text/plain"
    assert doc.size == len(data)
    assert doc.doc_id == content_id(data)


def test_read_paths_html_meta_charset_is_respected(tmp_path: Path) -> None:
    html = f'<html><head><meta charset="windows-1251"></head><body>{RUSSIAN}</body></html>'
    doc = read_doc(write(tmp_path / "page.html", html.encode("cp1251")))
    assert doc.text == html
    assert doc.encoding == "cp1251"


def test_read_paths_html_meta_latin1_reads_cp1252_quotes(tmp_path: Path) -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        "</head><body>“Quoted” café</body></html>"
    )
    doc = read_doc(write(tmp_path / "page.htm", html.encode("cp1252")))
    assert "“Quoted” café" in doc.text
    assert doc.encoding == "cp1252"


def test_read_paths_wrong_meta_charset_loses_to_utf8(tmp_path: Path) -> None:
    html = '<html><head><meta charset="iso-8859-1"></head><body>“Quoted” café</body></html>'
    doc = read_doc(write(tmp_path / "page.html", html.encode("utf-8")))
    assert doc.text == html
    assert doc.encoding == "utf-8"


def test_read_paths_normalises_newlines(tmp_path: Path) -> None:
    doc = read_doc(write(tmp_path / "page.txt", b"one\r\ntwo\rthree\n"))
    assert doc.text == "one\ntwo\nthree\n"


@pytest.mark.parametrize(
    "data",
    [b"<!DOCTYPE html><html><p>x</p></html>", b"\xef\xbb\xbf\n  <html lang='en'><p>x</p></html>"],
)
def test_read_paths_sniffs_html_in_txt(tmp_path: Path, data: bytes) -> None:
    doc = read_doc(write(tmp_path / "page.txt", data))
    assert doc.media_type == "text/html"


@pytest.mark.parametrize("name", ["page.html", "page.HTM", "page.xhtml", "page.html.gz"])
def test_read_paths_html_extensions(tmp_path: Path, name: str) -> None:
    data = b"<p>Talks resumed.</p>"
    if name.endswith(".gz"):
        data = gzip.compress(data)
    assert read_doc(write(tmp_path / name, data)).media_type == "text/html"


def test_read_paths_gzip_has_same_doc_id_as_plain(tmp_path: Path) -> None:
    data = b"Talks resumed in Geneva on Monday."
    plain = read_doc(write(tmp_path / "a.txt", data))
    packed = read_doc(write(tmp_path / "b.txt.gz", gzip.compress(data)))
    assert packed.doc_id == plain.doc_id == content_id(data)
    assert packed.text == plain.text
    assert packed.size == len(data)
    assert packed.origin == str(tmp_path / "b.txt.gz")


def test_read_paths_same_bytes_in_two_files_same_doc_id(tmp_path: Path) -> None:
    data = b"Same story."
    first = read_doc(write(tmp_path / "one.txt", data))
    second = read_doc(write(tmp_path / "sub" / "two.text", data))
    assert first.doc_id == second.doc_id
    assert first.origin != second.origin


def test_read_paths_fetched_at_is_utc_mtime(tmp_path: Path) -> None:
    path = write(tmp_path / "page.txt", b"text")
    os.utime(path, (1_600_000_000, 1_600_000_000))
    assert read_doc(path).fetched_at == datetime.fromtimestamp(1_600_000_000, UTC)


def test_read_paths_walks_folders_sorted_skipping_hidden_and_store(tmp_path: Path) -> None:
    for name in ["b.txt", "a/z.txt", "a/b/c.txt", "a/a.txt", "c.html", ".hidden.txt"]:
        write(tmp_path / name, b"text of " + name.encode())
    write(tmp_path / ".git" / "x.txt", b"ignored")
    write(tmp_path / "store.duckdb", b"\x00" * 16)
    write(tmp_path / "store.duckdb.wal", b"\x00" * 16)
    write(tmp_path / "notes.pdf", b"%PDF-1.4")
    items = list(read_paths([tmp_path]))
    origins = [item.origin if isinstance(item, RawDocument) else item.item for item in items]
    expected = ["a/a.txt", "a/b/c.txt", "a/z.txt", "b.txt", "c.html", "notes.pdf"]
    assert origins == [str(tmp_path / name) for name in expected]
    assert isinstance(items[-1], Skipped)
    assert items[-1].reason.startswith("unsupported file type '.pdf'")
    assert list(read_paths([tmp_path])) == items


def test_read_paths_several_paths_and_missing_path(tmp_path: Path) -> None:
    first = write(tmp_path / "1.txt", b"one")
    missing = tmp_path / "missing.txt"
    items = read_paths([first, missing, str(first)])
    assert [type(item) for item in items] == [RawDocument, Skipped, RawDocument]
    assert read_skip(missing).reason == "no such file or directory"


def test_read_paths_single_string_is_one_path(tmp_path: Path) -> None:
    path = write(tmp_path / "page.txt", b"text")
    assert [item.origin for item in read_paths(str(path))] == [str(path)]  # type: ignore[union-attr]


def test_read_paths_is_lazy(tmp_path: Path) -> None:
    items = read_paths([tmp_path / "missing"])
    assert iter(items) is items
    assert isinstance(next(items), Skipped)


def test_read_paths_symlink_loop_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "d" / "page.txt", b"text")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d")
    items = list(read_paths([tmp_path / "d"]))
    assert isinstance(items[0], Skipped)
    assert "symbolic link loops" in items[0].reason
    assert isinstance(items[1], RawDocument)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("report.pdf", "unsupported file type '.pdf'"),
        ("archive.tar.gz", "unsupported file type '.tar.gz'"),
        ("README", "unsupported file type (no extension)"),
    ],
)
def test_read_paths_unsupported_extension(tmp_path: Path, name: str, message: str) -> None:
    skip = read_skip(write(tmp_path / name, b"text"))
    assert skip.reason == f"{message}; supported: {SUPPORTED}"
    assert skip.item == str(tmp_path / name)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content (PNG image), not text"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "binary content (PDF document), not text"),
        (b"PK\x03\x04\x14\x00\x06\x00", "binary content (ZIP archive), not text"),
        (b"some text\x00\x00\x01 more", "binary content (NUL bytes, first at byte 9), not text"),
        (b"text" * 6 + bytes(range(1, 9)), "binary content (25% control characters), not text"),
        (b"", "empty file"),
        (b" \n\t \r\n", "whitespace-only file (no text)"),
        (b"\xef\xbb\xbf", "whitespace-only file (no text)"),
    ],
)
def test_read_paths_rejects_junk(tmp_path: Path, data: bytes, reason: str) -> None:
    assert read_skip(write(tmp_path / "page.txt", data)).reason == reason


def test_read_paths_truncated_gzip(tmp_path: Path) -> None:
    packed = gzip.compress(b"A long enough news story. " * 200)
    skip = read_skip(write(tmp_path / "page.html.gz", packed[: len(packed) // 2]))
    assert skip.reason == (
        "truncated gzip stream (compressed file ended before the end-of-stream marker)"
    )


def test_read_paths_corrupt_gzip(tmp_path: Path) -> None:
    packed = bytearray(gzip.compress(b"A long enough news story. " * 200))
    packed[20:30] = b"\xff" * 10
    assert read_skip(write(tmp_path / "page.txt.gz", bytes(packed))).reason.startswith(
        "corrupt gzip stream ("
    )


def test_read_paths_gz_name_without_gzip_data(tmp_path: Path) -> None:
    skip = read_skip(write(tmp_path / "page.txt.gz", b"plain text, not gzip"))
    assert skip.reason == "not a gzip file (no gzip magic number at the start)"


def test_read_paths_gzip_data_without_gz_name_is_decompressed(tmp_path: Path) -> None:
    doc = read_doc(write(tmp_path / "page.html", gzip.compress(b"<p>x</p>")))
    assert doc.text == "<p>x</p>"


def test_read_paths_undecodable_bom(tmp_path: Path) -> None:
    skip = read_skip(write(tmp_path / "page.txt", b"\xff\xfeA\x00\x00\xd8"))
    assert skip.reason.startswith("starts with a utf-16-le byte-order mark but is not utf-16-le")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_read_paths_permission_denied(tmp_path: Path) -> None:
    path = write(tmp_path / "page.txt", b"secret")
    path.chmod(0)
    try:
        assert read_skip(path).reason == "permission denied"
    finally:
        path.chmod(0o600)


@pytest.mark.parametrize("name", ["page.txt", "pages.jsonl"])
def test_read_paths_open_permission_error_is_skipped(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / name, b"text")

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    assert read_skip(path).reason == "permission denied"


def test_read_paths_jsonl_binary_first_line_is_one_skip(tmp_path: Path) -> None:
    skip = read_skip(write(tmp_path / "a.jsonl", b"junk\x00\x01\n\x00\n{}\n"))
    assert skip.reason == "binary content (NUL bytes, first at byte 4), not JSON Lines"


JSONL_LINES = [
    b'{"text": "Talks resumed.", "url": "https://example.org/a", "published": "2019-11-04"}',
    b"",
    b'{"text": "broken"',
    b"[1, 2]",
    b'{"url": "https://example.org/c"}',
    b'{"text": 42}',
    b'{"html": "<p>Troops withdrew.</p>", "title": "Withdrawal", "published": "4 Nov 2019 10:00"}',
    b'{"text": "ok", "title": ["not", "a", "string"]}',
    b'{"text": "   "}',
    b'"just a string"',
    b'{"text": "Both given.", "html": "<p>Both given.</p>"}',
]
JSONL_SKIPS = {
    3: "invalid JSON (Expecting ',' delimiter at column 18)",
    4: "expected a JSON object, got an array",
    5: "no 'text' or 'html' field (each line needs one of them)",
    6: "'text' must be a string, got a number",
    8: "'title' must be a string, got an array",
    9: "empty 'text' (no text)",
    10: "expected a JSON object, got a string",
}


@pytest.mark.parametrize("name", ["pages.jsonl", "pages.ndjson", "pages.jsonl.gz"])
def test_read_paths_jsonl_good_and_malformed_lines(tmp_path: Path, name: str) -> None:
    data = b"\n".join(JSONL_LINES) + b"\n"
    path = write(tmp_path / name, gzip.compress(data) if name.endswith(".gz") else data)
    items = list(read_paths([path]))
    docs = [item for item in items if isinstance(item, RawDocument)]
    skips = {item.item: item.reason for item in items if isinstance(item, Skipped)}
    assert skips == {f"{path}:{line}": reason for line, reason in JSONL_SKIPS.items()}
    assert [doc.origin for doc in docs] == [f"{path}:1", f"{path}:7", f"{path}:11"]
    first, second, both = docs
    assert (first.text, first.media_type) == ("Talks resumed.", "text/plain")
    assert (first.url, first.title) == ("https://example.org/a", None)
    assert first.published == "2019-11-04"
    assert first.doc_id == content_id(JSONL_LINES[0])
    assert first.size == len(JSONL_LINES[0])
    assert (second.text, second.media_type, second.title) == (
        "<p>Troops withdrew.</p>",
        "text/html",
        "Withdrawal",
    )
    assert second.published == "4 Nov 2019 10:00"
    assert (both.text, both.media_type) == ("<p>Both given.</p>", "text/html")


def test_read_paths_jsonl_line_id_ignores_line_endings_and_file(tmp_path: Path) -> None:
    line = json.dumps({"text": "Same record."}).encode()
    unix = read_doc(write(tmp_path / "a.jsonl", line + b"\n"))
    windows = read_doc(write(tmp_path / "b.jsonl", b"\xef\xbb\xbf" + line + b"\r\n"))
    assert unix.doc_id == windows.doc_id == content_id(line)


def test_read_paths_jsonl_cp1252_line_is_decoded(tmp_path: Path) -> None:
    line = '{"text": "“Quoted” café at €5"}'.encode("cp1252")
    doc = read_doc(write(tmp_path / "a.jsonl", line))
    assert (doc.text, doc.encoding) == ("“Quoted” café at €5", "cp1252")


def test_read_paths_jsonl_binary_file_is_one_skip(tmp_path: Path) -> None:
    skip = read_skip(write(tmp_path / "a.jsonl", b"\x89PNG\r\n\x1a\n\x00\n\x00\n{}\n"))
    assert skip.reason == "binary content (PNG image), not JSON Lines"


def test_read_paths_jsonl_utf16_file_is_one_skip(tmp_path: Path) -> None:
    skip = read_skip(write(tmp_path / "a.jsonl", '{"text": "x"}\n'.encode("utf-16")))
    assert skip.reason == "utf-16-le text; JSON Lines must be UTF-8 (re-encode the file)"


def test_read_paths_jsonl_nul_line_skips_only_that_line(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", b'{"text": "a"}\n\x00\x00\x00\n{"text": "b"}\n')
    items = list(read_paths([path]))
    assert [type(item) for item in items] == [RawDocument, Skipped, RawDocument]
    assert isinstance(items[1], Skipped)
    assert items[1].item == f"{path}:2"
    assert items[1].reason.startswith("binary content (NUL bytes")


def test_read_paths_jsonl_unpaired_surrogate(tmp_path: Path) -> None:
    skip = read_skip(write(tmp_path / "a.jsonl", b'{"text": "bad \\ud800 escape"}'))
    assert skip.item == f"{tmp_path / 'a.jsonl'}:1"
    assert skip.reason.startswith("'text' holds an unpaired surrogate")


def test_read_paths_truncated_jsonl_gz_keeps_earlier_lines(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"Story number {n} " + "x" * 200}) for n in range(200)]
    packed = gzip.compress("\n".join(lines).encode())
    path = write(tmp_path / "a.jsonl.gz", packed[: len(packed) - 40])
    items = list(read_paths([path]))
    docs = [item for item in items if isinstance(item, RawDocument)]
    assert docs and all(doc.origin.startswith(f"{path}:") for doc in docs)
    last = items[-1]
    assert isinstance(last, Skipped)
    assert last.item == str(path)
    assert last.reason.startswith("truncated gzip stream")
    assert last.reason.endswith(f" after line {len(docs)}")


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=300).filter(lambda text: text.strip()))
def test_read_paths_doc_id_is_content_hash(text: str) -> None:
    data = text.encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        first = Path(folder, "first.txt")
        second = Path(folder, "nested", "second.text")
        write(first, data)
        write(second, data)
        items = list(read_paths([first, second, first]))
    ids = {item.doc_id for item in items if isinstance(item, RawDocument)}
    assert len(ids) <= 1
    assert ids <= {content_id(data)}


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["a.txt", "a.html", "a.jsonl", "a.txt.gz"]))
def test_read_paths_never_raises_on_any_bytes(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder, name), data)
        items = list(read_paths([path]))
    assert all(isinstance(item, RawDocument | Skipped) for item in items)
    assert name.endswith(".jsonl") or len(items) == 1
    for item in items:
        if isinstance(item, RawDocument):
            assert item.text.strip()
            assert "\r" not in item.text


@pytest.mark.skipif(os.name != "posix", reason="needs byte file names")
def test_read_paths_non_utf8_file_name_is_read_with_escaped_origin(tmp_path: Path) -> None:
    path = Path(os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.txt"))
    try:
        path.write_bytes(b"News.")
    except (OSError, UnicodeEncodeError):
        pytest.skip("file system refuses non-UTF-8 names")
    doc = read_doc(path)
    assert doc.origin == f"{tmp_path}/caf\\xe9.txt"
    assert doc.origin.encode("utf-8")


def test_read_paths_too_large_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_decode, "MAX_BYTES", 10)
    skip = read_skip(write(tmp_path / "a.txt.gz", gzip.compress(b"x" * 11)))
    assert skip.reason.startswith("too large (over ")


def test_read_paths_jsonl_overlong_line_is_skipped_and_reading_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_jsonl, "MAX_BYTES", 20)
    path = write(
        tmp_path / "a.jsonl", b'{"text": "a"}\n{"text": "' + b"x" * 50 + b'"}\n{"text": "b"}'
    )
    items = list(read_paths([path]))
    assert [type(item) for item in items] == [RawDocument, Skipped, RawDocument]
    assert isinstance(items[1], Skipped)
    assert (items[1].item, items[1].reason) == (f"{path}:2", "line too long (over 0 MiB)")
    assert isinstance(items[2], RawDocument)
    assert items[2].origin == f"{path}:3"


def test_jsonl_of_another_shape_is_read_through_named_fields(tmp_path: Path) -> None:
    from dyadwatch.ingest import JsonlFields

    path = tmp_path / "dump.jsonl"
    records = [
        {
            "article": {
                "headline": "Energy deal",
                "paragraphs": ["Russia and China signed a deal.", "Gas deliveries will rise."],
                "meta": {"ts": 1709640000},
            },
            "links": [{"href": "https://wire.example.org/energy"}],
        },
        {"article": {"paragraphs": ["Talks went on."], "meta": {"ts": 1709640000123}}},
        {"article": {"headline": "No body"}},
        {"article": {"paragraphs": "One string", "meta": {"ts": "5 March 2024, 14:30 MSK"}}},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    fields = JsonlFields(
        text="article.paragraphs", title="article.headline", published="article.meta.ts",
        url="links.0.href",
    )  # fmt: skip
    first, second, third, fourth = list(read_paths([path], jsonl=fields))
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.text == "Russia and China signed a deal.\n\nGas deliveries will rise."
    assert (first.title, first.url) == ("Energy deal", "https://wire.example.org/energy")
    assert first.published == "2024-03-05T12:00:00+00:00"
    assert second.published == "2024-03-05T12:00:00.123000+00:00"  # milliseconds
    assert isinstance(third, Skipped)
    assert third.reason == "no 'article.paragraphs' or 'html' field (each line needs one of them)"
    assert isinstance(fourth, RawDocument) and fourth.published == "5 March 2024, 14:30 MSK"


def test_count_pages_counts_lines_of_plain_lists_and_knows_when_it_cannot(tmp_path: Path) -> None:
    from dyadwatch.ingest import count_pages

    (tmp_path / "a.html").write_text("<p>Russia and China met.</p>", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        '{"text": "one"}\n\n{"text": "two"}\nnot json\n', encoding="utf-8"
    )
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text("Talks in Beijing.", encoding="utf-8")
    assert count_pages([tmp_path]) == sum(1 for _ in read_paths([tmp_path])) == 5
    urls = tmp_path / "list.urls"
    urls.write_text("# wire\nhttps://a.example/1\n\nhttps://a.example/2\n", encoding="utf-8")
    assert count_pages([urls, "https://b.example/x"]) == 3
    feed = tmp_path / "feed.rss"
    feed.write_text("<rss/>", encoding="utf-8")
    assert count_pages([tmp_path]) is None
    feed.unlink()
    (tmp_path / "d.jsonl.gz").write_bytes(b"")
    assert count_pages([tmp_path]) is None


def test_listed_urls_are_the_urls_given_and_those_in_lists(tmp_path: Path) -> None:
    plain = tmp_path / "a.urls"
    plain.write_text("# sources\nhttps://example.org/1\n\nhttps://example.org/2\n")
    packed = tmp_path / "b.urls.gz"
    packed.write_bytes(gzip.compress(b"https://example.org/3\n"))
    broken = tmp_path / "c.urls.gz"
    broken.write_bytes(b"not gzip")
    page = tmp_path / "d.html"
    page.write_text("<p>https://example.org/not-a-list</p>")
    inputs = ["https://example.org/0", str(plain), str(packed), str(broken), str(page)]
    assert listed_urls(inputs) == [f"https://example.org/{n}" for n in range(4)]
