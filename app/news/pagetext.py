"""Saved pages as text: bytes decoded by their declared or detected charset, HTML turned into one
line per block without scripts, styles, comments or hidden text."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from charset_normalizer import from_bytes

HEADING_MARK = "\u0001"  # put before the text of an <h2>…<h6> so the parser keeps it a heading


class NotAnArticle(ValueError):
    """The file is not a news page; the message says why, in Chinese."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # as people write it: GBK, Big5, UTF-8
    origin: str  # 页面声明, 自动检测 or BOM


# Browsers read a page declared GB2312 or GBK as GB18030 and Big5 as Big5-HKSCS, supersets that
# hold the characters CMS editors type beyond the old tables; so do we.
SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}
NAMES = {
    "utf_8": "UTF-8",
    "gb2312": "GB2312",
    "gbk": "GBK",
    "gb18030": "GB18030",
    "big5": "Big5",
    "big5hkscs": "Big5-HKSCS",
    "ascii": "UTF-8",  # plain ASCII is read as its superset
}
BOMS = ((codecs.BOM_UTF8, "utf-8-sig", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"))
BOMS += ((codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),)
DECLARED = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
MULTIBYTE_UTF8 = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
# Every byte string decodes under these, so declaring one proves nothing; old CMS templates and
# servers declare them by default over GBK text.
SAYS_NOTHING = {"ascii", "iso8859_1", "cp1252", "iso8859_15"}


def _codec(label: bytes | str) -> str | None:
    """Python's name for a charset label, or None for a label it does not know."""
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    try:
        return codecs.lookup(label.strip().lower()).name.replace("-", "_")
    except LookupError:
        return None


def _declared(data: bytes) -> str | None:
    match = DECLARED.search(data[:4096])
    return _codec(match.group(1) or match.group(2)) if match else None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode(data: bytes) -> Decoded:
    """Text from a saved page's bytes: by its BOM, else by its declared charset when the bytes
    decode under it, else by charset-normalizer's detection."""
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), name, "BOM")
            except UnicodeDecodeError as error:
                raise NotAnArticle(f"文件以 {name} 标记开头，但内容无法按 {name} 读取") from error
    if b"\x00" in data[:4096]:
        raise NotAnArticle("不是文本或 HTML 文件")
    declared = _declared(data)
    if declared in SAYS_NOTHING and not data.isascii():
        declared = None
    # A page saved again as UTF-8 often keeps its old GB2312 declaration; Chinese text in GBK is
    # practically never valid UTF-8, so valid multi-byte UTF-8 outranks a legacy declaration.
    if declared and declared != "utf_8" and MULTIBYTE_UTF8.search(data) and _is_utf8(data):
        named = NAMES.get(declared, declared.upper())
        return Decoded(data.decode("utf-8"), "UTF-8", f"页面声明 {named}，内容实为 UTF-8")
    if declared:
        try:
            text = data.decode(SUPERSETS.get(declared, declared))
        except UnicodeDecodeError:
            pass
        else:
            return Decoded(text, NAMES.get(declared, declared.upper()), "页面声明")
    best = from_bytes(data).best()
    if best is None:
        raise NotAnArticle("无法识别文件编码")
    codec = _codec(best.encoding) or best.encoding
    try:
        text = data.decode(SUPERSETS.get(codec, codec))
    except UnicodeDecodeError:
        text = str(best)
    return Decoded(text, NAMES.get(codec, codec.upper()), "自动检测")


_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SAVED_FROM = re.compile(r"saved from url=\(\d+\)(\S+)", re.IGNORECASE)


class _TextReader(HTMLParser):
    """HTML to lines: blocks and table cells end lines, <br> breaks them; scripts, styles,
    comments and hidden elements vanish."""

    BLOCKS = {
        "p", "div", "section", "article", "header", "footer", "nav", "aside", "main", "ul", "ol",
        "li", "table", "tr", "td", "th", "caption", "blockquote", "dl", "dt", "dd", "form", "h1",
        "h2", "h3", "h4", "h5", "h6", "center", "figure", "figcaption", "hr", "pre", "address",
    }  # fmt: skip
    SKIP = {
        "script", "style", "noscript", "template", "head", "title", "select", "button", "iframe",
        "object", "svg", "textarea", "map",
    }  # fmt: skip
    VOID = {"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_tag: str | None = None  # the element being skipped, and how deep inside it
        self.skip_depth = 0
        self.url: str | None = None
        self.saved_from: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and a.get("rel", "").lower() == "canonical" and a.get("href"):
            self.url = a["href"]
        elif tag == "meta" and a.get("property") == "og:url" and a.get("content"):
            self.url = self.url or a["content"]
        if self.skip_tag:
            if tag == "body" and self.skip_tag == "head":  # a page that never closes its head
                self.skip_tag, self.skip_depth = None, 0
            elif tag == self.skip_tag:
                self.skip_depth += 1
            if self.skip_tag:
                return
        if tag in self.VOID:
            if tag == "br":
                self.parts.append("\n")
            elif tag == "hr":
                self.parts.append("\n\n")
            return
        if tag in self.SKIP or "hidden" in a or _HIDDEN.search(a.get("style", "")):
            self.skip_tag, self.skip_depth = tag, 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")
            if tag in {"h2", "h3", "h4", "h5", "h6"}:
                self.parts.append(HEADING_MARK)

    def handle_startendtag(self, tag, attrs):
        if tag in self.VOID:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.skip_tag:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                if self.skip_depth <= 0:
                    self.skip_tag = None
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_comment(self, data):
        # Browsers mark a saved page with the address it came from (<!-- saved from url=… -->).
        match = _SAVED_FROM.search(data)
        if match:
            self.saved_from = match.group(1)

    def handle_data(self, data):
        if not self.skip_tag:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(page: str) -> tuple[str, str | None]:
    """Return the page's text, one block per paragraph, and its URL if it names one (canonical
    link, og:url, or the address a browser noted when saving it)."""
    reader = _TextReader()
    reader.feed(page)
    reader.close()
    text = "".join(reader.parts)
    text = re.sub(rf"{HEADING_MARK}\s*\n", "\n", text)  # a heading with no text
    return re.sub(r"\n[ \t]+", "\n", text), reader.url or reader.saved_from


def looks_like_html(path: Path, text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return path.suffix.lower() in {".htm", ".html"} or head.startswith(
        ("<!doctype", "<html", "<head", "<meta", "<!--")
    )
