"""A user's saved searches: saving a /listings/ query, renaming, pausing, deleting, listing.

Services change the session; the views commit (docs/architecture.md, Transactions).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select

from app.alerts import conditions
from app.alerts.matching import pending_counts
from app.extensions import db
from app.listings.forms import SearchForm
from app.listings.services import resolve_places
from app.models import SavedSearch, User
from app.models.alerts import FREQUENCY_LABELS

SAVED_SEARCH_LIMIT = 50  # saved searches one user may keep
FREQUENCIES = tuple(FREQUENCY_LABELS)


class AlertError(ValueError):
    """A saved search refused, with the message for the user."""


@dataclass(frozen=True)
class CheckedQuery:
    """A /listings/ query as a saved search would keep it, or the reasons it cannot."""

    query: dict  # the fields with a value (conditions.SEARCH_FIELDS)
    places: dict  # what resolve_places found
    errors: list[str]  # for the user, one per field in error

    @property
    def summary(self) -> str:
        return conditions.summary(self.query)


def check_query(args) -> CheckedQuery:
    """Validate a /listings/ query string (a MultiDict) exactly as the search does, and resolve
    its places; page and sort are dropped, as they say how to show results, not which."""
    if any("\x00" in key + value for key, value in args.items(multi=True)):
        # Refused with the rest of a request anywhere else (app.security), but here it comes
        # percent-encoded inside a field; PostgreSQL could not even compare it.
        return CheckedQuery({}, {}, ["搜索条件含有无效字符。"])
    form = SearchForm(args)
    form.validate()
    errors = [
        f"{form[name].label.text}：{message}"
        for name in conditions.SEARCH_FIELDS
        for message in form[name].errors
    ]
    params = {
        name: (f.data.strip() if isinstance(f.data, str) else f.data)
        for name, f in form._fields.items()
        if name in conditions.SEARCH_FIELDS and not f.errors
    }
    query = conditions.query_of(params)
    places, unknown = resolve_places(query)
    errors += [f"{form[name].label.text}：{message}" for name, message in unknown.items()]
    return CheckedQuery(query, places, errors)


def count_for(user: User) -> int:
    return db.session.scalar(
        select(func.count()).select_from(SavedSearch).where(SavedSearch.user_id == user.id)
    )


def save(user: User, checked: CheckedQuery, name: str, frequency: str) -> SavedSearch:
    """Keep a checked query as a saved search of `user`; AlertError when it is refused."""
    if checked.errors:
        raise AlertError("搜索条件有误，无法订阅：" + "；".join(checked.errors))
    if frequency not in FREQUENCIES:
        raise AlertError("请选择提醒频率。")
    if count_for(user) >= SAVED_SEARCH_LIMIT:
        raise AlertError(f"每个账户最多保存 {SAVED_SEARCH_LIMIT} 个订阅，请先删除不再需要的订阅。")
    search = SavedSearch(
        user_id=user.id,
        name=name.strip() or conditions.default_name(checked.query),
        params=checked.query,
        frequency=frequency,
        paused=False,
        token=secrets.token_urlsafe(32),
        **conditions.resolve(checked.query, checked.places).columns(),
    )
    db.session.add(search)
    db.session.flush()
    return search


def owned(user: User, search_id: int) -> SavedSearch | None:
    """The user's own saved search, or None (another user's is as good as missing)."""
    return db.session.scalar(
        select(SavedSearch).where(SavedSearch.id == search_id, SavedSearch.user_id == user.id)
    )


def by_token(token: str) -> SavedSearch | None:
    """The saved search a feed or unsubscribe link names (the token is the capability)."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(SavedSearch).where(SavedSearch.token == token))


def update(search: SavedSearch, name: str, frequency: str) -> None:
    if frequency not in FREQUENCIES:
        raise AlertError("请选择提醒频率。")
    search.name = name.strip() or conditions.default_name(search.params)
    search.frequency = frequency


def set_paused(search: SavedSearch, paused: bool) -> None:
    search.paused = paused


def delete(search: SavedSearch) -> None:
    db.session.delete(search)


@dataclass(frozen=True)
class Listed:
    search: SavedSearch
    summary: str
    link: dict[str, str]  # /listings/ arguments that reopen it
    pending: int  # hits not yet emailed


def searches_of(user: User) -> list[Listed]:
    """The user's saved searches, newest first, with what each has waiting to be sent."""
    found = list(
        db.session.scalars(
            select(SavedSearch)
            .where(SavedSearch.user_id == user.id)
            .order_by(SavedSearch.created_at.desc(), SavedSearch.id.desc())
        )
    )
    pending = pending_counts(db.session, [s.id for s in found])
    return [
        Listed(
            s, conditions.summary(s.params), conditions.link_args(s.params), pending.get(s.id, 0)
        )
        for s in found
    ]
