"""The cached search results: served again without the queries, never stale, never shared
where they are one visitor's."""

from __future__ import annotations

import re
from contextlib import contextmanager
from urllib.parse import unquote

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.models import Building, Place, Unit, UnitStatus
from app.models.base import utcnow
from tests.factories import UserFactory
from tests.helpers import sign_in

QUERY = "/listings/?town=次坞镇"


@contextmanager
def statements():
    """The SQL statements the block sends."""
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        sent.append(statement)

    from app.models import stamps

    engines = {db.engine, stamps._reader(db.engine)}  # stamps are read on their own engine
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)


def names(html: str, root: str = "") -> list[str]:
    """The buildings' names on a results page, in order, from cards linking under `root`."""
    return re.findall(
        rf'<h3 class="h6 card-title mb-1">\s*<a href="{root}/listings/\d+">([^<]+)</a>', html
    )


def test_the_same_question_is_answered_from_the_cache(client, demo):
    first = client.get(QUERY)
    assert first.status_code == 200 and names(first.get_data(as_text=True))
    with statements() as sent:
        again = client.get(QUERY)
    assert again.status_code == 200
    assert names(again.get_data(as_text=True)) == names(first.get_data(as_text=True))
    # Only the change stamp is read: no count, no page of ids, no cards.
    assert len(sent) == 1 and "change_stamp" in sent[0], sent

    with statements() as sent:
        client.get(QUERY + "&sort=newest")
    assert len(sent) > 3, "another question is answered by the database"


def test_a_committed_change_is_on_the_next_page(client, demo):
    before = client.get(QUERY).get_data(as_text=True)
    town = db.session.scalar(select(Place).where(Place.name == "次坞镇"))
    building = db.session.scalar(
        select(Building).where(Building.town_id == town.id, Building.status == "published")
    )
    assert building.name in names(before)

    building.name = "次坞新名字大厦"
    db.session.commit()
    assert "次坞新名字大厦" in names(client.get(QUERY).get_data(as_text=True))

    for unit in building.units:  # a change to units alone counts too
        unit.status = UnitStatus.LEASED
    db.session.commit()
    card = re.search(
        rf'data-building-id="{building.id}".*?</div>\s*</div>',
        client.get(QUERY).get_data(as_text=True),
        re.S,
    )
    assert card and "暂无可租房源" in card.group(0)

    building.status = "hidden"
    db.session.commit()
    assert "次坞新名字大厦" not in names(client.get(QUERY).get_data(as_text=True))


def test_visitors_share_results_but_not_tokens_nonces_or_comparisons(app, demo):
    alice, bob = app.test_client(), app.test_client()
    page_a = alice.get(QUERY).get_data(as_text=True)
    page_b = bob.get(QUERY).get_data(as_text=True)
    assert names(page_a) == names(page_b)

    def token(html: str) -> str:
        return re.search(r'id="compare-add".*?name="csrf_token" value="([^"]+)"', html, re.S)[1]

    def nonce(html: str) -> str:
        return re.search(r'<script nonce="([^"]+)">', html)[1]

    assert token(page_a) != token(page_b)
    assert nonce(page_a) != nonce(page_b)

    first_id = int(re.search(r'data-building-id="(\d+)"', page_a)[1])
    response = alice.post(
        "/listings/compare", data={"building_id": first_id, "action": "add", "next": QUERY}
    )
    assert response.status_code == 302
    compared = f'form="compare-remove" name="building_id" value="{first_id}"'
    assert compared in alice.get(QUERY).get_data(as_text=True)
    assert compared not in bob.get(QUERY).get_data(as_text=True)


def test_a_card_button_submits_the_shared_compare_form(client, demo):
    html = client.get(QUERY).get_data(as_text=True)
    form = re.search(
        r'<form method="post" action="/listings/compare" id="compare-add".*?</form>', html, re.S
    )
    assert form, "the page carries the form the cards' buttons name"
    fields = dict(re.findall(r'name="(action|next)" value="([^"]*)"', form[0]))
    button = re.search(r'<button form="compare-add" name="building_id" value="(\d+)"', html)
    assert button
    # What the browser sends: the form's hidden fields and the pressed button's name and value.
    response = client.post("/listings/compare", data={**fields, "building_id": button[1]})
    assert response.status_code == 302
    assert unquote(response.headers["Location"]).endswith(QUERY), "back to the same results"
    assert f'value="{button[1]}" class="btn btn-sm btn-outline-secondary"' in client.get(
        QUERY
    ).get_data(as_text=True)


def test_a_bad_question_is_answered_afresh_every_time(client, demo):
    with statements() as sent:
        first = client.get("/listings/?rent_min=abc&town=次坞镇")
        second = client.get("/listings/?rent_min=abc&town=次坞镇")
    assert first.status_code == second.status_code == 400
    assert sum("FROM building" in s for s in sent) >= 2, "not served from the cache"


def test_deleted_units_leave_the_cached_search_at_once(client, demo):
    html = client.get("/listings/?town=次坞镇&deal=rent").get_data(as_text=True)
    total = int(re.search(r"共找到 <strong>(\d+)</strong>", html)[1])
    town = db.session.scalar(select(Place).where(Place.name == "次坞镇"))
    rented = db.session.scalars(
        select(Unit)
        .join(Building)
        .where(Building.town_id == town.id, Unit.deal == "rent", Building.status == "published")
    ).all()
    for unit in rented:
        db.session.delete(unit)
    db.session.commit()
    html = client.get("/listings/?town=次坞镇&deal=rent").get_data(as_text=True)
    assert int(re.search(r"共找到 <strong>(\d+)</strong>", html)[1]) == 0 < total


def building_in(town: str) -> Building:
    place = db.session.scalar(select(Place).where(Place.name == town))
    return db.session.scalar(
        select(Building).where(Building.town_id == place.id, Building.status == "published")
    )


def test_a_building_page_seen_again_costs_one_query(client, demo):
    building = building_in("次坞镇")
    first = client.get(f"/listings/{building.id}")
    assert first.status_code == 200
    with statements() as sent:
        again = client.get(f"/listings/{building.id}")
    assert again.status_code == 200 and building.name in again.get_data(as_text=True)
    assert len(sent) == 1 and "change_stamp" in sent[0], sent


def test_a_new_article_about_its_town_is_beside_the_building_at_once(client, demo):
    from app.news import services as news

    building = building_in("次坞镇")
    assert "次坞新闻一则" not in client.get(f"/listings/{building.id}").get_data(as_text=True)
    news.save_article(
        None,
        {
            "title": "次坞新闻一则",
            "category": "招商动态",
            "published_at": utcnow(),
            "summary": "次坞镇的新动态。",
            "body": "次坞镇今年新引进三家企业。",
        },
        None,
    )
    db.session.commit()
    related = re.search(
        r"周边资讯</h2>(.*?)</ul>", client.get(f"/listings/{building.id}").text, re.S
    )
    assert related and "次坞新闻一则" in related[1]


def test_a_hidden_building_is_gone_at_once(client, demo):
    building = building_in("次坞镇")
    assert client.get(f"/listings/{building.id}").status_code == 200
    building.status = "hidden"
    db.session.commit()
    assert client.get(f"/listings/{building.id}").status_code == 404


def test_a_worker_serves_what_it_rendered_from_memory(app, client, demo, monkeypatch):
    from app.extensions import cache
    from app.pagecache import LocalEntries

    first = names(client.get(QUERY).get_data(as_text=True))
    asked: list[str] = []
    monkeypatch.setattr(cache, "get", lambda entry: asked.append(entry))
    assert names(client.get(QUERY).get_data(as_text=True)) == first
    assert asked == [], "a hot page is not fetched from the shared cache again"
    # Another worker has no copy of its own: it asks the shared cache for the page (here: empty,
    # so it renders it, asking for the results too).
    app.extensions["pagecache_local"] = LocalEntries(200)
    assert names(client.get(QUERY).get_data(as_text=True)) == first
    assert [entry.split(":")[0] for entry in asked] == ["search-page", "search"]


def test_a_worker_keeps_only_its_latest_entries():
    from app.pagecache import LocalEntries

    local = LocalEntries(2)
    local.put("a", ("A", 200))
    local.put("b", ("B", 200))
    assert local.get("a") == ("A", 200)  # now the most recent
    local.put("c", ("C", 200))
    assert local.get("b") is None
    assert local.get("a") == ("A", 200) and local.get("c") == ("C", 200)
    assert LocalEntries(0).get("a") is None


def test_template_links_are_remembered_per_script_root(app):
    from flask import url_for

    from app.filters import memo_url_for

    with app.test_request_context("/"):
        first = memo_url_for("listings.building", building_id=5)
        assert first == "/listings/5"
        assert memo_url_for("listings.building", building_id=5) is first
        assert memo_url_for("listings.building", building_id=6) == "/listings/6"
        ids = memo_url_for("listings.compare_page", ids=[1, 2])  # a list is built each time
        assert ids == url_for("listings.compare_page", ids=[1, 2])
        anchored = memo_url_for("listings.building", building_id=5, _anchor="units")
        assert anchored == "/listings/5#units"
    with app.test_request_context("/", base_url="http://localhost/portal/"):
        assert memo_url_for("listings.building", building_id=5) == "/portal/listings/5"


def test_the_news_stamp_rises_with_the_articles_commit_and_only_then(app, demo):
    from app.models import Article, stamps

    def article(title: str) -> Article:
        body = "<p>次坞镇</p>"
        return Article(title=title, category="招商动态", published_at=utcnow(), body=body)

    before = stamps.current(db.session, stamps.NEWS, stamps.LISTINGS)
    db.session.add(article("未发出的稿件"))
    db.session.flush()
    db.session.rollback()
    assert stamps.current(db.session, stamps.NEWS, stamps.LISTINGS) == before
    db.session.add(article("发出的稿件"))
    building = db.session.scalars(select(Building).where(Building.status == "published")).first()
    building.name += "（改）"
    db.session.commit()  # articles and a building in one transaction: both stamps, no deadlock
    news, listings = stamps.current(db.session, stamps.NEWS, stamps.LISTINGS)
    assert news == before[0] + 1 and listings == before[1] + 1


# -- whole pages for visitors who are not signed in ------------------------------------------


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html)[1]


def _session_token(html: str) -> str:
    """The session's raw token inside the signed form token: the signature carries the second it
    was made, so two pages of one session a second apart have different form tokens."""
    return _token(html).split(".")[0]


def _nonce(html: str) -> str:
    return re.search(r'<script nonce="([^"]+)"', html)[1]


def test_visitors_not_signed_in_share_the_page_but_not_tokens_or_nonces(app, demo):
    from flask import template_rendered

    app.config["WTF_CSRF_ENABLED"] = True
    alice, bob = app.test_client(), app.test_client()
    first = alice.get(QUERY)
    rendered: list[str] = []

    def record(_sender, template, _context, **_extra) -> None:
        rendered.append(template.name)

    template_rendered.connect(record, app)
    try:
        with statements() as sent:
            second = bob.get(QUERY)
    finally:
        template_rendered.disconnect(record, app)
    assert second.status_code == 200
    assert rendered == [] and len(sent) == 1, "the whole page came from the cache"

    a, b = first.get_data(as_text=True), second.get_data(as_text=True)
    assert "\x00" not in a + b
    assert _token(a) != _token(b) and _nonce(a) != _nonce(b)
    assert a.replace(_token(a), "T").replace(_nonce(a), "N") == b.replace(_token(b), "T").replace(
        _nonce(b), "N"
    )
    assert f"'nonce-{_nonce(b)}'" in second.headers["Content-Security-Policy"]

    first_id = int(re.search(r'data-building-id="(\d+)"', b)[1])
    sent_form = {"building_id": first_id, "action": "add", "next": QUERY}
    refused = alice.post("/listings/compare", data={**sent_form, "csrf_token": _token(b)})
    assert refused.status_code == 400, "one visitor's token is not another's"
    added = bob.post("/listings/compare", data={**sent_form, "csrf_token": _token(b)})
    assert added.status_code == 302


def test_a_signed_in_visitor_gets_a_page_of_their_own(client, demo):
    user = UserFactory(name="王租户")
    db.session.commit()
    for url in (QUERY, f"/listings/{building_in('次坞镇').id}"):
        anonymous = client.get(url).get_data(as_text=True)
        assert "王租户" not in anonymous and "登录" in anonymous
        sign_in(client, user)
        own = client.get(url).get_data(as_text=True)
        assert "王租户" in own and "退出" in own and "\x00" not in own
        with client.session_transaction() as session:
            session.clear()
        assert "王租户" not in client.get(url).get_data(as_text=True)


def test_a_flashed_message_is_not_lost_to_the_cached_page(client, demo):
    url = f"/listings/{building_in('次坞镇').id}"
    assert "留言已提交" not in client.get(url).get_data(as_text=True)
    sent = {"name": "李", "mobile": "13812345678", "message": "想看房"}
    assert client.post(f"{url}/inquiry", data=sent).status_code == 302
    shown = client.get(url).get_data(as_text=True)
    assert "留言已提交" in shown
    assert "留言已提交" not in client.get(url).get_data(as_text=True), "shown once"


def test_a_page_served_under_another_root_links_within_it(client, demo):
    plain = client.get(QUERY).get_data(as_text=True)
    rooted = client.get(QUERY, base_url="http://localhost/portal/").get_data(as_text=True)
    assert names(rooted, root="/portal") == names(plain) != []
    assert 'href="/portal/listings/' not in plain
    building = building_in("次坞镇")
    page = client.get(f"/listings/{building.id}", base_url="http://localhost/portal/")
    assert 'href="/portal/listings/"' in page.get_data(as_text=True)


def test_stamps_are_read_again_when_the_readers_connection_has_died(app, demo):
    """The stamps' reader does not ping before each read: a connection the server has closed
    (a restart) fails the read, which is made again on a new connection."""
    from sqlalchemy import text

    from app.models import stamps

    stamps.bump(db.session, stamps.LISTINGS)
    db.session.commit()
    before = stamps.current(db.session, stamps.LISTINGS, stamps.NEWS)
    assert before[0] >= 1
    if db.engine.dialect.name == "postgresql":
        with stamps._reader(db.engine).connect() as conn:
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        db.session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        db.session.commit()
    assert stamps.current(db.session, stamps.LISTINGS, stamps.NEWS) == before


@pytest.mark.parametrize("path", [QUERY, "building"])
def test_a_shared_page_is_sent_gzipped_with_the_visitors_own_token_and_nonce(app, demo, path):
    """The shared page is kept compressed between its stand-ins: what a browser unpacks is the
    page the visitor would get uncompressed, with their own token and nonce."""
    import gzip

    if path == "building":
        path = f"/listings/{building_in('次坞镇').id}"
    app.config["WTF_CSRF_ENABLED"] = True
    plain = app.test_client().get(path)
    packed = []
    for _ in range(2):  # rendered, then from the cache
        visitor = app.test_client()
        response = visitor.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response.headers["Vary"]
        html = gzip.decompress(response.get_data()).decode("utf-8")
        assert f"'nonce-{_nonce(html)}'" in response.headers["Content-Security-Policy"]
        packed.append(html)
        page = visitor.get(path).get_data(as_text=True)  # the same visitor's session
        assert _session_token(page) == _session_token(html)
    expected = plain.get_data(as_text=True)
    assert "\x00" not in "".join(packed)

    def anonymous(html: str) -> str:
        return html.replace(_nonce(html), "N").replace(_token(html), "T")

    assert anonymous(packed[0]) == anonymous(packed[1]) == anonymous(expected)
    assert _nonce(packed[0]) != _nonce(packed[1])


def test_a_shared_page_unpacks_whatever_its_values():
    """Stored blocks hold at most 65,535 bytes each; a page may start or end with a stand-in."""
    import gzip

    from app.pagecache import NONCE_HOLE, TOKEN_HOLE, SharedPage

    html = f"{NONCE_HOLE}<p>次坞镇临杭产业园</p>{TOKEN_HOLE}" + "写字楼" * 30000 + NONCE_HOLE
    shared = SharedPage.of(html, 3)
    assert shared.holes == (NONCE_HOLE, TOKEN_HOLE, NONCE_HOLE)
    values = [b"n" * 70000, "令牌".encode(), b""]
    expected = html.replace(NONCE_HOLE, "\x01").replace(TOKEN_HOLE, "令牌")
    expected = expected.replace("\x01", "n" * 70000, 1).replace("\x01", "")
    assert gzip.decompress(shared.gzip(values)).decode("utf-8") == expected
    assert (
        gzip.decompress(SharedPage.of("<p>没有替身</p>", 3).gzip([])).decode() == "<p>没有替身</p>"
    )
