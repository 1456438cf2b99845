"""The place linker: finds gazetteer names and aliases in Chinese text and stores the links."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from threading import Lock

import ahocorasick
from flask import g, has_app_context
from markupsafe import Markup
from sqlalchemy import func, insert, inspect, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Article, ArticlePlace, Place, PlaceKind, stamps

# Names that must never match on their own: one character, or a generic word that names no
# particular place even if some gazetteer entry carries it as an alias.
GENERIC_WORDS = frozenset(
    {"新区", "城区", "市区", "园区", "开发区", "高新区", "产业园", "工业园", "小镇", "街道", "中心"}
)
# Words that contain a place name but mean something else. They take part in the longest-match
# contest and link to nothing, so 杭州湾 (the bay) is not a mention of 杭州.
BLOCKERS = frozenset({"杭州湾", "历史长河", "长河落日", "大唐盛世", "余姚江", "滨江路", "滨江大道"})
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

    @classmethod
    def of(cls, place: Place) -> PlaceRef:
        return cls(place.id, place.name, place.kind, place.park_slug)


@dataclass(frozen=True)
class Mention:
    place: PlaceRef
    start: int
    end: int


@dataclass
class _Index:
    version: tuple
    automaton: ahocorasick.Automaton | None
    places: dict[int, PlaceRef]


_cache: dict[str, _Index] = {}
_lock = Lock()
_generation = 0


def invalidate() -> None:
    """Forget the automaton; the next search rebuilds it from the gazetteer."""
    global _generation
    _generation += 1


def place_changed(_mapper, _connection, _place: Place) -> None:
    """After a Place is inserted, updated or deleted (app.effects): any change to the gazetteer
    in this process makes the cached automaton stale."""
    invalidate()


def _version() -> tuple:
    """What the cached automaton must match: this process's changes to places (_generation)
    and the gazetteer's size, which shows another process's. The size is asked once per
    request or command: an import of a thousand pages asks it once, not per article."""
    known = g.get("linker_places") if has_app_context() else None
    if known is not None and known[0] == _generation:
        return known
    count, max_id = db.session.execute(select(func.count(Place.id), func.max(Place.id))).one()
    version = (_generation, count, max_id)
    if has_app_context():
        g.linker_places = version
    return version


def _usable(word: str) -> bool:
    return len(word) >= 2 and word not in GENERIC_WORDS


def _build(version: tuple) -> _Index:
    rows = db.session.scalars(select(Place).options(joinedload(Place.park))).all()
    refs = {p.id: PlaceRef.of(p) for p in rows}
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
        return _Index(version, None, refs)
    automaton = ahocorasick.Automaton()
    for word, claim in best.items():
        automaton.add_word(word, (len(word), claim[2]))
    for word in BLOCKERS:
        if word not in best:
            automaton.add_word(word, (len(word), None))
    automaton.make_automaton()
    return _Index(version, automaton, refs)


def _index() -> _Index:
    key = str(db.engine.url)
    version = _version()
    with _lock:
        index = _cache.get(key)
        if index is None or index.version != version:
            index = _cache[key] = _build(version)
    return index


def find_mentions(text: str, index: _Index | None = None) -> list[Mention]:
    """Every place mentioned in `text`, in text order; the longest match wins any overlap."""
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
        if place_id is not None:
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


def link_article(article: Article) -> list[Found]:
    """Store the places the article mentions (ArticlePlace rows), changing only what differs."""
    found = find_places(article_text(article))
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
    invalidate()
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


PlaceUrl = Callable[[PlaceRef], str]  # where a place links to: the view layer's app.filters


def _linked_text(text: str, index: _Index, seen: set[int], url_of: PlaceUrl) -> str:
    out, pos = [], 0
    for m in find_mentions(text, index):
        if m.place.id in seen:
            continue
        seen.add(m.place.id)
        out.append(html.escape(text[pos : m.start], quote=False))
        out.append(
            f'<a class="place-link" href="{html.escape(url_of(m.place))}" '
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
    the place.

    Each place is linked where it is first mentioned: a long story names 诸暨 dozens of times,
    and a link on every one would drown the text.
    """
    parser = _Linkifier(url_of)
    parser.feed(body or "")
    parser.close()
    return Markup("".join(parser.out))
