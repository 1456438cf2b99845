"""The agent's profile (/agent/profile) and public page (/agents/<id>): what an agent writes,
what they may not, and what tenants see."""

from __future__ import annotations

import os
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import select

from app.agent import photos
from app.extensions import db
from app.models import Place, PlaceKind, User
from tests.factories import AgentFactory, BuildingFactory
from tests.helpers import sign_in


def profile_data(**changes) -> dict:
    data = {
        "name": "王经理",
        "company": "诸暨安居置业",
        "mobile": "13812345678",
        "intro": "专注次坞、店口写字楼十年。",
    }
    data.update(changes)
    return data


def post_profile(client, data: dict):
    return client.post("/agent/profile", data=data, content_type="multipart/form-data")


def jpeg(size=(900, 600)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def place(name: str) -> Place:
    return db.session.scalar(select(Place).where(Place.name == name))


def test_agent_edits_own_profile_with_towns_and_photo(app, client, people, gazetteer):
    owner = people["owner"]
    sign_in(client, owner)
    form = client.get("/agent/profile")
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert "经纪公司" in page and "服务镇街" in page and "次坞镇" in page
    ciwu, district = place("次坞镇"), place("诸暨市")
    data = profile_data(towns=[str(ciwu.id), str(district.id)], photo=(BytesIO(jpeg()), "me.png"))
    response = post_profile(client, data)
    assert response.status_code == 302 and response.headers["Location"].endswith("/agent/profile")
    db.session.expire_all()
    agent = db.session.get(User, owner.id)
    assert (agent.name, agent.company, agent.mobile) == ("王经理", "诸暨安居置业", "13812345678")
    assert agent.intro == "专注次坞、店口写字楼十年。"
    assert {p.name for p in agent.service_towns} == {"次坞镇", "诸暨市"}
    assert photos.is_media_name(agent.photo)
    with Image.open(os.path.join(app.config["UPLOAD_FOLDER"], agent.photo)) as stored:
        assert stored.format == "JPEG"
    again = client.get("/agent/profile").get_data(as_text=True)
    assert "资料已保存" in again
    assert f'name="towns" value="{ciwu.id}" checked' in again
    assert f'name="towns" value="{district.id}" checked' in again

    # Another photo replaces the first, whose files go.
    first = agent.photo
    post_profile(client, profile_data(photo=(BytesIO(jpeg((300, 300))), "b.jpg")))
    db.session.expire_all()
    assert db.session.get(User, owner.id).photo not in (None, first)
    assert not os.path.exists(os.path.join(app.config["UPLOAD_FOLDER"], first))
    post_profile(client, profile_data(remove_photo="y"))
    db.session.expire_all()
    assert db.session.get(User, owner.id).photo is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "请填写姓名。"),
        ({"name": "名" * 21}, "姓名最多 20 个字。"),
        ({"mobile": "12345"}, "请输入 11 位中国大陆手机号码"),
        ({"mobile": "１３８１２３４５６７８"}, "请输入 11 位中国大陆手机号码"),
        ({"mobile": ""}, "请填写手机号码。"),
        ({"company": "公" * 41}, "经纪公司最多 40 个字。"),
        ({"intro": "介" * 501}, "个人简介最多 500 字。"),
        ({"towns": ["99999999"]}, "请从列表中选择服务镇街。"),
        ({"towns": ["abc"]}, "请从列表中选择服务镇街。"),
        ({"photo": (BytesIO(b"not an image"), "x.jpg")}, "文件不是有效的图片"),
        ({"photo": (BytesIO(b"MZ"), "x.exe")}, "只能上传 JPEG、PNG 或 WebP 图片。"),
    ],
)
def test_bad_input_is_refused_with_a_message(client, people, gazetteer, changes, message):
    owner = people["owner"]
    sign_in(client, owner)
    response = post_profile(client, profile_data(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, owner.id).name == owner.name


def test_a_place_outside_the_region_or_a_park_is_no_service_town(client, people, gazetteer):
    sign_in(client, people["owner"])
    outside = db.session.scalar(select(Place).where(Place.in_region.is_(False)).limit(1))
    park = db.session.scalar(select(Place).where(Place.kind == PlaceKind.PARK).limit(1))
    for chosen in (outside, park):
        if chosen is None:
            continue
        response = post_profile(client, profile_data(towns=[str(chosen.id)]))
        assert response.status_code == 400, chosen.name


def test_at_most_twenty_service_towns(client, people, gazetteer):
    sign_in(client, people["owner"])
    towns = db.session.scalars(
        select(Place.id).where(Place.kind == PlaceKind.TOWN, Place.in_region.is_(True)).limit(21)
    ).all()
    assert len(towns) == 21
    response = post_profile(client, profile_data(towns=[str(i) for i in towns]))
    assert response.status_code == 400
    assert "服务镇街最多选 20 个。" in response.get_data(as_text=True)
    assert post_profile(client, profile_data(towns=[str(i) for i in towns[:20]])).status_code == 302


def test_the_form_names_no_user_so_an_agent_edits_only_their_own(client, people):
    owner, other = people["owner"], people["other_agent"]
    sign_in(client, other)
    response = post_profile(client, profile_data(user_id=str(owner.id), id=str(owner.id)))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, owner.id).name == owner.name
    assert db.session.get(User, other.id).name == "王经理"


@pytest.mark.parametrize(("role", "code"), [("tenant", 403), ("editor", 403)])
def test_others_may_not_open_the_profile(client, people, role, code):
    sign_in(client, people[role])
    assert client.get("/agent/profile").status_code == code
    assert post_profile(client, profile_data()).status_code == code


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/agent/profile")
    assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]


def test_admin_keeps_a_profile_too(client, people):
    sign_in(client, people["admin"])
    assert post_profile(client, profile_data(name="管理员甲")).status_code == 302


# -- the public page ------------------------------------------------------------------------


def test_public_page_shows_profile_and_published_buildings_only(client, people, gazetteer):
    agent = people["owner"]
    agent.intro = "十年经验"
    agent.email = "secret-agent@example.com"
    agent.mobile = "13812345678"
    agent.service_towns = [place("次坞镇")]
    BuildingFactory(owner=agent, status="published", name="已发布大厦")
    BuildingFactory(owner=agent, status="draft", name="草稿大厦")
    BuildingFactory(owner=people["other_agent"], status="published", name="别人的大厦")
    db.session.commit()
    response = client.get(f"/agents/{agent.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert agent.name in page and "诸暨置业" in page and "十年经验" in page and "次坞镇" in page
    assert "已发布大厦" in page and "草稿大厦" not in page and "别人的大厦" not in page
    assert "138****5678" in page and "13812345678" not in page and "显示电话" in page
    assert "secret-agent" not in page and "@example.com" not in page


def test_public_page_paginates(client, people, monkeypatch):
    monkeypatch.setattr("app.agent.profiles.PER_PAGE", 2)
    agent = people["owner"]
    for n in range(5):
        BuildingFactory(owner=agent, status="published", name=f"分页大厦{n}")
    db.session.commit()
    first = client.get(f"/agents/{agent.id}").get_data(as_text=True)
    third = client.get(f"/agents/{agent.id}?page=3").get_data(as_text=True)
    assert first.count("分页大厦") == 2 and third.count("分页大厦") == 1
    assert f"/agents/{agent.id}?page=2" in first
    assert client.get(f"/agents/{agent.id}?page=abc").status_code == 200
    assert client.get(f"/agents/{agent.id}?page=99999999999999").status_code == 200


def test_no_page_for_a_tenant_an_inactive_agent_or_a_bad_id(client, people):
    inactive = AgentFactory(active=False)
    db.session.commit()
    for agent_id in (people["tenant"].id, people["admin"].id, inactive.id, 10**6):
        assert client.get(f"/agents/{agent_id}").status_code == 404, agent_id
    assert client.get("/agents/abc").status_code == 404
    assert client.get("/agents/99999999999999999999").status_code == 404


def test_reveal_on_the_agent_page_counts(client, people):
    agent = people["owner"]
    agent.mobile = "13812345678"
    db.session.commit()
    response = client.post(f"/agents/{agent.id}/phone")
    assert response.status_code == 200
    assert "13812345678" in response.get_data(as_text=True)
    assert "no-store" in response.headers["Cache-Control"]
    db.session.expire_all()
    assert db.session.get(User, agent.id).phone_reveals == 1
    sign_in(client, agent)
    assert ">1<" in client.get("/agent/profile").get_data(as_text=True).replace(" ", "")
