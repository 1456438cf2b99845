"""The furniture around a portal article: its breadcrumb, the lines that give its source, date and
editor, view counters and buttons, and the lists that follow the text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.news.pagedates import DATE, normalise

# Big5 pages write their labels in traditional characters (來源, 發佈時間, 責任編輯). Labels are
# found in a copy of each line with these characters simplified, one for one, so every position
# found there is the same in the line as the page wrote it, and the page's text is kept as is.
TO_SIMPLIFIED = str.maketrans(
    "來發時間瀏覽點擊閱讀編輯責關鍵詞籤標當導題薦樓盤權與聲頁聞詳細數氣號體錄處熱門資訊網現閉頂認給糾錯評論圖們聯歡於佈",
    "来发时间浏览点击阅读编辑责关键词签标当导题荐楼盘权与声页闻详细数气号体录处热门资讯网现闭顶认给纠错评论图们联欢于布",
)


_TRADITIONAL = re.compile("[" + "".join(map(chr, TO_SIMPLIFIED)) + "]")


def simplified(line: str) -> str:
    """The line with the characters of labels in simplified form, for finding labels only."""
    # str.translate looks up every character; most lines hold none of these, so look first.
    return line.translate(TO_SIMPLIFIED) if _TRADITIONAL.search(line) else line


BREADCRUMB = re.compile(
    r"^(?:当前位置|您的位置|您现在的位置|您当前的位置|所在位置|位置)\s*[:：]\s*(.+)$"
    r"|^((?:首页|网站首页|主页)\s*(?:>>|»|›|＞|>).+)$"
)
CRUMB_SPLIT = re.compile(r"\s*(?:>>|»|›|＞|>)\s*")
CRUMB_LEAVES = {"新闻详情", "正文", "详情", "内容", "详细内容", "文章详情", "阅读文章"}
# Crumbs that name no category: the portal's home, its news section, or a site of the network
# (a 绍兴 page saved from a sister site says 北京写字楼网).
CRUMB_GENERIC = {"首页", "网站首页", "主页", "新闻中心", "新闻资讯", "资讯中心", "新闻", "资讯"}
SITE_NAME = re.compile(r"(?:网|网站)$|www\.|\.(?:com|cn|net)\b", re.IGNORECASE)

SOURCE_LABELS = ("文章来源", "信息来源", "来源", "出处")
DATE_LABELS = ("发布时间", "发表时间", "发布日期", "更新时间", "时间", "日期")
COUNTER_LABELS = ("浏览次数", "浏览量", "浏览", "点击数", "点击量", "点击", "阅读量", "阅读数")
COUNTER_LABELS += ("阅读", "人气")
EDITOR_LABELS = ("责任编辑", "编辑")
OTHER_LABELS = ("作者", "字号", "字体", "发布者", "发布人", "录入")
_LABELS = "|".join((*SOURCE_LABELS, *DATE_LABELS, *COUNTER_LABELS, *EDITOR_LABELS, *OTHER_LABELS))
FIELD = re.compile(rf"({_LABELS})\s*[:：]\s*")
# A label opens a line of furniture only at its start or after a space or separator, so that
# "会议时间：" inside a sentence is no field.
FIELD_AT_EDGE = re.compile(rf"(?:^|(?<=[\s|｜/【\[]))({_LABELS})\s*[:：]")
SOURCE_AT_EDGE = re.compile(rf"(?:^|(?<=[\s|｜/【\[]))(?:{'|'.join(SOURCE_LABELS)})\s*[:：]")
SEPARATORS = " |｜/【】[]()（）·"
DATED_PREFIX = re.compile(r"^(?:发布于|更新于|发表于)")

COUNTER_LINE = re.compile(
    rf"^[【\[]?\s*(?:{'|'.join(COUNTER_LABELS)})\s*[:：]?\s*\d*\s*次?\s*[】\]]?$"
)
BUTTONS = re.compile(
    r"^(?:[【\[]?\s*(?:打印本页|打印|关闭窗口|关闭本页|关闭|返回顶部|返回|收藏本页|加入收藏|收藏"
    r"|字号|字体|大|中|小|默认|推荐给朋友|纠错)\s*[】\]]?\s*[:：]?\s*[|｜]?\s*)+$"
)
SHARE = re.compile(r"^[【\[]?\s*分享(?:到)?\s*[:：]?")
# Where the article ends and the site's own furniture begins.
CHROME = (
    "版权与免责声明", "免责声明", "相关文章", "推荐楼盘", "上一篇", "下一篇", "相关阅读",
    "相关新闻", "相关资讯", "热门楼盘", "热点资讯", "推荐阅读", "猜你喜欢", "网友评论",
    "发表评论", "版权所有", "Copyright", "©", "关于我们", "网站地图",
)  # fmt: skip
LISTS = ("相关文章", "推荐楼盘", "相关阅读", "相关新闻", "相关资讯")


def is_breadcrumb(line: str) -> bool:
    return BREADCRUMB.match(simplified(line)) is not None


def is_chrome(line: str) -> bool:
    return simplified(line).lstrip("【[").startswith(CHROME)


def furniture(line: str) -> str | None:
    """What a line of page furniture is, in Chinese, or None for a line of text."""
    line = simplified(line)
    if COUNTER_LINE.match(line):
        return "浏览计数"
    if BUTTONS.match(line):
        return "打印/关闭按钮"
    if SHARE.match(line):
        return "分享按钮"
    return None


def category(lines: list[str], default: str) -> str:
    """The last real crumb of the breadcrumb: not the site's name, its home or news section."""
    for line in lines:
        match = BREADCRUMB.match(simplified(line))
        if match:
            group = 1 if match.group(1) else 2
            trail = line[match.start(group) : match.end(group)]
            crumbs = [c for c in CRUMB_SPLIT.split(trail) if c]
            while crumbs and simplified(crumbs[-1]) in CRUMB_LEAVES:
                crumbs.pop()
            real = [
                c
                for c in crumbs[1:]
                if simplified(c) not in CRUMB_GENERIC and not SITE_NAME.search(simplified(c))
            ]
            if real:
                return real[-1][:40]
    return default


def _fields(line: str) -> list[tuple[str, str]]:
    """The (label, value) pairs of a line of fields; a value runs to the next label."""
    matches = list(FIELD.finditer(simplified(line)))
    pairs = []
    for match, following in zip(matches, [*matches[1:], None], strict=False):
        value = line[match.end() : following.start() if following else len(line)]
        pairs.append((match.group(1), value.strip(SEPARATORS)))
    return pairs


def _is_meta_line(line: str) -> bool:
    line = simplified(line)
    match = FIELD_AT_EDGE.search(line)
    # Fields sit near a line's start; a paragraph that opens with 时间： is long or a sentence.
    if match and match.start() <= 12 and len(line) <= 120 and not line.endswith("。"):
        return True
    rest = DATED_PREFIX.sub("", normalise(line)).strip(SEPARATORS)
    date = DATE.search(rest)
    return bool(date and not (rest[: date.start()] + rest[date.end() :]).strip(SEPARATORS))


def _first_token(value: str) -> str:
    token = re.split(r"[\s|｜]+", value.strip(SEPARATORS))[0] if value.strip(SEPARATORS) else ""
    return "" if DATE.search(normalise(token)) else token


@dataclass
class Meta:
    """The lines from start to end (exclusive) that give the article's source, date, editor."""

    start: int
    end: int
    source: str = ""
    date: re.Match | None = None  # in the normalised text of its line
    editor: str | None = None  # None: no field; "": an empty one
    ignored: list[str] = field(default_factory=list)


def read_meta(lines: list[str], reach: int = 3) -> Meta | None:
    """The block around the first line naming a 来源, or None when no line does."""
    anchor = next((i for i, x in enumerate(lines) if SOURCE_AT_EDGE.search(simplified(x))), None)
    if anchor is None:
        return None
    start = end = anchor
    for step, limit in ((-1, -1), (1, len(lines))):
        i, seen = anchor + step, 0
        while i != limit and seen < reach:
            if lines[i]:
                if not _is_meta_line(lines[i]):
                    break
                seen += 1
                start, end = min(start, i), max(end, i)
            i += step
    meta = Meta(start, end + 1)
    for line in lines[meta.start : meta.end]:
        for label, value in _fields(line):
            if label in SOURCE_LABELS and not meta.source:
                meta.source = _first_token(value)
            elif label in EDITOR_LABELS and meta.editor is None:
                meta.editor = _first_token(value)
            elif label in COUNTER_LABELS and "浏览计数" not in meta.ignored:
                meta.ignored.append("浏览计数")
        if meta.date is None:
            counted = re.sub(rf"(?:{'|'.join(COUNTER_LABELS)})\s*[:：]\s*\S*", "", simplified(line))
            meta.date = DATE.search(normalise(counted))
    return meta


def empty_lists(footer: list[str]) -> list[str]:
    """The lists after the text (相关文章, 推荐楼盘) that hold nothing."""
    empty = []
    for i, line in enumerate(footer):
        name = simplified(line).strip("【】[] :：")
        if name in LISTS:
            following = next((x for x in footer[i + 1 :] if x), None)
            if following is None or is_chrome(following) or furniture(following):
                empty.append(f"空的{name}")  # named in simplified form, as the summary is
    return empty
