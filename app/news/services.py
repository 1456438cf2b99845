"""Queries and rules of the news center: lists, articles, their places, 推荐楼盘 and 相关文章."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta, timezone

from flask_sqlalchemy.pagination import Pagination
from markupsafe import Markup
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload

from app.config import PARK_RADIUS_KM
from app.extensions import db
from app.filters import place_url
from app.geo.maps import MapPoint, RenderedMap, build_map
from app.listings.services import BuildingCard, cards
from app.market.compare import place_page_url
from app.models import Article, ArticlePlace, Building, Place, PlaceKind
from app.news import linker
from app.news import market as news_market
from app.news.destinations import Reach, has_page, reach
from app.news.importer import ParsedArticle
from app.news.sanitize import clean_html, text_to_html
from app.parks.services import building_point, buildings_in_or_near

# Articles carry the portal's local time (Beijing), as the pages print it.
CHINA_TIME = timezone(timedelta(hours=8), "CST")
CATEGORIES = ("特色小镇产业园", "招商动态", "交通", "楼市", "政策法规")
STATUSES = {"published": "已发布", "draft": "草稿"}
# 推荐楼盘 come from parks first, then towns, then districts.
TIERS = (PlaceKind.PARK, PlaceKind.TOWN, PlaceKind.DISTRICT)
MAP_KINDS = {PlaceKind.PARK: "park", PlaceKind.STATION: "station"}


def published() -> Select:
    return select(Article).where(Article.status == "published")


def latest_articles(limit: int = 10) -> list[Article]:
    query = published().order_by(Article.published_at.desc(), Article.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def get_article(article_id: int) -> Article | None:
    return db.session.scalar(published().where(Article.id == article_id))


def get_any_article(article_id: int) -> Article | None:
    """An article in any status, for its editors."""
    return db.session.get(Article, article_id)


def categories() -> list[tuple[str, int]]:
    """The known categories, then any other an import brought in, each with its article count."""
    rows = db.session.execute(
        published()
        .with_only_columns(Article.category, func.count(Article.id))
        .group_by(Article.category)
    ).all()
    counts = dict(rows)
    names = list(CATEGORIES) + sorted(c for c in counts if c not in CATEGORIES)
    return [(name, counts.get(name, 0)) for name in names]


def category_exists(name: str) -> bool:
    if name in CATEGORIES:
        return True
    return db.session.scalar(published().where(Article.category == name).limit(1)) is not None


def article_page(category: str | None, page: int, per_page: int) -> Pagination | None:
    """One page of published articles, newest first; None when the page is past the end."""
    query = published().order_by(Article.published_at.desc(), Article.id.desc())
    if category:
        query = query.where(Article.category == category)
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    if page > 1 and not pagination.items:
        return None
    return pagination


def neighbours(article: Article) -> tuple[Article | None, Article | None]:
    """The previous (older) and next (newer) published articles."""
    at, pk = article.published_at, article.id
    older = published().where(
        or_(Article.published_at < at, and_(Article.published_at == at, Article.id < pk))
    )
    newer = published().where(
        or_(Article.published_at > at, and_(Article.published_at == at, Article.id > pk))
    )
    previous = db.session.scalar(
        older.order_by(Article.published_at.desc(), Article.id.desc()).limit(1)
    )
    following = db.session.scalar(newer.order_by(Article.published_at, Article.id).limit(1))
    return previous, following


def _article_links(article_id: int) -> list[tuple[Place, ArticlePlace]]:
    """The places an article mentions: parks, towns, districts, then the rest; first seen first."""
    query = (
        select(Place, ArticlePlace)
        .join(ArticlePlace, ArticlePlace.place_id == Place.id)
        .where(ArticlePlace.article_id == article_id)
        .options(joinedload(Place.park))
    )
    rows = db.session.execute(query).all()
    rank = {kind: i for i, kind in enumerate(TIERS)}
    rows.sort(key=lambda row: (rank.get(row[0].kind, len(TIERS)), row[1].first_offset))
    return [(place, link) for place, link in rows]


def article_places(article: Article) -> list[Place]:
    return [place for place, _link in _article_links(article.id)]


def stored_places(article: Article) -> list[linker.Found]:
    """The links stored for an article, in the shape the linker reports them."""
    return [
        linker.Found(linker.PlaceRef.of(place), link.mentions, link.first_offset)
        for place, link in _article_links(article.id)
    ]


@dataclass
class Recommendation:
    """A building of 推荐楼盘 and the place of the article it was found in or near."""

    card: BuildingCard
    near: Place
    distance_km: float
    inside: bool


def _inside(place: Place) -> tuple | None:
    """The column that puts a building in the place, and its value."""
    if place.kind == PlaceKind.PARK:
        return (Building.park_id, place.park.id) if place.park else None
    if place.kind == PlaceKind.TOWN:
        return (Building.town_id, place.id)
    return (Building.district_id, place.id)


def recommended_buildings(places: list[Place], limit: int = 6) -> list[Recommendation]:
    """推荐楼盘: published buildings in or near the places, parks before towns before districts,
    nearest first within each (a district counts its own buildings only, it is too wide)."""
    chosen: dict[int, tuple] = {}
    for tier in TIERS:
        best: dict[int, tuple] = {}
        for place in (p for p in places if p.kind == tier):
            radius = 0.0 if tier == PlaceKind.DISTRICT else PARK_RADIUS_KM
            found = buildings_in_or_near(place.lat, place.lon, radius, _inside(place))
            for building, km, inside in found:
                if building.id not in chosen and km < best.get(building.id, (0, 0, 1e9))[2]:
                    best[building.id] = (building, place, km, inside)
        for building_id, row in sorted(best.items(), key=lambda item: item[1][2]):
            if len(chosen) >= limit:
                break
            chosen[building_id] = row
    rows = list(chosen.values())
    return [
        Recommendation(card, *row[1:])
        for card, row in zip(cards([row[0] for row in rows]), rows, strict=True)
    ]


def related_articles(article: Article, limit: int = 5) -> list[Article]:
    """Other published articles ranked by the places (2 points) and keywords (1) they share."""
    scores: dict[int, int] = {}
    place_ids = [link.place_id for link in article.places]
    if place_ids:
        shared = db.session.execute(
            select(ArticlePlace.article_id, func.count())
            .where(ArticlePlace.place_id.in_(place_ids), ArticlePlace.article_id != article.id)
            .group_by(ArticlePlace.article_id)
        ).all()
        for other_id, count in shared:
            scores[other_id] = 2 * count
    keywords = article.keyword_list
    if keywords:
        like = or_(*(Article.keywords.contains(k, autoescape=True) for k in keywords))
        for other in db.session.scalars(published().where(like, Article.id != article.id)):
            common = len(set(keywords) & set(other.keyword_list))
            scores[other.id] = scores.get(other.id, 0) + common
    if not scores:
        return []
    found = {a.id: a for a in db.session.scalars(published().where(Article.id.in_(scores)))}
    ranked = sorted(
        found.values(), key=lambda a: (-scores[a.id], -a.published_at.timestamp(), -a.id)
    )
    return ranked[:limit]


def article_map(
    places: list[Place], recommended: list[Recommendation], urls: dict[int, str | None]
) -> RenderedMap | None:
    """The places of the region the article mentions (cities left out: too wide) and its
    推荐楼盘."""
    points = [
        MapPoint(p.lat, p.lon, p.name, MAP_KINDS.get(p.kind, "place"), urls.get(p.id))
        for p in places
        if p.kind != PlaceKind.CITY
    ]
    for item in recommended:
        points.append(building_point(item.card.building))
    return build_map(points, zoom=11) if points else None


@dataclass
class ArticleView:
    """Everything an article page shows beside the article itself."""

    body: Markup
    places: list[Place]
    urls: dict[int, str | None]  # where each place links to; None: not linked
    recommended: list[Recommendation]
    map: RenderedMap | None
    related: list[Article]
    previous: Article | None
    next: Article | None
    market: list[news_market.PlaceMarket]  # 文中地点行情


ReachOf = Callable[[list[linker.PlaceRef]], dict[int, Reach]]
MarketOf = Callable[[list[Place]], list[news_market.PlaceMarket]]


def place_urls(places: list[Place], reach_of: ReachOf = reach) -> dict[int, str | None]:
    """Where each place links to: a town or district of the region to its place page, any other
    place where app.filters.place_url sends it; never an empty page."""
    refs = linker.refs(p.id for p in places)
    reaches = reach_of([refs[p.id] for p in places if p.id in refs])
    urls: dict[int, str | None] = {}
    for p in places:
        if p.id not in reaches:
            urls[p.id] = None
        elif has_page(refs[p.id]):
            urls[p.id] = place_page_url(p.slug)
        else:
            urls[p.id] = place_url(p, reaches[p.id])
    return urls


def article_view(
    article: Article, reach_of: ReachOf = reach, market_of: MarketOf = news_market.of_places
) -> ArticleView:
    """The linked body, 推荐楼盘, map, 文中地点行情, 相关文章 and neighbours of a published article.

    `reach_of` tells what each place's link can open (app.news.destinations.reach) and
    `market_of` the market of its places (app.news.market.of_places); the view passes cached
    ones. The body links only the places stored for the article, so an article about somewhere
    else (linker.places_of) links none; 推荐楼盘 and the map come from the places of the region
    alone."""
    places = article_places(article)
    urls = place_urls(places, reach_of)
    refs = linker.refs(urls)
    ours = [p for p in places if p.id in refs and refs[p.id].in_region]
    recommended = recommended_buildings(ours)
    previous, following = neighbours(article)
    return ArticleView(
        body=linker.linkify_html(article.body, lambda ref: urls.get(ref.id)),
        places=places,
        urls=urls,
        recommended=recommended,
        map=article_map(ours, recommended, urls),
        related=related_articles(article),
        previous=previous,
        next=following,
        market=market_of(places),
    )


def body_from_editor(text: str) -> str:
    """Sanitised HTML from what an editor typed: HTML as is, plain text as paragraphs."""
    return clean_html(text if "<" in text else text_to_html(text))


def detected_places(title: str, summary: str, body_html: str) -> list[linker.Found]:
    """The places the linker finds in a draft, for the editor to check before publishing."""
    return linker.places_of(title, summary, body_html)


def save_article(article: Article | None, fields: dict, author_id: int | None) -> Article:
    """Create or update an article from an editor's form and relink its places (no commit)."""
    if article is None:
        article = Article(author_id=author_id, places=[])
        db.session.add(article)
    fields = dict(fields, body=body_from_editor(fields.get("body", "")))
    for name, value in fields.items():
        setattr(article, name, value)
    db.session.flush()
    linker.link_article(article)
    return article


def save_imported(parsed: ParsedArticle) -> str:
    """Insert or update the article a page describes, matched on its import key (no commit).

    Returns "created", "updated" or "unchanged".
    """
    # A page that now carries its date finds the copy stored while its date was unknown.
    rows = select(Article).where(Article.import_key.in_(parsed.lookup_keys))
    found = {a.import_key: a for a in db.session.scalars(rows)}
    article = next((found[key] for key in parsed.lookup_keys if key in found), None)
    outcome = "unchanged"
    if article is None:
        # An empty list of places, known as such: linking it asks the database for none.
        article = Article(import_key=parsed.import_key, status="published", places=[])
        db.session.add(article)
        outcome = "created"
    values = {
        "import_key": parsed.import_key,
        "date_unverified": parsed.date_unverified,
        "title": parsed.title,
        "category": parsed.category,
        "source": parsed.source,
        "source_url": parsed.source_url,
        "published_at": parsed.published_at,
        "summary": parsed.summary,
        "body": parsed.body,
        "editor": parsed.editor,
        "original_title": parsed.original_title,
        "keywords": ",".join(parsed.keywords),
    }
    for name, value in values.items():
        if getattr(article, name) != value:
            setattr(article, name, value)
            outcome = "updated" if outcome == "unchanged" else outcome
    db.session.flush()
    linker.link_article(article)
    return outcome
