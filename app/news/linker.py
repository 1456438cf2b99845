"""The place linker: finds gazetteer names and aliases in Chinese text and stores the links."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import ahocorasick
from markupsafe import Markup
from sqlalchemy import insert, inspect, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.geo import cache as gazetteer_cache
from app.geo.cache import GazetteerCache
from app.models import Article, ArticlePlace, Place, PlaceKind, stamps

# Names that must never match on their own: one character, or a generic word that names no
# particular place even if some gazetteer entry carries it as an alias.
GENERIC_WORDS = frozenset(
    {"新区", "城区", "市区", "园区", "开发区", "高新区", "产业园", "工业园", "小镇", "街道", "中心"}
)
# Words that contain a place name but mean something else. They take part in the longest-match
# contest and link to nothing, so 杭州湾 (the bay) is not a mention of 杭州.
BLOCKERS = frozenset({"杭州湾", "历史长河", "长河落日", "大唐盛世", "余姚江", "滨江路", "滨江大道"})
# A place name followed at once by one of these words is the start of a longer proper name
# (BLOCKERS generalised: no list of every 绍兴银行 and 萧山国际机场 is needed). A longer name the
# gazetteer knows (诸暨站, 杭州港) wins the longest-match contest before this is asked.
# True: the named thing stands in its place, so the mention is one of the place (诸暨站 is in
# 诸暨, 萧山国际机场 in 萧山). False: an organisation, a road, a bay, a paper or a programme carries
# the name without being there (绍兴银行 has branches everywhere, 杭州湾 is the sea), so the
# mention links nothing.
PROPER_SUFFIXES: dict[str, bool] = {
    **dict.fromkeys(
        (
            "国际机场", "机场", "航站楼", "站", "东站", "南站", "西站", "北站", "火车站",
            "高铁站", "汽车站", "客运站", "医院", "人民医院", "中心医院", "中医院", "大学",
            "学院", "中学", "小学", "段", "服务区", "收费站",
        ),
        True,
    ),
    **dict.fromkeys(
        (
            "银行", "农商银行", "商业银行", "集团", "公司", "股份", "控股", "日报", "晚报",
            "商报", "日报社", "电视台", "广播电视台", "新闻网", "写字楼网", "商会", "同乡会",
            "路", "大道", "大街", "高速", "绕城", "大桥", "隧道", "湾", "号", "队", "籍",
        ),
        False,
    ),
}  # fmt: skip
_LONGEST_SUFFIX = max(map(len, PROPER_SUFFIXES))
# Cities of China outside the gazetteer. An article whose title names one of them (or a place
# outside the region) and no place of ours is about somewhere else: it links nothing of ours.
OTHER_CITIES = frozenset(
    {
        "北京", "上海", "天津", "重庆", "广州", "深圳", "武汉", "成都", "南京", "苏州", "无锡",
        "常州", "南通", "西安", "长沙", "郑州", "合肥", "青岛", "济南", "厦门", "福州", "沈阳",
        "大连", "哈尔滨", "长春", "昆明", "贵阳", "南宁", "南昌", "太原", "石家庄", "兰州",
        "乌鲁木齐", "呼和浩特", "海口", "东莞", "佛山", "珠海", "香港", "澳门", "台北",
        "温州", "嘉兴", "湖州", "舟山", "衢州", "丽水",
    }
)  # fmt: skip
# The more specific kind wins when two places share a name.
KIND_RANK = {
    PlaceKind.PARK: 0,
    PlaceKind.TOWN: 1,
    PlaceKind.DISTRICT: 2,
    PlaceKind.LANDMARK: 3,
    PlaceKind.STATION: 3,
    PlaceKind.CITY: 4,
}


@dataclass(frozen=True)
class PlaceRef:
    """What a link needs to know about a place, cached with the automaton."""

    id: int
    name: str
    kind: str
    park_slug: str | None
    lat: float = 0.0
    lon: float = 0.0
    # The place and every place it lies in are of the region we serve (Place.in_region); a
    # park is ours on its own flag, wherever it stands (诸暨岛 is 诸暨's, in 滨江区).
    in_region: bool = True

    @classmethod
    def of(cls, place: Place, in_region: bool | None = None) -> PlaceRef:
        if in_region is None:
            in_region = _ours(place, lambda p: p.parent)
        return cls(
            place.id, place.name, place.kind, place.park_slug, place.lat, place.lon, in_region
        )


def _ours(place: Place, parent_of: Callable[[Place], Place | None]) -> bool:
    """Whether `place` is of the region: its own flag, and its ancestors' unless it is a park."""
    if place.in_region is False:
        return False
    if place.kind == PlaceKind.PARK:
        return True
    above, depth = parent_of(place), 0
    while above is not None and depth < 8:  # the gazetteer is a few levels deep
        if above.in_region is False:
            return False
        above, depth = parent_of(above), depth + 1
    return True


@dataclass(frozen=True)
class Mention:
    place: PlaceRef
    start: int
    end: int


@dataclass
class _Index:
    automaton: ahocorasick.Automaton | None
    places: dict[int, PlaceRef]


def _usable(word: str) -> bool:
    return len(word) >= 2 and word not in GENERIC_WORDS


def _build() -> _Index:
    rows = db.session.scalars(select(Place).options(joinedload(Place.park))).all()
    by_id = {p.id: p for p in rows}
    refs = {p.id: PlaceRef.of(p, _ours(p, lambda q: by_id.get(q.parent_id))) for p in rows}
    # word -> (is an alias, kind rank, id): the place's own name beats an alias, then the kind.
    best: dict[str, tuple[int, int, int]] = {}
    for place in rows:
        for i, word in enumerate(place.names):
            word = (word or "").strip()
            if not _usable(word):
                continue
            claim = (min(i, 1), KIND_RANK.get(place.kind, 5), place.id)
            if word not in best or claim < best[word]:
                best[word] = claim
    if not best:
        return _Index(None, refs)
    automaton = ahocorasick.Automaton()
    for word, claim in best.items():
        automaton.add_word(word, (len(word), claim[2]))
    for word in BLOCKERS:
        if word not in best:
            automaton.add_word(word, (len(word), None))
    automaton.make_automaton()
    return _Index(automaton, refs)


_INDEX = GazetteerCache(_build)


def _index() -> _Index:
    return _INDEX.get()


def refs(place_ids) -> dict[int, PlaceRef]:
    """The linker's references of the given places (with whether each is of the region)."""
    places = _index().places
    return {i: places[i] for i in place_ids if i in places}


def _names_nothing(text: str, end: int) -> bool:
    """Whether the name ending at `end` begins a longer proper name that is not a mention of its
    place: one of PROPER_SUFFIXES marked False, or a number (绍兴330, a talent programme)."""
    following = text[end : end + _LONGEST_SUFFIX]
    if following[:1].isdigit():
        return True
    for size in range(len(following), 0, -1):
        links = PROPER_SUFFIXES.get(following[:size])
        if links is not None:
            return not links
    return False


def find_mentions(text: str, index: _Index | None = None) -> list[Mention]:
    """Every place mentioned in `text`, in text order; the longest match wins any overlap, and a
    name that begins a longer proper name of no place (_names_nothing) is no mention."""
    index = index or _index()
    if index.automaton is None or not text:
        return []
    found = []
    for end, (length, place_id) in index.automaton.iter(text):
        found.append((end + 1 - length, end + 1, place_id))
    found.sort(key=lambda m: (m[0] - m[1], m[0]))  # longest first, then leftmost
    taken = bytearray(len(text))
    chosen = []
    for start, end, place_id in found:
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        if place_id is not None and not _names_nothing(text, end):
            chosen.append(Mention(index.places[place_id], start, end))
    return sorted(chosen, key=lambda m: m.start)


@dataclass
class Found:
    place: PlaceRef
    mentions: int
    first_offset: int


def find_places(text: str) -> list[Found]:
    """The distinct places in `text` with how often and where first each is mentioned."""
    by_id: dict[int, Found] = {}
    for m in find_mentions(text):
        if m.place.id in by_id:
            by_id[m.place.id].mentions += 1
        else:
            by_id[m.place.id] = Found(m.place, 1, m.start)
    return list(by_id.values())


def plain_text(title: str, summary: str, body_html: str) -> str:
    """Title, 导读 and body as plain text, the way the linker reads an article."""
    body = html.unescape(re.sub(r"<[^>]+>", "\n", body_html or ""))
    return "\n".join([title or "", summary or "", body])


def article_text(article: Article) -> str:
    return plain_text(article.title, article.summary, article.body)


def places_of(title: str, summary: str, body_html: str) -> list[Found]:
    """The places an article is linked to: those it mentions, or none when it is about
    somewhere else. It is when it mentions no place of the region, or when its title names a
    place outside the region or another city and no place of ours (a national story on 武汉's
    rents that compares them with 杭州 and 绍兴 in passing): its readers are not looking here,
    so no link, 推荐楼盘 or map should say that we have something near."""
    found = find_places(plain_text(title, summary, body_html))
    if not any(item.place.in_region for item in found):
        return []
    title = title or ""
    named = [m.place for m in find_mentions(title)]
    elsewhere = any(not ref.in_region for ref in named) or any(c in title for c in OTHER_CITIES)
    if elsewhere and not any(ref.in_region for ref in named):
        return []
    return found


def link_article(article: Article) -> list[Found]:
    """Store the places the article mentions (ArticlePlace rows), changing only what differs."""
    found = places_of(article.title, article.summary, article.body)
    # A link made elsewhere and not yet flushed may have its place but no place_id.
    existing = {link.place_id or link.place.id: link for link in article.places}
    new = []
    for item in found:
        link = existing.pop(item.place.id, None)
        if link is None:
            new.append(item)
        else:
            link.mentions, link.first_offset = item.mentions, item.first_offset
    for link in existing.values():
        article.places.remove(link)
    _add_links(article, new)
    return found


def _add_links(article: Article, found: list[Found]) -> None:
    """New links, made by place id: loading the places (with their names and boundaries) only
    to point at them would be a third of linking an article that mentions forty.

    An article in the database has its links inserted in one statement, and its list of places
    reloads when next read: the unit of work's bookkeeping per link costs several times the
    insert itself (bench/measure.import_articles measures the import).
    """
    if not found:
        return
    links = [
        {"place_id": item.place.id, "mentions": item.mentions, "first_offset": item.first_offset}
        for item in found
    ]
    if not inspect(article).persistent:  # not in the database yet: the links go in with it
        article.places.extend(ArticlePlace(**link) for link in links)
        return
    db.session.execute(insert(ArticlePlace), [{"article_id": article.id, **link} for link in links])
    db.session.expire(article, ["places"])
    stamps.news_changed(db.session)  # the flush sees no new ArticlePlace to note


def link_articles(articles: list[Article]) -> None:
    for article in articles:
        link_article(article)


def relink_all(batch: int = 200) -> int:
    """Recompute the links of every article against the current gazetteer; return the count."""
    gazetteer_cache.invalidate()  # a bulk load may have written places without ORM events
    ids = list(db.session.scalars(select(Article.id).order_by(Article.id)))
    for i in range(0, len(ids), batch):
        chunk = db.session.scalars(
            select(Article)
            .where(Article.id.in_(ids[i : i + batch]))
            .options(joinedload(Article.places))
        ).unique()
        link_articles(list(chunk))
        db.session.flush()
    return len(ids)


# Where a place links to (the view layer's app.filters), or None: the place is not linked.
PlaceUrl = Callable[[PlaceRef], str | None]


def _linked_text(text: str, index: _Index, seen: set[int], url_of: PlaceUrl) -> str:
    out, pos = [], 0
    for m in find_mentions(text, index):
        if m.place.id in seen:
            continue
        seen.add(m.place.id)
        url = url_of(m.place)
        if url is None:
            continue
        out.append(html.escape(text[pos : m.start], quote=False))
        out.append(
            f'<a class="place-link" href="{html.escape(url)}" '
            f'data-place-kind="{m.place.kind}">{html.escape(text[m.start : m.end])}</a>'
        )
        pos = m.end
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


class _Linkifier(HTMLParser):
    """Re-emit sanitised HTML with place names in text (outside existing links) turned to links."""

    def __init__(self, url_of: PlaceUrl) -> None:
        super().__init__(convert_charrefs=True)
        self.url_of = url_of
        self.out: list[str] = []
        self.in_link = 0
        self.index = _index()
        self.seen: set[int] = set()

    def _tag(self, tag: str, attrs, close: str = ">") -> str:
        parts = "".join(f' {k}="{html.escape(v or "")}"' for k, v in attrs)
        return f"<{tag}{parts}{close}"

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.in_link += 1
        self.out.append(self._tag(tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.out.append(self._tag(tag, attrs, " />"))

    def handle_endtag(self, tag):
        if tag == "a" and self.in_link:
            self.in_link -= 1
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.in_link:
            self.out.append(html.escape(data, quote=False))
        else:
            self.out.append(_linked_text(data, self.index, self.seen, self.url_of))


def linkify_html(body: str, url_of: PlaceUrl) -> Markup:
    """The article body (already sanitised) with every place it mentions linked to `url_of`
    the place (not linked where that is None).

    Each place is linked where it is first mentioned: a long story names 诸暨 dozens of times,
    and a link on every one would drown the text.
    """
    parser = _Linkifier(url_of)
    parser.feed(body or "")
    parser.close()
    return Markup("".join(parser.out))
