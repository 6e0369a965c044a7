"""Bytes -> text for ingest: binary sniffing, gzip, encoding detection, newline normalising.

Every helper either returns text or raises :class:`Unreadable` with a reason that names the
problem; nothing decodes with ``errors="replace"``.
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from charset_normalizer import from_bytes

from dyadwatch.records import RawDocument, content_id

MAX_BYTES = 64 * 1024 * 1024
"""Largest page (or JSONL line) read: 64 MiB, ~100x the largest news page with inline images."""

GZIP_MAGIC = b"\x1f\x8b"

_SNIFF_BYTES = 64 * 1024
_CONTROL_SHARE = 0.01  # news text has ~0 C0 controls; random bytes have 11% (28 of 256 values)
_WESTERN_NON_ASCII_SHARE = 0.3  # accented letters are 2-6% of letters in de/fr/es/pt text

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"PK\x07\x08", "ZIP archive"),
    (GZIP_MAGIC, "gzip data inside the file"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "Zstandard data"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "ELF executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2 document (old .doc/.xls)"),
    (b"PAR1", "Parquet file"),
    *((b"BZh%d1AY&SY" % level, "bzip2 data") for level in range(1, 10)),
)

_MAGIC_BY_FIRST_BYTE: dict[int, tuple[tuple[bytes, str], ...]] = {
    first: tuple(entry for entry in _MAGIC if entry[0][0] == first)
    for first in {magic[0] for magic, _ in _MAGIC}
}  # one look-up per line of a JSON Lines file, not thirty

# Checked longest first, so a UTF-32-LE BOM is not read as a UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)

# Control bytes that never occur in text (tab, newlines, form feed and ESC excepted).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_NON_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")

_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""")
_HTML_START = re.compile(r"[\ufeff\s]*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)

# WHATWG Encoding Standard: browsers decode these labels with a superset codec.
_SUPERSETS = {
    "ascii": "cp1252",
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
}

# Latin-1 symbols that never sit inside a word (soft hyphen, middle dot and the acute-accent
# apostrophe do), nor end a word of 3+ letters ("km²" is fine): when they do (Polish "głos" and
# "będą" in cp1250 read as cp1252 "g³os", "bêd¹"), the bytes are another single-byte encoding.
_ODD_IN_WORD = re.compile(
    r"(?<=[^\W\d_])[¡¢£¤¥¦§¨©«¬®¯°±²³¶¸¹»¼½¾¿×÷](?=[^\W\d_])|(?<=[^\W\d_]{3})[¹²³¿¤¦](?![^\W\d_])"
)

_LETTER = re.compile(r"[^\W\d_]")
_NON_ASCII_LETTER = re.compile(r"[^\W\d_A-Za-z]")

_DETECTOR_EXCLUDES = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le"]


class Unreadable(Exception):
    """A file or line cannot be read as text; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_limited(stream: io.BufferedReader | gzip.GzipFile) -> bytes:
    """Return the whole ``stream`` (at most :data:`MAX_BYTES`), gzip errors as Unreadable."""
    with gzip_errors():
        data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Unreadable(f"too large (over {MAX_BYTES // 2**20} MiB once decompressed)")
    return data


@contextmanager
def gzip_errors() -> Iterator[None]:
    """Turn the ways a gzip stream fails into :class:`Unreadable` with a plain reason."""
    try:
        yield
    except EOFError as exc:
        raise Unreadable(
            "truncated gzip stream (compressed file ended before the end-of-stream marker)"
        ) from exc
    except (gzip.BadGzipFile, zlib.error) as exc:
        if str(exc).startswith("Not a gzipped file"):
            raise Unreadable("not a gzip file (no gzip magic number at the start)") from exc
        raise Unreadable(f"corrupt gzip stream ({exc})") from exc


def open_maybe_gzip(path: Path, *, compressed: bool) -> io.BufferedReader | gzip.GzipFile:
    """Open ``path`` for binary reading, decompressing when named ``.gz`` or gzip-magic."""
    handle = path.open("rb")
    try:
        if not compressed and handle.peek(2)[:2] != GZIP_MAGIC:
            return handle
    except BaseException:
        handle.close()
        raise
    handle.close()
    return gzip.open(path, "rb")


def binary_format(data: bytes) -> str | None:
    """Return the binary format whose magic number starts ``data``, if any."""
    for magic, name in _MAGIC_BY_FIRST_BYTE.get(data[0], ()) if data else ():
        if data.startswith(magic):
            return name
    return "DuckDB database" if data[8:12] == b"DUCK" else None


def sniff_binary(data: bytes) -> str | None:
    """Return why ``data`` is binary rather than text, or None when it may be text."""
    name = binary_format(data)
    if name is not None:
        return f"binary content ({name}), not text"
    if _bom(data) is not None:
        return None  # UTF-16/32 text is full of NUL bytes; checked after decoding instead
    nul = data.find(b"\x00")
    if nul >= 0:
        return f"binary content (NUL bytes, first at byte {nul}), not text"
    sample = data[:_SNIFF_BYTES]
    controls = len(sample.translate(None, _NON_CONTROL_BYTES))
    if sample and controls / len(sample) > _CONTROL_SHARE:
        return f"binary content ({controls / len(sample):.0%} control characters), not text"
    return None


def looks_like_html(data: bytes | str) -> bool:
    """Whether ``data`` starts (after BOM and whitespace) with a doctype or ``<html`` tag."""
    head = data[:1024]
    if isinstance(head, bytes):
        head = head.removeprefix(codecs.BOM_UTF8).decode("latin-1")  # an ASCII prefix test only
    return _HTML_START.match(head) is not None


def decode(data: bytes, *, html: bool) -> tuple[str, str]:
    """Return ``(text, encoding)`` for ``data``: BOM, UTF-8, declared charset, then detection."""
    bom = _bom(data)
    if bom is not None:
        prefix, codec, name = bom
        try:
            return _checked(data[len(prefix) :].decode(codec), name), name
        except UnicodeDecodeError as exc:
            reason = f"starts with a {name} byte-order mark but is not {name} ({exc.reason})"
            raise Unreadable(reason) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
    declared = _declared_charset(data) if html else None
    if declared is not None and (declared_text := _try_decode(data, declared)) is not None:
        return declared_text, declared
    western = _try_decode(data, "cp1252")
    if western is not None and _looks_western(western):
        return western, "cp1252"
    match = from_bytes(data, cp_exclusion=_DETECTOR_EXCLUDES).best()
    detected = None if match is None else _canonical(match.encoding)
    if detected is not None and (detected_text := _try_decode(data, detected)) is not None:
        return detected_text, detected
    raise Unreadable(f"undecodable text: {utf8_error}, and no other encoding fits")


def decode_declared(data: bytes, charset: str | None, *, html: bool) -> tuple[str, str]:
    """Like :func:`decode`, trying first the charset a transport declared (an HTTP header)."""
    if charset:
        try:
            return _checked(data.decode(charset), charset.lower()), charset.lower()
        except (LookupError, UnicodeDecodeError, Unreadable):
            pass
    return decode(data, html=html)


def http_document(
    data: bytes,
    *,
    origin: str,
    url: str | None,
    fetched_at: datetime,
    media_type: str | None,
    charset: str | None,
) -> RawDocument:
    """The page a web response carried (fetched live or from an archive): HTML unless it says
    ``text/plain`` and does not look like HTML, decoded by its declared charset; raises
    ``Unreadable`` for an empty, binary or blank payload."""
    if not data.strip():
        raise Unreadable("empty page")
    binary = sniff_binary(data)
    if binary is not None:
        raise Unreadable(binary)
    is_html = media_type != "text/plain" or looks_like_html(data)
    text, encoding = decode_declared(data, charset, html=is_html)
    if not text.strip():
        raise Unreadable("whitespace-only page (no text)")
    return RawDocument(
        doc_id=content_id(data),
        origin=origin,
        media_type="text/html" if is_html else "text/plain",
        text=normalise_newlines(text),
        encoding=encoding,
        size=len(data),
        fetched_at=fetched_at,
        url=url,
    )


def byte_order_mark(data: bytes) -> str | None:
    """Return the encoding named by the byte-order mark ``data`` starts with, if any."""
    bom = _bom(data)
    return None if bom is None else bom[2]


def path_label(path: Path) -> str:
    """Return ``path`` as text safe to store: bytes of a non-UTF-8 file name as ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def os_reason(exc: OSError) -> str:
    """Return a short reason for a failed open or read."""
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read ({exc.strerror or exc})"


def normalise_newlines(text: str) -> str:
    """Return ``text`` with CRLF and lone CR turned into LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _bom(data: bytes) -> tuple[bytes, str, str] | None:
    for prefix, codec, name in _BOMS:
        if data.startswith(prefix):
            return prefix, codec, name
    return None


def _checked(text: str, encoding: str) -> str:
    controls = len(_CONTROL_CHARS.findall(text[:_SNIFF_BYTES]))
    if text and controls / min(len(text), _SNIFF_BYTES) > _CONTROL_SHARE:
        raise Unreadable(
            f"binary content (control characters once decoded as {encoding}), not text"
        )
    return text


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    try:
        return _checked(text, encoding)
    except Unreadable:
        return None


def _canonical(label: str) -> str | None:
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def _declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if match is None:
        return None
    name = _canonical(match.group(1).decode("ascii"))
    # A page readable as ASCII bytes cannot really be UTF-16/32; WHATWG reads such labels as UTF-8.
    if name is None or name.startswith(("utf-16", "utf-32")):
        return None
    return name


def _looks_western(text: str) -> bool:
    if _ODD_IN_WORD.search(text):
        return False
    sample = text[: 4 * _SNIFF_BYTES]
    letters = len(_LETTER.findall(sample))
    non_ascii = len(_NON_ASCII_LETTER.findall(sample))
    return non_ascii <= _WESTERN_NON_ASCII_SHARE * letters
