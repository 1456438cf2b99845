"""The hostile inputs that once broke something, kept as plain examples."""

from __future__ import annotations

import pytest

from tests.security import hostile
from tests.security.conftest import row_counts

HUGE = "9" * 400
NUL_URLS = [
    "/listings/?q=%00",
    "/listings/?near=%00",
    "/listings/compare?near=a%00b",
    "/parks/%00",
    "/news/category/%00",
    "/api/listings?town=%00",
]


@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_character_is_refused_not_a_server_error(client, world, url):
    """PostgreSQL fails on NUL in any string it is given, even in a WHERE clause."""
    hostile.TRIED["fixed cases"] += 1
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json["error"] == "请求中包含无效字符，请检查后重试。"
    else:
        assert "请求中包含无效字符" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [f"/listings/?page={HUGE}", f"/api/listings?page={HUGE}", f"/listings/?page=1{'0' * 30}"],
)
def test_a_huge_page_number_is_a_message(client, url):
    """WTForms' NumberRange overflowed on an integer too large for a float."""
    hostile.TRIED["fixed cases"] += 1
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json["errors"]["page"] == ["请输入有效的整数。"]
    else:
        assert response.get_data(as_text=True).count("请输入有效的整数。") == 1


def test_huge_integers_in_forms_are_refused(client, world):
    world.sign_in(client, "owner")
    before = row_counts()
    for url, data in [
        ("/agent/buildings/new", {"name": "甲", "address": "乙", "grade": "甲级", "floors": HUGE}),
        ("/agent/buildings/{building}/units/new", {"deal": "rent", "floor": HUGE}),
        ("/listings/compare", {"building_id": HUGE}),
    ]:
        hostile.TRIED["fixed cases"] += 1
        response = client.post(url.format(**world.ids), data=data)
        assert response.status_code in (400, 422), url
    assert row_counts() == before


@pytest.mark.parametrize("mobile", ["13８１２３４５６７８", "13812345a78", "1381234567"])
@pytest.mark.parametrize(
    ("url", "data", "role"),
    [
        ("/listings/{building}/inquiry", {"name": "李", "message": "看房"}, "anonymous"),
        ("/accounts/profile", {"name": "王"}, "owner"),
        (
            "/accounts/register",
            {
                "email": "w@example.com",
                "password": "long-pass-1",
                "confirm": "long-pass-1",
                "role": "agent",
                "name": "王",
            },
            "anonymous",
        ),
    ],
)
def test_mobile_numbers_are_eleven_ascii_digits(client, world, mobile, url, data, role):
    """`\\d` in the pattern took full-width digits: 13８１２３４５６７８ was stored as given."""
    hostile.TRIED["fixed cases"] += 1
    world.sign_in(client, role)
    before = row_counts()
    profile = world.users["owner"].mobile
    response = client.post(url.format(**world.ids), data=dict(data, mobile=mobile))
    assert response.status_code in (400, 422)
    assert "手机号码" in response.get_data(as_text=True)
    assert row_counts() == before and world.users["owner"].mobile == profile
