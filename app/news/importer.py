"""Read news pages saved from a portal (text or HTML) into article fields, without the chrome."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from app.news import pagemeta
from app.news.pagedates import address_date, file_time, page_date
from app.news.pagemeta import simplified
from app.news.pagetext import HEADING_MARK, NotAnArticle, decode, html_to_text, looks_like_html
from app.news.sanitize import clean_html

SUFFIXES = {".txt", ".text", ".htm", ".html"}
MAX_BYTES = 5 * 1024 * 1024
DEFAULT_CATEGORY = "综合资讯"

SUMMARY = re.compile(r"^导读\s*[:：]\s*(.*)$")
EDITOR = re.compile(r"^[【\[(（]?\s*(?:责任)?编辑\s*[:：]\s*(.*?)\s*[】\])）]?$")
ORIGINAL_FIELD = re.compile(r"^原标题\s*[:：]\s*(.*)$")
ORIGINAL_IN_BODY = re.compile(r"^[(（]\s*原标题\s*[:：]\s*(.+?)\s*[)）]$")
KEYWORDS = re.compile(r"^[【\[]?(?:关键字|关键词|标签|Tags)\s*[:：]\s*(.*?)[】\]]?$", re.IGNORECASE)
# Reporters' names trailing an original title: two or more names of 2–4 characters.
BYLINE = re.compile(r"^(.*\S)\s+([\u4e00-\u9fff]{2,4}(?:[、，,][\u4e00-\u9fff]{2,4})+)$")
SENTENCE_END = tuple("。！？；…!?;：:，,")
KEYWORD_SPLIT = re.compile(r"\s*[,，、;；|]\s*")
# A text page's own address, on a line of its own.
ADDRESS_LINE = re.compile(r"^(?:网址|原文链接|原文地址|链接|URL)?\s*[:：]?\s*(https?://\S+)$", re.I)
# Where a date came from, as the import's summary says it.
FROM_PAGE = "页面"
FROM_OPTION = "--date 指定"
FROM_ADDRESS = "网址"
FROM_NAME = "文件名"
FROM_FILE_TIME = "文件修改时间"


@dataclass
class ParsedArticle:
    title: str
    category: str
    source: str
    published_at: datetime
    summary: str
    body: str  # sanitised HTML
    editor: str = ""
    original_title: str = ""
    keywords: list[str] = field(default_factory=list)
    source_url: str | None = None
    date_unverified: bool = False  # 日期待核: the page named no date of its own
    date_origin: str = FROM_PAGE
    encoding: str = ""  # how the file was read, e.g. "GBK（页面声明）"
    ignored: list[str] = field(default_factory=list)  # furniture left out, in Chinese

    @property
    def import_key(self) -> str:
        """Stable across re-imports: the page's URL when it names one, else title and time.

        A page without a date is known by its title and source alone, as its date is only a
        guess that may change (a file's time does).
        """
        if self.source_url:
            return "url:" + self.source_url[:190]
        if self.date_unverified:
            return self._undated_key
        seed = f"{self.title}|{self.published_at.isoformat(timespec='minutes')}"
        return "page:" + hashlib.sha1(seed.encode()).hexdigest()

    @property
    def _undated_key(self) -> str:
        return "undated:" + hashlib.sha1(f"{self.title}|{self.source}".encode()).hexdigest()

    @property
    def lookup_keys(self) -> list[str]:
        """The keys the article may be stored under, its own first: a page that now carries
        its date also takes over the copy imported while it had none."""
        keys = [self.import_key]
        if not self.source_url and not self.date_unverified:
            keys.append(self._undated_key)
        return keys

    @property
    def body_chars(self) -> int:
        """The length of the body as a reader sees it, in characters."""
        return len(re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", self.body))))


CJK = "\u4e00-\u9fff“”‘’"
HALF_TO_FULL = {",": "，", ":": "：", ";": "；"}


def fix_punctuation(text: str) -> str:
    """Undo what portals do to Chinese punctuation.

    An opening “ often becomes a plain " while the closing ” stays, so the two are paired again;
    full-width ，：； become ASCII, so they are restored where they stand next to Chinese text.
    """
    text = re.sub(r'"([^"“”\n]{0,80})”', r"“\1”", text)
    text = re.sub(r"'([^'‘’\n]{0,80})’", r"‘\1’", text)
    return re.sub(rf"(?<=[{CJK}])[,:;]|[,:;](?=[{CJK}])", lambda m: HALF_TO_FULL[m.group()], text)


def _field(pattern: re.Pattern, line: str) -> str | None:
    """The value a labelled line gives, as the page wrote it; the label may be traditional."""
    match = pattern.match(simplified(line))
    return line[match.start(1) : match.end(1)] if match else None


def _clean_line(line: str) -> str:
    return re.sub(r"[ \t\u00a0\u3000]+", " ", line).strip()


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _is_heading(block: list[str]) -> bool:
    """Sub-headings are short lines without closing punctuation: one, or a title and a subtitle."""
    limit = 16 if len(block) == 1 else 24
    return len(block) <= 2 and all(len(x) <= limit and not x.endswith(SENTENCE_END) for x in block)


def _body_html(lines: list[str]) -> str:
    parts = []
    for block in _blocks(lines):
        if block[0].startswith(HEADING_MARK):
            parts.append(f"<h3>{html.escape(block[0].lstrip(HEADING_MARK))}</h3>")
            block = block[1:]
        if block and _is_heading(block):
            parts.append("<h3>" + "<br>".join(html.escape(x) for x in block) + "</h3>")
        else:
            parts.extend(f"<p>{html.escape(x)}</p>" for x in block)
    return clean_html("".join(parts))


def _original_title(in_body: str | None, field_value: str, summary: str) -> tuple[str, str]:
    """Return (original title, bylines).

    The in-body "(原标题:…)" line carries the real original title, so it wins. The page's
    trailing "原标题:" field is, on this portal, a truncated copy of the 导读; it is used only
    when it is not such a copy.
    """
    if in_body:
        match = BYLINE.match(in_body)
        return (match.group(1), match.group(2)) if match else (in_body, "")
    if field_value and not summary.startswith(field_value[:15]):
        return field_value, ""
    return "", ""


def _keywords(footer: list[str]) -> list[str] | None:
    """The keywords: a labelled line, else an unlabelled line of short words before the lists
    that follow the text; None when a label is there but empty."""
    for line in footer:
        labelled = _field(KEYWORDS, line)
        if labelled is not None:
            return [k for k in KEYWORD_SPLIT.split(labelled) if k] or None
    for line in footer:
        if pagemeta.is_chrome(line):
            break
        if _field(EDITOR, line) is not None or _field(ORIGINAL_FIELD, line) is not None:
            continue
        if pagemeta.furniture(line):
            continue
        words = [k for k in KEYWORD_SPLIT.split(line) if k]
        if words and all(len(k) <= 12 and not k.endswith(SENTENCE_END) for k in words):
            return words
    return []


def _fit_keywords(words: list[str], limit: int = 200) -> list[str]:
    kept: list[str] = []
    for word in dict.fromkeys(w.strip() for w in words if w.strip()):
        if len(",".join([*kept, word])) > limit:
            break
        kept.append(word)
    return kept


def _is_end(line: str) -> bool:
    view = simplified(line)
    return bool(
        EDITOR.match(view)
        or ORIGINAL_FIELD.match(view)
        or KEYWORDS.match(view)
        or pagemeta.is_chrome(line)
    )


def _title(lines: list[str]) -> str:
    """The nearest line of text above the source-and-date lines."""
    for line in reversed(lines):
        if line and not pagemeta.is_breadcrumb(line) and not pagemeta.furniture(line):
            return line.lstrip(HEADING_MARK)
    return ""


def parse_text(
    text: str,
    default_category: str = DEFAULT_CATEGORY,
    undated: tuple[datetime, str] | None = None,
) -> ParsedArticle:
    """Parse a portal news page given as text; raise NotAnArticle if it is none.

    `undated` is the date and its origin for a page that gives none; without it such a page is
    refused.
    """
    lines = [_clean_line(x) for x in text.splitlines()]
    meta = pagemeta.read_meta(lines)
    if meta is None:
        raise NotAnArticle("找不到“来源”，不是新闻详情页")
    title = _title(lines[: meta.start])
    if not title:
        raise NotAnArticle("找不到文章标题")
    ignored = list(meta.ignored)
    if meta.date is not None:
        try:
            published, origin = page_date(meta.date), FROM_PAGE
        except ValueError as error:
            raise NotAnArticle("发布日期无效") from error
    elif undated is not None:
        published, origin = undated
    else:
        raise NotAnArticle("页面没有发布日期，可用 --date 指定")

    start, summary = meta.end, ""
    first = next((i for i in range(meta.end, len(lines)) if lines[i]), None)
    if first is not None and (found := _field(SUMMARY, lines[first])) is not None:
        start, summary = first + 1, found
    end = next((i for i in range(start, len(lines)) if _is_end(lines[i])), len(lines))
    body_lines, in_body_original = [], None
    for line in lines[start:end]:
        if (found := _field(ORIGINAL_IN_BODY, line)) is not None:
            in_body_original = found
        elif kind := pagemeta.furniture(line):
            ignored.append(kind)
        else:
            body_lines.append(line)
    if not any(body_lines):
        raise NotAnArticle("正文为空")

    footer = [x for x in lines[end:] if x]
    ignored += [kind for x in footer if (kind := pagemeta.furniture(x))]
    editor = meta.editor
    if not editor:  # none beside the source, or an empty one there: the one after the text
        editor = next((v for x in footer if (v := _field(EDITOR, x)) is not None), editor)
    if editor == "":
        ignored.append("空的编辑")
    keywords = _keywords(footer)
    if keywords is None:
        ignored.append("空的关键字")
    ignored += pagemeta.empty_lists(footer)
    field_value = next((v for x in footer if (v := _field(ORIGINAL_FIELD, x)) is not None), "")
    original, bylines = _original_title(in_body_original, field_value, summary)
    body = _body_html([fix_punctuation(x) for x in body_lines])
    if bylines:
        body += f"<p>（作者：{html.escape(bylines)}）</p>"
    return ParsedArticle(
        title=fix_punctuation(title)[:200],
        category=pagemeta.category(lines[: meta.start], default_category),
        source=meta.source[:80],
        published_at=published,
        summary=fix_punctuation(summary),
        body=body,
        editor=(editor or "")[:40],
        original_title=fix_punctuation(original)[:300],
        keywords=_fit_keywords(keywords or []),
        date_unverified=origin != FROM_PAGE,
        date_origin=origin,
        ignored=list(dict.fromkeys(ignored)),
    )


def _undated(path: Path, text: str, url: str | None, given: date | None) -> tuple[datetime, str]:
    """The date for a page without one: --date, else its address, else its file name (an id
    such as 20240315123), else the file's time."""
    if given is not None:
        return datetime.combine(given, datetime.min.time()), FROM_OPTION
    addresses = [url] if url else []
    addresses += [m.group(1) for x in text.splitlines() if (m := ADDRESS_LINE.match(x.strip()))]
    for address in addresses:
        if found := address_date(address):
            return datetime.combine(found, datetime.min.time()), FROM_ADDRESS
    if found := address_date(path.stem):
        return datetime.combine(found, datetime.min.time()), FROM_NAME
    return file_time(path.stat().st_mtime), FROM_FILE_TIME


def parse_file(
    path: Path, default_category: str = DEFAULT_CATEGORY, date_given: date | None = None
) -> ParsedArticle:
    """Parse one saved page (text or HTML) in any of the encodings Chinese portals use.

    A page without a date takes `date_given`, else one from its address, name or file time, and
    is flagged 日期待核.
    """
    if path.stat().st_size > MAX_BYTES:
        raise NotAnArticle("文件过大，不像是一篇新闻")
    decoded = decode(path.read_bytes())
    text, url = decoded.text, None
    if looks_like_html(path, text):
        text, url = html_to_text(text)
    parsed = parse_text(text, default_category, _undated(path, text, url, date_given))
    if url and url.startswith(("http://", "https://")):
        parsed.source_url = url[:300]
    parsed.encoding = f"{decoded.encoding}（{decoded.origin}）"
    return parsed


def collect_files(paths: list[Path]) -> list[Path]:
    """The files named, and the text and HTML files inside the folders named, in order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))
