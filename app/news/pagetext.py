"""Saved pages as text: bytes decoded (UTF-8 or GBK), HTML turned into one line per block."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

HEADING_MARK = "\u0001"  # put before the text of an <h2>…<h6> so the parser keeps it a heading


class NotAnArticle(ValueError):
    """The file is not a news page; the message says why, in Chinese."""


class _TextReader(HTMLParser):
    """HTML to lines: blocks end lines, <br> breaks them, scripts and styles vanish."""

    BLOCKS = {
        "p", "div", "section", "article", "header", "footer", "nav", "aside", "main", "ul", "ol",
        "li", "table", "tr", "blockquote", "dl", "dt", "dd", "form", "h1", "h2", "h3", "h4", "h5",
        "h6",
    }  # fmt: skip
    SKIP = {"script", "style", "noscript", "template", "head", "title", "select", "button"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.url: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and (a.get("rel") or "").lower() == "canonical" and a.get("href"):
            self.url = a["href"]
        elif tag == "meta" and a.get("property") == "og:url" and a.get("content"):
            self.url = self.url or a["content"]
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")
            if tag in {"h2", "h3", "h4", "h5", "h6"}:
                self.parts.append(HEADING_MARK)

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(page: str) -> tuple[str, str | None]:
    """Return the page's text, one block per paragraph, and its canonical URL if it names one."""
    reader = _TextReader()
    reader.feed(page)
    reader.close()
    text = "".join(reader.parts)
    text = re.sub(rf"{HEADING_MARK}\s*\n", "\n", text)  # a heading with no text
    return re.sub(r"\n[ \t]+", "\n", text), reader.url


def decode(data: bytes) -> str:
    """Text from bytes in UTF-8 or, as Chinese portals often save, GBK / GB18030."""
    if b"\x00" in data[:4096]:
        raise NotAnArticle("不是文本或 HTML 文件")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise NotAnArticle("无法识别文件编码")


def looks_like_html(path: Path, text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return path.suffix.lower() in {".htm", ".html"} or head.startswith(("<!doctype", "<html"))
