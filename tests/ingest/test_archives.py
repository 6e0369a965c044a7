"""WARC archives (written with warcio) and RSS/Atom feeds (parsed with feedparser)."""

from __future__ import annotations

import gzip
from datetime import timedelta
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from dyadwatch.extract import extract_articles
from dyadwatch.ingest import read_paths
from dyadwatch.records import Article, RawDocument, Skipped

STORY = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>MOSCOW, March 5 -- Russia and China signed an agreement on energy cooperation on "
    "Tuesday, officials in both capitals said, after two days of talks in Moscow.</p>"
    "<p>The deal covers gas deliveries through a second pipeline and joint research on "
    "nuclear power, the Kremlin said in a statement published after the meeting.</p>"
    "</article></body></html>"
)
RUSSIAN = "Россия и Китай подписали соглашение о сотрудничестве в области энергетики."


def write_warc(path: Path, *, gzip_records: bool) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzip_records)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))

        def response(url: str, body: bytes, content_type: str, status: str = "200 OK") -> None:
            headers = StatusAndHeaders(
                status, [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, "response", payload=BytesIO(body), length=len(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2024-03-05T12:00:00Z"},
            )  # fmt: skip
            writer.write_record(record)

        asked = b"GET /a HTTP/1.1\r\n\r\n"
        request = writer.create_warc_record(
            "https://news.example.org/a", "request", payload=BytesIO(asked), length=len(asked)
        )
        writer.write_record(request)
        response(
            "https://news.example.org/a", STORY.format(title="Energy deal").encode(), "text/html"
        )
        cyrillic = f"<html><body><p>{RUSSIAN}</p></body></html>".encode("cp1251")
        response("https://news.example.ru/b", cyrillic, "text/html; charset=windows-1251")
        response(
            "https://news.example.org/logo.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 64, "image/jpeg"
        )
        response(
            "https://news.example.org/gone", b"<html>Not found</html>", "text/html", "404 Not Found"
        )
        response("https://news.example.org/empty", b"   ", "text/html")


def test_warc_pages_keep_their_url_date_and_charset(tmp_path: Path) -> None:
    for compressed in (False, True):
        path = tmp_path / ("pages.warc.gz" if compressed else "pages.warc")
        write_warc(path, gzip_records=compressed)
        items = list(read_paths([path]))
        pages = [item for item in items if isinstance(item, RawDocument)]
        skipped = [item for item in items if isinstance(item, Skipped)]
        assert [page.url for page in pages] == [
            "https://news.example.org/a",
            "https://news.example.ru/b",
        ]
        assert all(page.fetched_at.isoformat() == "2024-03-05T12:00:00+00:00" for page in pages)
        assert RUSSIAN in pages[1].text and pages[1].encoding == "windows-1251"
        assert all(page.origin.startswith(f"{path}@") for page in pages)
        assert sorted(item.reason for item in skipped) == [
            "HTTP status 404, not a page",
            "empty page",
        ]
        (article,) = [a for a in extract_articles(pages[:1]) if isinstance(a, Article)]
        assert article.url == "https://news.example.org/a" and article.title == "Energy deal"


def test_a_damaged_warc_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, gzip_records=True)
    data = whole.read_bytes()
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(data[: int(len(data) * 0.6)])
    items = list(read_paths([broken]))
    assert any(isinstance(item, RawDocument) for item in items)
    assert isinstance(items[-1], Skipped) and items[-1].reason.startswith("damaged WARC")
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"this is not an archive\n" * 10)
    (only,) = list(read_paths([junk]))
    assert isinstance(only, Skipped) and "damaged WARC" in only.reason and str(junk) in only.item


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Wire</title><link>https://wire.example.org/</link>
<item><title>Energy deal</title><link>https://wire.example.org/energy</link>
<pubDate>Tue, 05 Mar 2024 14:30:00 +0300</pubDate>
<content:encoded><![CDATA[{body}]]></content:encoded></item>
<item><title>No text</title><link>https://wire.example.org/empty</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>
<entry><title>Talks in Beijing</title><link href="https://desk.example.com/talks"/>
<id>urn:1</id><published>2024-03-05T09:00:00-05:00</published>
<summary>Russia and China held talks in Beijing on Tuesday about trade and energy, the foreign
ministries of both countries said in statements after the meeting ended.</summary></entry>
</feed>"""


def test_feed_entries_keep_the_printed_date_and_offset(tmp_path: Path) -> None:
    body = STORY.format(title="Energy deal").split("<body>")[1].split("</body>")[0]
    rss = tmp_path / "wire.rss"
    rss.write_text(RSS.format(body=body), encoding="utf-8")
    atom = tmp_path / "desk.xml.gz"
    atom.write_bytes(gzip.compress(ATOM.encode()))
    items = list(read_paths([rss, atom]))
    pages = [item for item in items if isinstance(item, RawDocument)]
    assert [page.published for page in pages] == [
        "Tue, 05 Mar 2024 14:30:00 +0300",
        "2024-03-05T09:00:00-05:00",
    ]
    assert [page.origin for page in pages] == [f"{rss}#1", f"{atom}#1"]
    (missing,) = [item for item in items if isinstance(item, Skipped)]
    assert missing.item == f"{rss}#2" and "without content" in missing.reason
    articles = [a for a in extract_articles(pages) if isinstance(a, Article)]
    offsets = {a.url: a.published.utcoffset() for a in articles if a.published}
    assert offsets == {
        "https://wire.example.org/energy": timedelta(hours=3),
        "https://desk.example.com/talks": timedelta(hours=-5),
    }
    assert again(rss) == again(rss)  # the same ids every time


def again(path: Path) -> list[str]:
    return [item.doc_id for item in read_paths([path]) if isinstance(item, RawDocument)]


def test_xml_that_is_not_a_feed_and_a_broken_feed_are_named(tmp_path: Path) -> None:
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text('<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>')
    broken = tmp_path / "broken.rss"
    broken.write_text("<rss><channel><item><title>x</ti")
    first, *rest = list(read_paths([sitemap, broken]))
    assert isinstance(first, Skipped) and "not an RSS or Atom feed" in first.reason
    assert all(isinstance(item, Skipped) for item in rest)
    assert rest[-1].item == str(broken) and rest[-1].reason.startswith("malformed feed")


def test_every_truncation_of_a_warc_is_named_and_keeps_whole_pages(tmp_path: Path) -> None:
    for compressed in (False, True):
        whole = tmp_path / ("w.warc.gz" if compressed else "w.warc")
        write_warc(whole, gzip_records=compressed)
        data = whole.read_bytes()
        full = [i.doc_id for i in read_paths([whole]) if isinstance(i, RawDocument)]
        cut = tmp_path / whole.name.replace("w.", "cut.")
        for end in range(1, len(data), max(1, len(data) // 60)):
            cut.write_bytes(data[:end])
            items = list(read_paths([cut]))
            pages = [i.doc_id for i in items if isinstance(i, RawDocument)]
            assert pages == full[: len(pages)], f"a partial page from {end} bytes"
            at_boundary = data[end:].lstrip(b"\r\n").startswith((b"WARC/", b"\x1f\x8b"))
            damaged = bool(items) and isinstance(items[-1], Skipped)
            assert at_boundary or (damaged and "damaged WARC" in items[-1].reason), end
