"""The monthly rent report: `flask market report --month YYYY-MM` writes a draft in 楼市, and a
second run updates it."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.market import figures, report
from app.models import Article, ArticlePlace, Place, PlaceKind
from app.models.base import utcnow


def last_month() -> date:
    today = utcnow().date()
    return date(today.year - 1, 12, 1) if today.month == 1 else date(today.year, today.month - 1, 1)


def run(runner, month: str):
    return runner.invoke(args=["market", "report", "--month", month])


def reports() -> list[Article]:
    return list(db.session.scalars(select(Article).where(Article.title.like("%写字楼租金月报"))))


def place(name: str) -> Place:
    return db.session.scalar(select(Place).where(Place.name == name))


def test_the_report_of_last_month_is_a_draft_with_its_figures_and_places(runner, client, demo):
    month = last_month()
    result = run(runner, f"{month:%Y-%m}")
    assert result.exit_code == 0, result.output
    assert "已生成草稿" in result.output
    (article,) = reports()
    assert article.title == f"{month.year}年{month.month}月绍兴写字楼租金月报"
    assert (article.category, article.status) == ("楼市", "draft")
    assert client.get(f"/news/{article.id}").status_code == 404  # not public before review

    city = place("绍兴市")
    points = figures.trend(city.id, until=month)
    assert points[-1].month == month
    assert f"挂牌租金中位数为 {points[-1].rent_median:.2f} 元/㎡/天" in article.summary
    assert f"同比{report.change_text(figures.change_12m(points))}" in article.summary
    districts = db.session.scalars(
        select(Place).where(Place.parent_id == city.id, Place.kind == PlaceKind.DISTRICT)
    ).all()
    assert len(districts) == 6
    for district in districts:
        median = figures.trend(district.id, until=month)[-1].rent_median
        row = re.search(
            rf'<tr><td><a href="/places/{district.slug}"[^>]*>{district.name}</a></td>'
            r"<td>([^<]+)</td>",
            article.body,
        )
        assert row, district.name
        assert row.group(1) == ("暂无" if median is None else f"{median:.2f}")
    linked = set(
        db.session.scalars(
            select(Place.name)
            .join(ArticlePlace, ArticlePlace.place_id == Place.id)
            .where(ArticlePlace.article_id == article.id)
        )
    )
    assert {"绍兴市", *(d.name for d in districts)} <= linked
    # Its charts: the trend ending at the month, as images of this site, for the city and each
    # district with units enough.
    charts = re.findall(r'<img src="([^"]+)" alt="([^"]+)"', article.body)
    assert (
        f"/places/shaoxing/trend-{month:%Y-%m}.svg",
        f"绍兴市近24个月写字楼租金中位数走势（截至{month.year}年{month.month}月）",
    ) in charts
    assert len(charts) == 1 + sum(
        1 for d in districts if figures.trend(d.id, until=month)[-1].rent_median is not None
    )
    for src, _alt in charts:
        image = client.get(src)
        assert image.status_code == 200 and image.mimetype == "image/svg+xml", src
        svg = image.get_data(as_text=True)
        assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg
        assert "<script" not in svg and 'width="440"' in svg
    assert "<h2>近12个月租金涨幅最大的镇街</h2>" in article.body
    assert "<h2>近12个月租金跌幅最大的镇街</h2>" in article.body


def test_a_second_run_updates_the_draft(runner, demo):
    month = f"{last_month():%Y-%m}"
    assert run(runner, month).exit_code == 0
    (first,) = reports()
    first.body = "<p>编辑改过的草稿</p>"
    db.session.commit()
    result = run(runner, month)
    assert result.exit_code == 0, result.output
    assert "已更新草稿" in result.output
    (again,) = reports()
    assert again.id == first.id and "编辑改过" not in again.body and "<table>" in again.body


def test_an_editor_publishes_it_and_readers_see_its_tables(runner, client, demo):
    assert run(runner, f"{last_month():%Y-%m}").exit_code == 0
    (article,) = reports()
    article.status = "published"
    db.session.commit()
    page = client.get(f"/news/{article.id}").get_data(as_text=True)
    assert article.title in page and "<table>" in page and "租金中位数（元/㎡/天）" in page
    assert (
        f'<img src="/places/shaoxing/trend-{last_month():%Y-%m}.svg"' in page
    )  # kept by the sanitizer
    assert "文中地点行情" in page
    # Published, it is left alone: rewriting it would change what readers were shown.
    result = run(runner, f"{last_month():%Y-%m}")
    assert result.exit_code == 1 and "已发布" in result.output


def test_the_current_month_can_be_reported(runner, demo):
    today = utcnow().date()
    assert run(runner, f"{today:%Y-%m}").exit_code == 0
    (article,) = reports()
    assert article.title.startswith(f"{today.year}年{today.month}月")


@pytest.mark.parametrize(
    "month", ["2026-13", "2026-00", "2026/11", "11-2026", "2026-1", "本月", ""]
)
def test_a_bad_month_is_a_clear_error(runner, demo, month):
    result = run(runner, month)
    assert result.exit_code == 2
    assert "月份格式应为 YYYY-MM，例如 2026-11" in result.output
    assert reports() == []


def test_a_month_not_yet_begun_is_refused(runner, demo):
    today = utcnow().date()
    ahead = f"{today.year + 1}-{today.month:02d}"
    result = run(runner, ahead)
    assert result.exit_code == 2 and "还没有到" in result.output
    assert reports() == []


def test_a_trend_image_is_drawn_to_the_month_asked(client, demo):
    month = last_month()
    svg = client.get(f"/places/shaoxing/trend-{month:%Y-%m}.svg").get_data(as_text=True)
    first = figures.trend(place("绍兴市").id, until=month)[0].month
    assert first < month and "绍兴市租金走势（近 24 个月）" in svg
    assert f">{first:%Y-%m}<" in svg  # the x axis begins 23 months before the month asked
    previous = first.replace(year=first.year - 1)
    assert f">{previous:%Y-%m}<" not in svg


@pytest.mark.parametrize(
    "path",
    [
        "/places/shaoxing/trend-2026-13.svg",
        "/places/shaoxing/trend-1999-01.svg",
        f"/places/shaoxing/trend-{utcnow().year + 1}-01.svg",
        "/places/no-such-place/trend-2026-01.svg",
    ],
)
def test_a_trend_image_of_no_month_or_no_place_is_not_found(client, demo, path):
    assert client.get(path).status_code == 404


def test_a_place_outside_the_region_has_no_trend_image(client, demo):
    outside = db.session.scalar(select(Place).where(Place.in_region.is_(False)).limit(1))
    assert client.get(f"/places/{outside.slug}/trend-2026-01.svg").status_code == 404


def test_a_month_with_no_history_says_so(runner, demo):
    result = run(runner, "2001-01")
    assert result.exit_code == 1
    assert "2001年1月没有租金历史记录" in result.output
    assert reports() == []
    assert db.session.scalar(select(func.count()).select_from(Article).where(
        Article.import_key.like("market-report:%")
    )) == 0  # fmt: skip
