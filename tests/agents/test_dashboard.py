"""The agent's dashboard and inbox: counts, freshness badges, inquiries and reports."""

from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from app.models.base import utcnow
from tests.factories import InquiryFactory, ReportFactory, UnitFactory


def test_dashboard_shows_figures_and_freshness(as_owner, building):
    building.view_count = 321
    UnitFactory(building=building, confirmed_at=utcnow() - timedelta(days=45))
    InquiryFactory(building=building)
    ReportFactory(building=building)
    db.session.commit()
    page = as_owner.get("/agent/").get_data(as_text=True)
    assert building.name in page and "321" in page and "浏览量" in page
    assert "待确认" in page and "刷新" in page
    assert "有 1 条举报待处理" in page and "李先生" in page


def test_inquiries_by_status(as_owner, building):
    inquiry = InquiryFactory(building=building, preferred_time="周六上午")
    db.session.commit()
    page = as_owner.get("/agent/inquiries?status=new").get_data(as_text=True)
    assert "李先生" in page and "周六上午" in page and "标为已联系" in page
    sent = {"status": "contacted"}
    assert as_owner.post(f"/agent/inquiries/{inquiry.id}/status", data=sent).status_code == 302
    assert inquiry.status == "contacted"
    assert "李先生" not in as_owner.get("/agent/inquiries?status=new").get_data(as_text=True)
    assert "李先生" in as_owner.get("/agent/inquiries?status=contacted").get_data(as_text=True)
    assert as_owner.get("/agent/inquiries?status=<x>").status_code == 200


def test_reports_resolved_by_the_owner(as_owner, building):
    report = ReportFactory(building=building)
    db.session.commit()
    assert "电话说已经租掉了" in as_owner.get("/agent/reports").get_data(as_text=True)
    as_owner.post(f"/agent/reports/{report.id}/resolve")
    assert report.resolved
    assert as_owner.post("/agent/reports/999999/resolve").status_code == 404


def test_empty_dashboard_invites_a_first_building(as_owner):
    page = as_owner.get("/agent/").get_data(as_text=True)
    assert "还没有楼盘" in page and "/agent/buildings/new" in page
