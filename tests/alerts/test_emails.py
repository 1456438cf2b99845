"""Alert emails as they arrive at a real SMTP server: instant ones from the matching job, digests
from `flask alerts send`; both parts, the links, List-Unsubscribe; each hit reported once."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, select

from app.alerts import emails
from app.extensions import db
from app.models import OutboundEmail, SearchHit
from app.models.base import utcnow
from tests.alerts.conftest import building_in, hits, save, unit_in

LINK = re.compile(r"https?://[^\s<>\"]+")


def _parts(message) -> tuple[str, str]:
    return (
        message.get_body(("plain",)).get_content(),
        message.get_body(("html",)).get_content(),
    )


def test_an_instant_alert_arrives_with_both_parts_its_links_and_one_click_unsubscribe(
    app, client, places, tenant, mailbox
):
    search = save(tenant, frequency="instant", name="次坞小办公室", town="次坞镇", rent_max=2)
    building = building_in(places, "ciwu", name="次坞创业大厦", grade="甲级")
    unit_in(building, floor=5, area_m2=320, rent_per_m2_day=1.2, decoration="精装")
    db.session.commit()

    (message,) = mailbox.wait_for(1)
    assert message["To"] == "chen@tenant.example"
    assert message["Subject"] == "订阅“次坞小办公室”：1 套新房源"
    unsubscribe = f"{app.config['SITE_URL']}/searches/unsubscribe/{search.token}"
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = _parts(message)
    for part in (text, html):
        assert "次坞创业大厦" in part and "诸暨市 · 次坞镇" in part
        assert "出租 · 5F · 320 ㎡ · 精装 · 甲级" in part
        assert "1.2 元/㎡/天（约 11,680 元/月）" in part
        assert unsubscribe in part
    page = f"{app.config['SITE_URL']}/listings/{building.id}"
    assert page in text and f'href="{page}"' in html
    # The link opens the building.
    opened = client.get(urlsplit(page).path)
    assert opened.status_code == 200 and "次坞创业大厦" in opened.get_data(as_text=True)
    # The search's own link reopens the search.
    results = next(link for link in LINK.findall(text) if "/listings/?" in link)
    assert "次坞创业大厦" in client.get(results.removeprefix(app.config["SITE_URL"])).text

    # One click from the mail client: no session, no CSRF token.
    app.config["WTF_CSRF_ENABLED"] = True
    done = app.test_client().post(
        urlsplit(unsubscribe).path, data={"List-Unsubscribe": "One-Click"}
    )
    assert done.status_code == 200 and "已退订" in done.text
    db.session.refresh(search)
    assert search.paused
    unit_in(building, area_m2=100, rent_per_m2_day=1.0)
    db.session.commit()
    assert len(mailbox.messages) == 1, "a paused search sends nothing"


def test_a_price_drop_email_shows_the_old_and_new_rent(places, tenant, mailbox):
    save(tenant, frequency="instant", name="降价提醒", town="次坞镇")
    building = building_in(places, "ciwu", name="降价大厦")
    unit = unit_in(building, area_m2=100, rent_per_m2_day=2.0)
    db.session.commit()
    mailbox.wait_for(1)
    unit.rent_per_m2_day = 1.6
    db.session.commit()
    second = mailbox.wait_for(2)[1]
    assert second["Subject"] == "订阅“降价提醒”：1 套降价"
    text, html = _parts(second)
    assert "【降价】降价大厦" in text
    assert "2 → 1.6 元/㎡/天（约 4,867 元/月）" in text and "2 → 1.6 元/㎡/天" in html


def test_an_unverified_address_gets_no_alert_until_verified(places, tenant, mailbox):
    tenant.email_verified_at = None
    search = save(tenant, frequency="instant", town="次坞镇")
    building = building_in(places, "ciwu")
    unit_in(building)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(OutboundEmail)) == 0
    assert (
        hits(search)
        and db.session.scalar(select(func.count()).where(SearchHit.sent_at.is_(None))) == 1
    )

    tenant.email_verified_at = utcnow()
    db.session.commit()
    unit_in(building, area_m2=200)
    db.session.commit()
    (message,) = mailbox.wait_for(1)
    assert message["Subject"].endswith("2 套新房源"), "the waiting hit comes with the new one"


def test_the_digest_command_sends_what_is_due_once(places, tenant, runner, mailbox):
    daily = save(tenant, frequency="daily", name="每日次坞", town="次坞镇")
    weekly = save(tenant, frequency="weekly", name="每周诸暨", district="诸暨市")
    building = building_in(places, "ciwu", name="汇总大厦")
    for area in (100, 200, 300):
        unit_in(building, area_m2=area)
    db.session.commit()
    assert mailbox.messages == [], "digests wait for the command"

    result = runner.invoke(args=["alerts", "send"])
    assert result.exit_code == 0, result.output
    assert "每日汇总 1 封，每周汇总 1 封" in result.output
    subjects = sorted(m["Subject"] for m in mailbox.wait_for(2))
    assert subjects == [
        "每周汇总 · 订阅“每周诸暨”：3 套新房源",
        "每日汇总 · 订阅“每日次坞”：3 套新房源",
    ]
    text = mailbox.messages[0].get_body(("plain",)).get_content()
    assert text.count("【新房源】汇总大厦") == 3

    # Run again at once: nothing pending, nothing sent.
    again = runner.invoke(args=["alerts", "send"])
    assert "每日汇总 0 封，每周汇总 0 封" in again.output
    # A new unit today: the daily digest is not due until a day after the last.
    unit_in(building, area_m2=400)
    db.session.commit()
    assert "每日汇总 0 封" in runner.invoke(args=["alerts", "send"]).output
    db.session.refresh(daily)
    db.session.refresh(weekly)
    daily.last_sent_at -= timedelta(hours=23)
    weekly.last_sent_at -= timedelta(days=6)
    db.session.commit()
    assert "每日汇总 1 封，每周汇总 0 封" in runner.invoke(args=["alerts", "send"]).output
    assert len(mailbox.wait_for(3)) == 3


def test_a_claimed_hit_is_claimed_once_and_a_stored_email_is_not_stored_again(places, tenant):
    search = save(tenant, frequency="daily", town="次坞镇")
    unit_in(building_in(places, "ciwu"))
    db.session.commit()
    now = utcnow()
    first = emails.claim(db.session, [search.id], now)
    assert emails.claim(db.session, [search.id], now) == {}, "taken already"
    assert emails.send(db.session, first, now, digest=True) == 1
    # The same hits composed again (a job that ran twice): the key is taken, nothing stored,
    # and the hits wait again rather than count as sent.
    assert emails.send(db.session, first, now, digest=True) == 0
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(OutboundEmail)) == 1
    pending = select(func.count()).where(SearchHit.sent_at.is_(None))
    assert db.session.scalar(pending) == 1


def test_an_email_lists_at_most_twenty_units_and_links_the_rest(places, tenant, mailbox):
    save(tenant, frequency="daily", name="很多房源", town="次坞镇")
    building = building_in(places, "ciwu")
    for i in range(23):
        unit_in(building, floor=i + 1, area_m2=100 + i)
    db.session.commit()
    from app.alerts.commands import send_due_digests

    send_due_digests()
    (message,) = mailbox.wait_for(1)
    text, html = _parts(message)
    assert message["Subject"].endswith("23 套新房源")
    assert text.count("【新房源】") == 20 and "还有 3 套" in text and "还有 3 套" in html


def test_the_digests_run_as_an_rq_job_and_the_cron_scheduler_enqueues_them(
    app, places, tenant, mailbox, rq_worker
):
    from redis import Redis
    from rq.cron import CronScheduler

    from app import jobs
    from app.alerts.commands import send_due_digests
    from app.config import Config

    JOB_QUEUE = Config.JOB_QUEUE  # noqa: N806  (what the cron file reads)

    save(tenant, frequency="weekly", name="每周任务", town="次坞镇")
    unit_in(building_in(places, "ciwu"))
    db.session.commit()
    jobs.queue(app.config).enqueue(send_due_digests)
    rq_worker()
    (message,) = mailbox.wait_for(1)
    assert message["Subject"] == "每周汇总 · 订阅“每周任务”：1 套新房源"

    scheduler = CronScheduler(connection=Redis.from_url(app.config["REDIS_URL"]))
    scheduler.load_config_from_file("app/alerts/rq_cron.py")
    (job,) = scheduler.get_jobs()
    assert (job.func, job.cron, job.queue_name) == (send_due_digests, "0 8 * * *", JOB_QUEUE)
