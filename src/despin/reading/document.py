"""Read a file, bytes or stdin into a :class:`Document` of plain text.

Plain text is decoded strictly (UTF-8 with or without BOM, UTF-16/32 with a
BOM) and kept exactly as it is, line endings included, so that ``restore`` can
give back unflagged text byte for byte.  HTML pages are reduced to their main
text with trafilatura (nothing is fetched from the network), PDFs to the text
pypdf can extract.  Anything else raises :class:`InputError` with one line
that says what is wrong.
"""
from __future__ import annotations

import codecs
import io
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import webencodings

from despin.reporting.safe import valid_utf8
from despin.reporting.sizes import size_text

from .errors import InputError, os_error

DEFAULT_MAX_BYTES = 200 * 1000 * 1000  # 200 MB

FORMATS = ("text", "html", "pdf")
SUPPORTED = "supported: text, HTML, PDF"

HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".shtml"})
PDF_EXTENSIONS = frozenset({".pdf"})
# Extensions we know are not text; anything unknown is sniffed instead.
UNSUPPORTED_EXTENSIONS = frozenset(
    {
        ".doc", ".docx", ".docm", ".dot", ".dotx", ".odt", ".ott", ".rtf", ".pages",
        ".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".odp", ".key",
        ".epub", ".mobi", ".azw", ".azw3", ".djvu", ".ps", ".xps",
        ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic", ".ico", ".svgz",
        ".zip", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".tar",
        ".mp3", ".wav", ".ogg", ".flac", ".m4a", ".mp4", ".mkv", ".avi", ".mov", ".webm",
        ".exe", ".dll", ".so", ".dylib", ".bin", ".o", ".class", ".jar", ".pyc",
        ".sqlite", ".db", ".parquet", ".pkl", ".npy", ".npz",
    }
)

# Magic numbers of common non-text formats, for inputs without a telling extension.
_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive (.docx, .odt, .epub, .zip, ...)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.doc, .xls, ...)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

_BOMS = (  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

SNIFF_BYTES = 8192
# C0 controls other than \t \n \v \f \r and ESC (ANSI colours in logs), plus DEL.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_CONTROL_SHARE = 0.10

_HTML_START = re.compile(
    r"\A(?:\s|<\?xml[^>]*\?>|<!--.*?-->)*<(?:!doctype\s+html|html[\s>/])",
    re.IGNORECASE | re.DOTALL,
)
_XML_DECL = re.compile(r"\A\s*<\?xml[^>]*\?>", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)


@dataclass(frozen=True)
class Document:
    """Text read from one input, with where it came from and what it was."""

    text: str
    source: str  # the path as given, or "<stdin>"
    format: str  # "text" | "html" | "pdf"
    # Plain text only: the byte-order mark it began with (left out of `text`) and its codec, so
    # that `restore` can write the text back as it came.
    bom: bytes = b""
    codec: str = "utf-8"


# --------------------------------------------------------------------------- entry points


def read_path(path: str | Path, format: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read the file at ``path``; raise :class:`InputError` if it can't be read as text."""
    source = str(path)
    if not source:
        raise InputError('""', "the file name is empty")  # Path("") is the current folder
    p = Path(path)
    ext = p.suffix.lower()
    if format is None and ext in UNSUPPORTED_EXTENSIONS:
        raise InputError(source, f"unsupported format {ext} ({SUPPORTED})")
    try:
        if p.is_dir():
            raise InputError(source, "is a directory, not a file")
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError(source, f"too large ({size_text(size)}; the limit is {size_text(max_bytes)})")
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # files that grow while we read are still capped
    except OSError as exc:
        raise os_error(source, exc) from None
    return read_bytes(data, source, format, max_bytes=max_bytes)


def read_stdin(format: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, source: str = "<stdin>") -> Document:
    """Read all of standard input (as bytes, so nothing is re-encoded on the way)."""
    if sys.stdin is None:  # started with its standard input closed (`despin check - <&-`)
        raise InputError(source, "standard input is closed")
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stream, e.g. swapped in by a test harness
        text = sys.stdin.read()
        data = text.encode("utf-8", "surrogateescape")
    else:
        data = stream.read(max_bytes + 1)
    return read_bytes(data, source, format, max_bytes=max_bytes)


def read_bytes(
    data: bytes, source: str, format: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Document:
    """Turn raw bytes into a :class:`Document`.

    ``format`` forces "text", "html" or "pdf"; by default it is sniffed from the
    extension of ``source`` and from the content.
    """
    if len(data) > max_bytes:
        raise InputError(source, f"too large (over {size_text(max_bytes)}, the limit)")
    if format is not None:
        format = format.lower()
        if format == "htm":
            format = "html"
        if format not in FORMATS:
            raise InputError(source, f"unknown format {format!r} ({SUPPORTED})")
    if not data:
        return Document("", source, format or _format_from_extension(source) or "text")

    fmt = format or sniff_format(data, source)
    if fmt == "pdf":
        return Document(_pdf_text(data, source), source, "pdf")
    if fmt == "text" and format is None and _starts_as_html(data):
        fmt = "html"  # a page saved under another name, whose <meta> may name its charset
    text, bom, codec = _decode(data, source, html=fmt == "html")
    if fmt == "html":
        return Document(html_to_text(text, source), source, "html")
    return Document(text, source, "text", bom, codec)  # restore writes it back in the same codec


def plain_text_head(head: bytes, source: str) -> bool:
    """Whether a file starting with `head` reads as plain text, not as HTML or PDF whatever its
    name says: only such a file may be streamed block by block."""
    return sniff_format(head, source) == "text" and not _starts_as_html(head)


def _starts_as_html(data: bytes) -> bool:
    """Whether `data` begins as an HTML page does, read before its charset is known (the start
    that tells is ASCII in every charset a <meta> may name)."""
    bom, codec, _ = byte_order_mark(data)
    start = data[len(bom):len(bom) + SNIFF_BYTES].decode(codec, "ignore")
    return bool(_HTML_START.match(start[:4096]))


def sniff_format(data: bytes, source: str = "") -> str:
    """"pdf", "html" or "text" from the extension and the first bytes.

    Raises :class:`InputError` for known non-text formats.
    """
    head = data[:SNIFF_BYTES]
    if head.lstrip(b" \t\r\n\x0c").startswith(b"%PDF-"):
        return "pdf"
    by_ext = _format_from_extension(source)
    if by_ext == "pdf":
        return "pdf"  # no magic: _pdf_text will say the file is broken
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise InputError(source, f"looks like {what}, an unsupported format ({SUPPORTED})")
    return by_ext or "text"


def _format_from_extension(source: str) -> str | None:
    ext = Path(source).suffix.lower() if source and not source.startswith("<") else ""
    if ext in HTML_EXTENSIONS:
        return "html"
    if ext in PDF_EXTENSIONS:
        return "pdf"
    return None


# --------------------------------------------------------------------------- text decoding


def byte_order_mark(head: bytes) -> tuple[bytes, str, str]:
    """(the byte-order mark `head` starts with, its codec, its encoding's name); without one,
    (b"", "utf-8", "UTF-8")."""
    return next((entry for entry in _BOMS if head.startswith(entry[0])), (b"", "utf-8", "UTF-8"))


def _decode(data: bytes, source: str, html: bool = False) -> tuple[str, bytes, str]:
    """Strict decoding, with the byte-order mark and the codec used: BOM-marked UTF-8/16/32, else UTF-8, else (for
    HTML only) the charset its <meta> declares; never a silent guess. Plain text is thus always in a Unicode codec,
    which `restore` can write any restored text back in."""
    bom, codec, name = byte_order_mark(data)
    if bom:
        try:
            text = data[len(bom):].decode(codec)
        except UnicodeDecodeError as exc:
            raise InputError(
                source, f"not valid {name} at byte {exc.start + len(bom)} despite its byte-order mark"
            ) from None
        _check_binary_text(text, source)
        return text, bom, codec

    _check_binary_bytes(data, source)
    try:
        return data.decode("utf-8"), b"", "utf-8"
    except UnicodeDecodeError as exc:
        if html:
            declared = _declared_charset(data)
            if declared:
                try:
                    return declared.decode(data)[0], b"", declared.name
                except UnicodeError:
                    pass
        raise InputError(
            source,
            f"not valid UTF-8 at byte {exc.start} (try converting it with iconv, "
            f"e.g. iconv -f WINDOWS-1252 -t UTF-8)",
        ) from None


def _check_binary_bytes(data: bytes, source: str) -> None:
    head = data[:SNIFF_BYTES]
    nul = head.find(b"\x00")
    if nul >= 0:
        even = head[0::2].count(0)
        odd = head[1::2].count(0)
        if len(head) >= 4 and max(even, odd) >= 0.4 * (len(head) / 2) and min(even, odd) <= 0.05 * len(head):
            raise InputError(
                source,
                "looks like UTF-16 without a byte-order mark; convert it to UTF-8 "
                "(e.g. iconv -f UTF-16LE -t UTF-8)",
            )
        raise InputError(source, "looks like a binary file (NUL bytes), not text")
    controls = sum(head.count(b) for b in _CONTROL_BYTES)
    if head and controls / len(head) > _CONTROL_SHARE:
        raise InputError(source, "looks like a binary file (many control characters), not text")


def _check_binary_text(text: str, source: str) -> None:
    head = text[:SNIFF_BYTES]
    if "\x00" in head:
        raise InputError(source, "looks like a binary file (NUL characters), not text")
    controls = sum(1 for ch in head if (ord(ch) < 32 and ch not in "\t\n\x0b\x0c\r\x1b") or ch == "\x7f")
    if head and controls / len(head) > _CONTROL_SHARE:
        raise InputError(source, "looks like a binary file (many control characters), not text")


def _declared_charset(data: bytes) -> codecs.CodecInfo | None:
    """The codec of the charset a page's <meta> declares, by the web's own table of
    labels (the WHATWG Encoding Standard, as `webencodings` holds it): "latin1" is read as
    windows-1252, as browsers do, and a Python codec that is no web charset ("unicode_escape",
    "punycode") is no declaration at all. Some of its codecs ("x-user-defined") are none of
    Python's, so the codec itself is returned, not a name to look up."""
    m = _META_CHARSET.search(data[:SNIFF_BYTES])
    if not m:
        return None
    encoding = webencodings.lookup(m.group(1).decode("ascii", "replace"))
    # The standard reads a declared UTF-16 as UTF-8 (a page whose <meta> could be read as ASCII
    # is no UTF-16), which has been tried already; "replacement" turns the page into one U+FFFD.
    if encoding is None or encoding.name in ("utf-16le", "utf-16be", "replacement"):
        return None
    return encoding.codec_info


# --------------------------------------------------------------------------- HTML

_BLOCK_TAGS = frozenset(
    """address article aside blockquote body dd details div dl dt fieldset figcaption figure
    footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody
    td th thead tfoot tr ul caption center""".split()
)
_SKIP_TAGS = frozenset(
    "script style noscript template head svg math iframe object embed canvas audio video select button".split()
)
_VOID_TAGS = frozenset({"embed"})  # skipped elements without an end tag
_HEAD_CONTENT = frozenset("title meta link style script noscript base template".split())
_SOURCE_LINK_TEXT = re.compile(r"^\s*source\s+link\s*$", re.IGNORECASE)
_TRAILING_SOURCE_LINK = re.compile(r"(?<=[.!?\"\u201d)])\s+source\s+link\s*$", re.IGNORECASE)


def html_to_text(html: str, source: str = "<html>") -> str:
    """Main text of an HTML page, paragraphs separated by blank lines.

    Uses trafilatura on the string it is given (it never fetches anything),
    falls back to a plain lxml walk when trafilatura finds nothing, and keeps a
    closing "Source link" (with its URL) so boilerplate detection can report it.
    """
    html = _XML_DECL.sub("", html, count=1)  # lxml refuses str input with an encoding declaration
    if not html.strip():
        return ""
    try:
        tree, cut_short = _parse_html(html)
    except Exception as exc:  # malformed beyond repair
        raise InputError(source, f"cannot parse this HTML ({type(exc).__name__})") from None
    if cut_short:
        # libxml2 stops building the tree 256 elements deep and drops what lies below, so a
        # page nested that deep (by accident or to hide text from tools) is read tag by tag,
        # which has no depth to exceed: all its visible text, nothing dropped.
        return _streamed_text(html)
    if tree is None:
        return ""

    text = None
    try:
        text = _trafilatura_text(tree)
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - any trafilatura failure falls back to lxml
        text = None
    try:
        walked = _lxml_text(tree)
    except Exception as exc:  # noqa: BLE001
        if not text:
            raise InputError(source, f"cannot extract text from this HTML ({type(exc).__name__})") from None
        walked = None
    # On a short page trafilatura may keep every word but run the paragraphs into one; the walk
    # then gives the same words with the page's own breaks.
    if not text or (walked and text.split() == walked.split()):
        text = walked or ""
    return _keep_source_link(text, tree)


def _parse_html(html: str):
    """The page's tree (None for tag-free junk), and whether the parser gave up on part of it
    (a resource limit such as nesting depth: the tree then lacks the text below that point)."""
    import lxml.html

    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True)
    try:
        tree = lxml.html.document_fromstring(html, parser=parser)
    except Exception as exc:  # lxml raises ParserError("Document is empty") for tag-free junk
        if "empty" in str(exc).lower():
            return None, False
        raise
    return tree, any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)


def _trafilatura_text(tree) -> str | None:
    import copy

    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(
        copy.deepcopy(tree),  # trafilatura prunes the tree it is given
        url=None,
        output_format="xml",
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        with_metadata=False,
        deduplicate=False,
        favor_recall=True,
    )
    if not xml:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
    doc = etree.fromstring(xml.encode("utf-8"), parser=parser)
    main = doc.find("main") if doc is not None else None
    if main is None:
        return None
    blocks = []
    for el in main:
        if not isinstance(el.tag, str) or el.tag in ("table", "graphic"):
            continue
        if el.tag == "list":
            items = [_flatten(item).strip() for item in el.iter("item")]
            block = "\n".join(f"- {item}" for item in items if item)
        else:
            block = _flatten(el).strip()
        if block:
            blocks.append(block)
    return "\n\n".join(blocks) or None


def _flatten(el) -> str:
    """Text of a trafilatura XML element, with <lb/> as a line break."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag not in ("list",):
            parts.append(_flatten(child))
        else:
            parts.append("\n" + "\n".join("- " + _flatten(i).strip() for i in child.iter("item")) + "\n")
        parts.append(child.tail or "")
    return "".join(parts)


def _lxml_text(tree) -> str:
    """Visible text of the whole page, one block per paragraph-like element."""
    from lxml import etree

    blocks: list[str] = []
    buf: list[str] = []
    skip_depth = 0

    def flush() -> None:
        block = _block(buf)
        buf.clear()
        if block:
            blocks.append(block)

    for event, el in etree.iterwalk(tree, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if event == "start":
            if skip_depth or tag in _SKIP_TAGS:
                skip_depth += 1
                continue
            if tag in _BLOCK_TAGS:
                flush()
            elif tag == "br":
                buf.append("\n")
            if tag is not None and el.text:
                buf.append(el.text)
        else:
            if skip_depth:
                skip_depth -= 1
                if skip_depth:
                    continue
            elif tag in _BLOCK_TAGS:
                flush()
            if el.tail and el.getparent() is not None:
                buf.append(el.tail)
    flush()
    return "\n\n".join(blocks)


def _block(parts: list[str]) -> str:
    """One paragraph-like element's text: spaces collapsed within each line, blank lines dropped."""
    lines = [" ".join(line.split()) for line in "".join(parts).split("\n")]
    return "\n".join(line for line in lines if line)


class _TextStream(HTMLParser):
    """Visible text read tag by tag, one block per paragraph-like element, as _lxml_text
    reads it from a tree."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.buf: list[str] = []
        self.skip = 0  # how many skipped elements (script, style, ...) are open
        self.in_head = False

    def flush(self) -> None:
        block = _block(self.buf)
        self.buf.clear()
        if block:
            self.blocks.append(block)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "body":
            self.skip = 0  # a head left open (its end tag is optional) ends here
            self.in_head = False
        elif self.in_head and self.skip == 1 and tag not in _HEAD_CONTENT:
            # ... and so does any element a head cannot hold: a page with neither </head> nor
            # <body> keeps its text.
            self.skip = 0
            self.in_head = False
        if tag == "head":
            self.in_head = True
        if tag in _SKIP_TAGS and tag not in _VOID_TAGS:
            self.skip += 1
        elif not self.skip and tag in _BLOCK_TAGS:
            self.flush()
        elif not self.skip and tag == "br":
            self.buf.append("\n")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if not self.skip and tag == "br":
            self.buf.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            if not self.in_head:
                return  # closed already by the element that followed it
            self.in_head = False
        if tag in _SKIP_TAGS and tag not in _VOID_TAGS:
            self.skip = max(0, self.skip - 1)
        elif not self.skip and tag in _BLOCK_TAGS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.buf.append(data)


def _streamed_text(html: str) -> str:
    stream = _TextStream()
    stream.feed(html)
    stream.close()
    stream.flush()
    return "\n\n".join(stream.blocks)


def _keep_source_link(text: str, tree) -> str:
    """Make sure a page's closing "Source link" survives extraction, URL and all."""
    found = None
    for el in tree.iter("a", "p", "div", "span"):
        if el.getparent() is None or any(a.tag in _SKIP_TAGS for a in el.iterancestors()):
            continue
        if _SOURCE_LINK_TEXT.match(el.text_content() or ""):
            found = el
    if found is None:
        return text
    href = found.get("href")
    if href is None:
        for a in found.iter("a"):
            href = a.get("href")
            break
    line = "Source link"
    if href and re.match(r"https?://\S+$", href.strip()):
        line += " " + href.strip()
    lines = text.rstrip().split("\n")
    while lines and (not lines[-1].strip() or _SOURCE_LINK_TEXT.match(lines[-1])):
        lines.pop()
    # The page's own link, run into the last paragraph, is the one written out below.
    body = _TRAILING_SOURCE_LINK.sub("", "\n".join(lines)).rstrip()
    return f"{body}\n\n{line}" if body else line


# --------------------------------------------------------------------------- PDF


def _pdf_text(data: bytes, source: str) -> str:
    import logging

    import pypdf
    from pypdf.errors import FileNotDecryptedError

    if not data.lstrip(b" \t\r\n\x0c").startswith(b"%PDF-"):
        raise InputError(source, "broken PDF (no %PDF- header)")
    pypdf_log = logging.getLogger("pypdf")
    old_level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)  # pypdf warns about every repaired xref
    try:
        try:
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on broken input
            raise InputError(source, f"broken PDF ({_short(exc)})") from None
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # noqa: BLE001 - missing crypto backend, unknown algorithm, ...
                ok = 0
            if not ok:
                raise InputError(source, "encrypted PDF (it needs a password); decrypt it first, e.g. with qpdf")
        try:
            pages = reader.pages
            count = len(pages)
        except FileNotDecryptedError:
            raise InputError(source, "encrypted PDF (it needs a password); decrypt it first, e.g. with qpdf") from None
        except Exception as exc:  # noqa: BLE001
            raise InputError(source, f"broken PDF ({_short(exc)})") from None
        texts = []
        for i in range(count):
            try:
                page_text = pages[i].extract_text() or ""
            except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on broken pages
                raise InputError(source, f"broken PDF: cannot read page {i + 1} ({_short(exc)})") from None
            texts.append(page_text.strip("\n"))
    finally:
        pypdf_log.setLevel(old_level)
    # A font may map a glyph to half a UTF-16 pair, which no encoding can write.
    text = valid_utf8("\n\n".join(t for t in texts if t.strip()))
    if not text.strip():
        raise InputError(
            source, "PDF has no extractable text (a scanned image? run OCR on it first, e.g. ocrmypdf)"
        )
    return text


def _short(exc: BaseException) -> str:
    msg = " ".join(str(exc).split())
    if not msg:
        return type(exc).__name__
    return msg if len(msg) <= 80 else msg[:77] + "..."
