"""Editors write and edit articles; HTML is sanitised; places are shown before publishing."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Article
from app.news.sanitize import clean_html
from tests.helpers import make_user, sign_in

FORM = {
    "title": "次坞镇新研发楼开工",
    "category": "招商动态",
    "source": "本站原创",
    "published_at": "2026-03-01T09:30",
    "summary": "临杭产业园旁的研发楼开工。",
    "body": "次坞镇临杭产业园东侧的研发楼开工。\n\n原直埠镇的企业也来看房。",
    "editor": "测试编辑",
    "original_title": "",
    "keywords": "次坞，研发楼、临杭产业园",
    "status": "published",
}


def text_of(response) -> str:
    return response.get_data(as_text=True)


def count_articles() -> int:
    return db.session.scalar(select(func.count()).select_from(Article))


def test_only_editors_and_admins_may_write(client, demo):
    assert client.get("/news/new").status_code == 302  # to the sign-in page
    sign_in(client, make_user("tenant"))
    assert client.get("/news/new").status_code == 403
    sign_in(client, make_user("admin"))
    assert client.get("/news/new").status_code == 200


def test_preview_lists_the_detected_places_without_saving(client, demo, editor):
    before = count_articles()
    response = client.post("/news/new", data={**FORM, "preview": "检测地点"})
    page = text_of(response)
    assert response.status_code == 200
    assert "检测到的地点" in page
    for name in ("次坞镇临杭产业园", "次坞镇", "姚江镇"):
        assert f">{name}</a>" in page
    assert count_articles() == before


def test_saving_sanitises_links_and_shows_the_places(client, demo, editor):
    body = (
        '<p onclick="alert(1)" style="color:red">次坞镇的新楼。</p>'
        "<script>alert('x')</script><style>p{}</style>"
        '<a href="javascript:alert(1)">坏链接</a><img src="x" onerror="alert(1)">'
    )
    response = client.post("/news/new", data={**FORM, "body": body, "save": "保存"})
    assert response.status_code == 302
    article = db.session.scalar(select(Article).order_by(Article.id.desc()))
    for bad in ("<script", "alert(", "onclick", "onerror", "style", "javascript:"):
        assert bad not in article.body
    assert "次坞镇的新楼。" in article.body
    assert article.keywords == "次坞,研发楼,临杭产业园"
    assert article.author_id == editor.id
    page = text_of(client.get(response.headers["Location"]))
    assert "文章已保存" in page and ">次坞镇</a>" in page
    assert {link.place.name for link in article.places} >= {"次坞镇", "次坞镇临杭产业园"}


def test_plain_text_becomes_paragraphs(client, demo, editor):
    client.post("/news/new", data={**FORM, "save": "保存"})
    article = db.session.scalar(select(Article).order_by(Article.id.desc()))
    assert article.body.count("<p>") == 2
    assert client.get(f"/news/{article.id}").status_code == 200


def test_editing_an_article(client, seed_article, editor):
    page = text_of(client.get(f"/news/{seed_article.id}/edit"))
    assert seed_article.title in page and "检测到的地点" in page and ">诸暨岛</a>" in page
    data = {**FORM, "title": "改过的标题", "save": "保存"}
    response = client.post(f"/news/{seed_article.id}/edit", data=data)
    assert response.status_code == 302
    db.session.refresh(seed_article)
    assert seed_article.title == "改过的标题"
    assert client.get("/news/999999/edit").status_code == 404


def test_bad_input_gets_chinese_messages_and_400(client, demo, editor):
    before = count_articles()
    data = {
        **FORM,
        "title": "",
        "published_at": "明天",
        "category": "不存在",
        "status": "gone",
        "save": "保存",
    }
    response = client.post("/news/new", data=data)
    page = text_of(response)
    assert response.status_code == 400
    for message in ("请填写标题", "发布时间格式不正确", "请选择有效的栏目", "请选择有效的状态"):
        assert message in page
    long = client.post("/news/new", data={**FORM, "title": "长" * 201, "save": "保存"})
    assert long.status_code == 400 and "标题不能超过 200 个字" in text_of(long)
    assert count_articles() == before


def test_csrf_is_required_outside_tests(app, client, demo, editor):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/news/new", data={**FORM, "save": "保存"})
    assert response.status_code == 400
    assert "安全令牌" in text_of(response)


def test_clean_html_keeps_structure_and_drops_what_runs():
    dirty = (
        '<h3 onmouseover="x()">小标题</h3><p style="x">段落<br>换行</p>'
        '<a href="https://example.com/" onclick="x()">链接</a>'
        '<script>evil()</script><iframe src="https://example.com"></iframe>'
        '<svg onload="x()"></svg><a href="javascript:x()">j</a>'
    )
    clean = clean_html(dirty)
    assert "<h3>小标题</h3>" in clean and "<p>段落<br>换行</p>" in clean
    assert 'href="https://example.com/"' in clean
    for bad in (
        "onmouseover",
        "onclick",
        "onload",
        "style",
        "script",
        "evil",
        "iframe",
        "svg",
        "javascript",
    ):
        assert bad not in clean
