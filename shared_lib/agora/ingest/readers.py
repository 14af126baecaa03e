"""Feed readers, by format name: each loads one file into the temporary table `raw`, every
provider column as text, in file order. Add a format with `READERS.register(name, reader)`.

A file that cannot be read at all raises `FileRejected` with a message that names the problem
and never quotes the file's content (it may hold identifiers).
"""
from __future__ import annotations

import codecs
import csv
import re
from pathlib import Path
from typing import Protocol

import duckdb

from ..feeds import Feed
from .errors import FileRejected

NATIVE_ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "latin-1": "latin-1",
                    "iso-8859-1": "latin-1", "latin1": "latin-1", "utf-16": "utf-16"}
MAX_LINE_BYTES = 2_000_000          # a longer line (or JSON object) rejects the file
CHUNK = 1 << 20


class Reader(Protocol):
    def __call__(self, con: duckdb.DuckDBPyConnection, path: Path, feed: Feed,
                 work: Path) -> list[str]:
        """Create temp table `raw` from `path`; return its column names."""


class ReaderRegistry:
    """Format name -> reader (after papermill's iorw register)."""

    def __init__(self) -> None:
        self._readers: dict[str, Reader] = {}
        self._text: set[str] = set()

    def register(self, name: str, reader: Reader, text: bool = False) -> None:
        """Add a reader; `text` formats are line based (lines longer than the limit reject)."""
        self._readers[name] = reader
        if text:
            self._text.add(name)

    def is_text(self, name: str) -> bool:
        return name in self._text

    def get(self, name: str) -> Reader:
        try:
            return self._readers[name]
        except KeyError:
            raise KeyError(f"no reader for format {name!r}; known: "
                           f"{', '.join(sorted(self._readers))}") from None

    def read(self, con, path: Path, feed: Feed, work: Path) -> list[str]:
        if not path.is_file():
            raise FileRejected(path.name, "not a regular file")
        if path.stat().st_size == 0:
            raise FileRejected(path.name, "the file is empty")
        return self.get(feed.format)(con, path, feed, work)


def _duckdb_problem(exc: Exception, what: str) -> str:
    """A short description of a DuckDB read error, without quoting file content."""
    text = str(exc)
    line = re.search(r"[Ll]ine:? (\d+)", text)
    at = f" (line {line.group(1)})" if line else ""
    lowered = text.lower()
    if "unicode" in lowered or "utf-8" in lowered or "utf8" in lowered:
        return f"not valid UTF-8 text{at}"
    if "maximum line size" in lowered or "maximum_object_size" in lowered \
            or "object size" in lowered or "line size" in lowered:
        return f"a line longer than the {MAX_LINE_BYTES:,} byte limit{at}"
    if "expected number of columns" in lowered or "too many columns" in lowered \
            or "not enough columns" in lowered:
        return f"a row has the wrong number of fields: truncated or malformed {what}{at}"
    if "unterminated quote" in lowered or "quote" in lowered:
        return f"an unterminated quoted field: truncated or malformed {what}{at}"
    if "json" in lowered or "malformed" in lowered:
        return f"not valid JSON lines{at}"
    if "parquet" in lowered or "magic" in lowered:
        return "not a valid Parquet file"
    first = text.splitlines()[0] if text else type(exc).__name__
    first = re.sub(r"Original Line:.*", "", first)
    return f"cannot be read as {what}: {first[:200]}"


def _require(path: Path, found: list[str], feed: Feed, kind: str) -> None:
    missing = [c for c in feed.provider_columns if c not in found]
    if missing:
        shown = ", ".join(missing[:8]) + (" ..." if len(missing) > 8 else "")
        raise FileRejected(path.name, f"wrong {kind}: missing column(s) {shown}; expected the "
                                      f"{feed.name} layout")


def _utf8_copy(path: Path, encoding: str, work: Path) -> Path:
    """Transcode to UTF-8 in chunks (for encodings DuckDB does not read itself)."""
    out = work / (path.name + ".utf8")
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    offset = 0
    with open(path, "rb") as src, open(out, "w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(CHUNK):
            try:
                dst.write(decoder.decode(chunk))
            except UnicodeDecodeError as exc:
                raise FileRejected(path.name, f"not valid {encoding} text (byte "
                                              f"{offset + exc.start:,})") from None
            offset += len(chunk)
        try:
            dst.write(decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            raise FileRejected(path.name, f"not valid {encoding} text (ends mid-character)")
    return out


def _text_source(path: Path, feed: Feed, work: Path) -> tuple[Path, str]:
    encoding = str(feed.read_options.get("encoding", "utf-8")).lower()
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise FileRejected(path.name, f"feed {feed.name} declares unknown encoding "
                                      f"{encoding!r}") from None
    if encoding in NATIVE_ENCODINGS:
        return path, NATIVE_ENCODINGS[encoding]
    return _utf8_copy(path, encoding, work), "utf-8"


def _csv_header(path: Path, encoding: str, delimiter: str, quote: str) -> list[str]:
    with open(path, "rb") as f:
        first = f.readline(MAX_LINE_BYTES + 1)
    if len(first) > MAX_LINE_BYTES:
        raise FileRejected(path.name, f"the header line is longer than {MAX_LINE_BYTES:,} bytes")
    if b"\0" in first:
        raise FileRejected(path.name, "binary content, not delimited text")
    try:
        text = first.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError:
        raise FileRejected(path.name, f"the header is not valid {encoding} text") from None
    if not text.strip():
        raise FileRejected(path.name, "no header line")
    return next(csv.reader([text.rstrip("\r\n")], delimiter=delimiter, quotechar=quote))


def read_csv(con, path: Path, feed: Feed, work: Path) -> list[str]:
    opts = feed.read_options
    delimiter, quote = opts.get("delimiter", ","), opts.get("quote", '"')
    if not opts.get("header", True):
        raise FileRejected(path.name, f"feed {feed.name}: files without a header are not "
                                      "supported")
    source, encoding = _text_source(path, feed, work)
    header = _csv_header(source, encoding, delimiter, quote)
    _require(path, header, feed, "header")
    if len(set(header)) != len(header):
        raise FileRejected(path.name, "wrong header: a column name appears twice")
    columns = {name: "VARCHAR" for name in header}
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE raw AS SELECT * FROM read_csv($path, header = true, "
            "auto_detect = false, columns = $columns, delim = $delim, quote = $quote, "
            "escape = $quote, encoding = $encoding, max_line_size = $max_line, "
            "strict_mode = true, null_padding = false, nullstr = '')",
            {"path": str(source), "columns": columns, "delim": delimiter, "quote": quote,
             "encoding": encoding, "max_line": MAX_LINE_BYTES})
    except duckdb.Error as exc:
        raise FileRejected(path.name, _duckdb_problem(exc, "delimited text")) from None
    return header


def read_jsonl(con, path: Path, feed: Feed, work: Path) -> list[str]:
    source, _ = _text_source(path, feed, work)
    wanted = list(feed.provider_columns)
    try:
        keys = {k for (k,) in con.execute(
            "SELECT DISTINCT unnest(json_keys(json)) FROM (SELECT json FROM read_json_objects("
            "$path, format = 'newline_delimited', maximum_object_size = $max) LIMIT 1000)",
            {"path": str(source), "max": MAX_LINE_BYTES}).fetchall()}
        if not keys:
            raise FileRejected(path.name, "no JSON objects in the file")
        _require(path, sorted(keys), feed, "keys")
        con.execute(
            "CREATE OR REPLACE TEMP TABLE raw AS SELECT * FROM read_json($path, "
            "format = 'newline_delimited', columns = $columns, maximum_object_size = $max)",
            {"path": str(source), "columns": {c: "VARCHAR" for c in wanted},
             "max": MAX_LINE_BYTES})
    except duckdb.Error as exc:
        raise FileRejected(path.name, _duckdb_problem(exc, "JSON lines")) from None
    return wanted


def read_parquet(con, path: Path, feed: Feed, work: Path) -> list[str]:
    try:
        found = [r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet($path)",
                                           {"path": str(path)}).fetchall()]
        _require(path, found, feed, "columns")
        con.execute("CREATE OR REPLACE TEMP TABLE raw AS "
                    "SELECT CAST(COLUMNS(*) AS VARCHAR) FROM read_parquet($path)",
                    {"path": str(path)})
    except duckdb.Error as exc:
        raise FileRejected(path.name, _duckdb_problem(exc, "Parquet")) from None
    return found


READERS = ReaderRegistry()
READERS.register("csv", read_csv, text=True)
READERS.register("jsonl", read_jsonl, text=True)
READERS.register("parquet", read_parquet)
