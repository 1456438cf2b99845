"""Registration, sign-in and sign-out through the real forms; no user enumeration; rate limits."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app import create_app
from app.config import Config, DevelopmentConfig, ProductionConfig
from app.extensions import db, limiter
from app.models import OutboundEmail, User
from tests.factories import PASSWORD, AgentFactory, UserFactory

GOOD = {
    "email": "New.Agent@Example.com",
    "password": "abcd123456x",
    "confirm": "abcd123456x",
    "role": "agent",
    "name": "张经理",
    "company": "次坞置业",
    "mobile": "13812345678",
}


def register(client, **changes):
    return client.post("/accounts/register", data={**GOOD, **changes})


def test_home_links_sign_in_and_register(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/accounts/login"' in page and "登录" in page
    assert 'href="/accounts/register"' in page and "注册" in page


def verification_link(email: str) -> str:
    """The link of the newest verification email to `email`, from the outbox."""
    sent = db.session.scalars(
        select(OutboundEmail)
        .where(OutboundEmail.to == email, OutboundEmail.kind == "verify")
        .order_by(OutboundEmail.id.desc())
    ).first()
    return urlsplit(re.search(r"https?://\S+/accounts/verify/\S+", sent.body_text)[0]).path


def test_register_agent_then_the_emailed_link_signs_in(app, client):
    response = register(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/register/sent"
    page = client.get("/accounts/register/sent").get_data(as_text=True)
    assert "请查收邮件" in page and "new.agent@example.com" in page
    assert client.get("/agent/").status_code == 302, "not signed in before the link"
    user = db.session.scalar(select(User).where(User.email == "new.agent@example.com"))
    assert user.role == "agent" and user.company == "次坞置业"
    assert user.password_hash != "abcd123456x" and user.check_password("abcd123456x")

    link = verification_link("new.agent@example.com")
    response = client.get(link)
    assert response.status_code == 302 and response.headers["Location"] == "/agent/"
    assert client.get("/agent/").status_code == 200
    # Opened again, elsewhere: the address is verified already, and nobody is signed in.
    again = app.test_client()
    assert again.get(link).headers["Location"] == "/"
    assert again.get("/agent/").status_code == 302


def test_outside_tests_passwords_are_hashed_with_scrypt(app, client):
    """Tests hash with a cheap method (TestingConfig); every other config keeps scrypt."""
    app.config["LOGIN_HASH_METHOD"] = Config.LOGIN_HASH_METHOD
    assert ProductionConfig.LOGIN_HASH_METHOD == DevelopmentConfig.LOGIN_HASH_METHOD
    assert register(client).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new.agent@example.com"))
    assert user.password_hash.startswith("scrypt:") and user.check_password("abcd123456x")


def test_register_tenant_goes_home_from_the_link(client):
    response = register(client, email="t@example.com", role="tenant", mobile="", company="")
    assert response.headers["Location"] == "/accounts/register/sent"
    assert client.get(verification_link("t@example.com")).headers["Location"] == "/"


def test_the_sent_page_needs_a_registration(client):
    response = client.get("/accounts/register/sent")
    assert response.status_code == 302 and response.headers["Location"] == "/accounts/register"


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"email": "not-an-email"}, "邮箱格式不正确"),
        ({"email": ""}, "请输入邮箱"),
        ({"password": "short1", "confirm": "short1"}, "密码至少 10 位"),
        ({"password": "abcdefghij", "confirm": "abcdefghij"}, "须同时包含字母和数字"),
        ({"password": "1234567890", "confirm": "1234567890"}, "须同时包含字母和数字"),
        ({"confirm": "abcd12345"}, "两次输入的密码不一致"),
        ({"name": ""}, "请输入姓名"),
        ({"role": "admin"}, "请选择有效的选项"),
        ({"role": "editor"}, "请选择有效的选项"),
        ({"mobile": ""}, "经纪人请填写手机号码"),
        ({"mobile": "12345"}, "请输入 11 位手机号码"),
        ({"name": "名" * 41}, "姓名不超过 40 个字"),
    ],
)
def test_register_refuses_bad_input_beside_the_field(client, changes, field_message):
    response = register(client, **changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_message in page
    assert "invalid-feedback" in page
    assert db.session.scalar(select(User)) is None


def test_register_existing_email_answers_alike_and_tells_the_owner(client):
    owner = UserFactory(email="taken@example.com", name="老用户")
    db.session.commit()
    known = register(client, email="Taken@example.com")
    fresh = register(client, email="fresh@example.com")
    assert known.status_code == fresh.status_code == 302
    assert known.headers["Location"] == fresh.headers["Location"] == "/accounts/register/sent"
    assert len(db.session.scalars(select(User)).all()) == 2
    assert owner.check_password(PASSWORD), "the account is untouched"
    told = db.session.scalar(select(OutboundEmail).where(OutboundEmail.to == "taken@example.com"))
    assert told.kind == "register_known" and told.subject == "您已有绍兴诸暨写字楼网的账户"
    assert "/accounts/login" in told.body_text and "/accounts/reset" in told.body_text
    assert "/accounts/verify/" not in told.body_text


def test_login_and_safe_next(client):
    AgentFactory(email="a@example.com")
    db.session.commit()
    response = client.post(
        "/accounts/login?next=/agent/buildings/new",
        data={"email": "A@example.com", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/agent/buildings/new"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "\\\\x"],
)
def test_login_ignores_foreign_next(client, target):
    AgentFactory(email="a@example.com")
    db.session.commit()
    response = client.post(
        "/accounts/login",
        query_string={"next": target},
        data={"email": "a@example.com", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/agent/"


def test_login_failure_reads_the_same_for_unknown_email_and_wrong_password(client):
    UserFactory(email="known@example.com")
    db.session.commit()
    wrong = client.post("/accounts/login", data={"email": "known@example.com", "password": "x1"})
    unknown = client.post("/accounts/login", data={"email": "nobody@example.com", "password": "x1"})
    assert wrong.status_code == unknown.status_code == 422
    assert "邮箱或密码不正确" in wrong.get_data(as_text=True)

    def body(response):
        """The page less the typed email and what differs on every request anyway."""
        html = (
            response.get_data(as_text=True)
            .replace("known@example.com", "")
            .replace("nobody@example.com", "")
        )
        html = re.sub(r'nonce="[^"]+"', 'nonce=""', html)
        return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "csrf", html)

    assert body(wrong) == body(unknown)


def test_deactivated_user_cannot_sign_in_and_is_signed_out(client):
    user = AgentFactory(email="gone@example.com")
    db.session.commit()
    assert (
        client.post(
            "/accounts/login", data={"email": "gone@example.com", "password": PASSWORD}
        ).status_code
        == 302
    )
    user.active = False
    db.session.commit()
    assert client.get("/agent/").status_code == 302  # the session no longer counts
    response = client.post(
        "/accounts/login", data={"email": "gone@example.com", "password": PASSWORD}
    )
    assert response.status_code == 422 and "邮箱或密码不正确" in response.get_data(as_text=True)


def test_logout_is_a_post_with_csrf(app, client):
    AgentFactory(email="a@example.com")
    db.session.commit()
    client.post("/accounts/login", data={"email": "a@example.com", "password": PASSWORD})
    assert client.get("/accounts/logout").status_code == 405
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/accounts/logout")
    assert response.status_code == 400
    assert "安全令牌" in response.get_data(as_text=True)
    assert client.get("/agent/").status_code == 200  # still signed in
    page = client.get("/").get_data(as_text=True)
    assert 'name="csrf_token"' in page and "退出" in page
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post("/accounts/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/agent/").status_code == 302


def test_forms_refuse_posts_without_csrf_token(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    assert register(client).status_code == 400
    assert (
        client.post("/accounts/login", data={"email": "a@b.cn", "password": "x"}).status_code == 400
    )


def test_profile_edits_agent_details(client):
    user = AgentFactory()
    db.session.commit()
    client.post("/accounts/login", data={"email": user.email, "password": PASSWORD})
    response = client.post(
        "/accounts/profile", data={"name": "王经理", "company": "", "mobile": ""}
    )
    assert response.status_code == 422
    assert "经纪人请填写手机号码" in response.get_data(as_text=True)
    response = client.post(
        "/accounts/profile", data={"name": "王经理", "company": "店口置业", "mobile": "13600000001"}
    )
    assert response.status_code == 302
    assert user.name == "王经理" and user.company == "店口置业"


@pytest.fixture
def limited_client(database_url, tmp_path):
    """A second app with rate limits on (the testing config has them off)."""
    limited = create_app(
        {"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True}
    )
    limiter.reset()
    with limited.app_context():
        yield limited.test_client()
        db.session.remove()
        db.engine.dispose()
    limiter.reset()


@pytest.mark.parametrize(("path", "limit"), [("/accounts/login", 5), ("/accounts/register", 10)])
def test_login_and_register_are_rate_limited_in_chinese(limited_client, path, limit):
    data = {"email": "nobody@example.com", "password": "wrong-pass-1"}
    codes = [limited_client.post(path, data=data).status_code for _ in range(limit)]
    assert 429 not in codes
    response = limited_client.post(path, data=data)
    assert response.status_code == 429
    assert "操作过于频繁，请稍后再试。" in response.get_data(as_text=True)
    assert limited_client.get(path).status_code == 200  # reading the form is not limited
