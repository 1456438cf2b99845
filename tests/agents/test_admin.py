"""Moderation pages: editors and admins publish, hide and feature; admins manage users."""

from __future__ import annotations

from tests.factories import ReportFactory
from tests.helpers import sign_in


def test_moderators_see_every_building(client, people, building):
    for role in ("editor", "admin"):
        sign_in(client, people[role])
        page = client.get("/admin/buildings").get_data(as_text=True)
        assert building.name in page and "草稿" in page and "推荐" in page
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/buildings?status=bogus").status_code == 200


def test_publish_feature_and_hide(client, people, building):
    sign_in(client, people["editor"])
    client.post(f"/admin/buildings/{building.id}/publish")
    client.post(f"/admin/buildings/{building.id}/feature")
    assert (building.status, building.featured) == ("published", True)
    page = client.get("/admin/buildings?status=published").get_data(as_text=True)
    assert building.name in page and "取消推荐" in page
    client.post(f"/admin/buildings/{building.id}/hide")
    assert (building.status, building.featured) == ("hidden", False)
    assert client.get(f"/listings/{building.id}").status_code == 404
    assert client.post(f"/admin/buildings/{building.id}/explode").status_code == 404
    assert client.post("/admin/buildings/999999/hide").status_code == 404


def test_reports_are_listed_and_resolved(client, people, building):
    report = ReportFactory(building=building)
    sign_in(client, people["editor"])
    page = client.get("/admin/reports").get_data(as_text=True)
    assert "电话说已经租掉了" in page and "标为已处理" in page
    client.post(f"/admin/reports/{report.id}/resolve")
    assert report.resolved and report.resolved_at is not None
    assert "已处理" in client.get("/admin/reports").get_data(as_text=True)


def test_only_admins_manage_users(client, people):
    sign_in(client, people["editor"])
    assert client.get("/admin/users").status_code == 403
    sign_in(client, people["admin"])
    page = client.get("/admin/users").get_data(as_text=True)
    assert people["tenant"].email in page and "停用" in page
    assert client.get("/admin/users?role=agent").status_code == 200
    tenant = people["tenant"]
    assert client.post(f"/admin/users/{tenant.id}/role", data={"role": "editor"}).status_code == 302
    assert tenant.role == "editor"
    response = client.post(f"/admin/users/{tenant.id}/role", data={"role": "god"})
    assert response.status_code == 422 and "无效的角色" in response.get_data(as_text=True)
    client.post(f"/admin/users/{tenant.id}/deactivate")
    assert not tenant.active


def test_admin_cannot_lock_themselves_out(client, people):
    admin = people["admin"]
    sign_in(client, admin)
    response = client.post(f"/admin/users/{admin.id}/deactivate")
    assert response.status_code == 422 and "不能停用自己的账户" in response.get_data(as_text=True)
    response = client.post(f"/admin/users/{admin.id}/role", data={"role": "tenant"})
    assert response.status_code == 422 and "不能取消自己的管理员身份" in response.get_data(
        as_text=True
    )
    assert admin.active and admin.role == "admin"
    assert client.post("/admin/users/999999/deactivate").status_code == 404


def test_navbar_shows_the_areas_by_role(client, people):
    sign_in(client, people["admin"])
    page = client.get("/").get_data(as_text=True)
    assert "经纪人中心" in page and "管理" in page and "退出" in page
    sign_in(client, people["tenant"])
    page = client.get("/").get_data(as_text=True)
    assert "经纪人中心" not in page and 'href="/admin/buildings"' not in page
