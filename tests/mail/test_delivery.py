"""What arrives at a real SMTP server when the app sends an email, and when it does not."""

from __future__ import annotations

import time

from sqlalchemy import select

from app.extensions import db
from app.mail import send_email
from app.models import OutboundEmail


def _send(key: str = "notice:1", **extra) -> bool:
    return send_email(
        "张三 <zhang@example.com>",
        "notice",
        key=key,
        subject="您的留言已收到：诸暨写字楼",
        name="张三",
        line="经纪人会尽快联系您。",
        **extra,
    )


def _row(key: str = "notice:1") -> OutboundEmail:
    db.session.expire_all()
    return db.session.scalars(select(OutboundEmail).where(OutboundEmail.key == key)).one()


def test_an_email_arrives_with_both_parts_and_encoded_headers(app, mailbox, notice):
    assert _send()
    db.session.commit()
    (msg,) = mailbox.wait_for(1)
    assert msg["Subject"] == "您的留言已收到：诸暨写字楼"
    assert msg["From"].addresses[0].display_name == "绍兴诸暨写字楼网"
    assert msg["From"].addresses[0].addr_spec == "noreply@xiezilou.example"
    assert msg["To"].addresses[0].display_name == "张三"
    assert mailbox.envelopes[0].rcpt_tos == ["zhang@example.com"]
    assert msg["Message-ID"].endswith("@xiezilou.example>") and msg["Date"]
    assert msg["List-Unsubscribe"] is None
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text.get_content_charset() == html.get_content_charset() == "utf-8"
    assert "张三，您好：\n经纪人会尽快联系您。" in text.get_content()
    assert "<p>经纪人会尽快联系您。</p>" in html.get_content()
    # On the wire: every header encoded (RFC 2047), every part transfer-encoded, ASCII only.
    raw = mailbox.raw[0]
    assert raw.isascii()
    assert b"\r\nSubject: =?utf-8?b?" in b"\r\n" + raw
    row = _row()
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, None)
    assert row.sent_at is not None and msg["Message-ID"] == row.headers["Message-ID"]


def test_an_unsubscribe_url_gives_the_one_click_headers(app, mailbox, notice):
    _send(unsubscribe_url="https://example.com/searches/unsubscribe/abc")
    db.session.commit()
    (msg,) = mailbox.wait_for(1)
    assert msg["List-Unsubscribe"] == "<https://example.com/searches/unsubscribe/abc>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "https://example.com/searches/unsubscribe/abc" in msg.get_body(("plain",)).get_content()


def test_a_subject_with_line_breaks_arrives_on_one_line(app, mailbox, notice):
    send_email("li@example.com", "notice", key="k", subject="诸暨\r\nBcc: x@example.com", name="李")
    db.session.commit()
    (msg,) = mailbox.wait_for(1)
    assert msg["Subject"] == "诸暨 Bcc: x@example.com" and msg["Bcc"] is None
    assert mailbox.envelopes[0].rcpt_tos == ["li@example.com"]


def test_a_key_sends_one_email(app, mailbox, notice):
    assert _send()
    assert not _send()  # the same transaction
    db.session.commit()
    assert not _send()  # a later one
    db.session.commit()
    mailbox.wait_for(1)
    time.sleep(0.2)
    assert len(mailbox.messages) == 1


def test_a_rolled_back_caller_sends_nothing(app, mailbox, notice):
    assert _send()
    db.session.rollback()
    assert _send("notice:2")
    db.session.commit()
    (msg,) = mailbox.wait_for(1)
    assert db.session.scalars(select(OutboundEmail.key)).all() == ["notice:2"]
    time.sleep(0.2)
    assert len(mailbox.messages) == 1


def test_a_savepoint_rolled_back_keeps_the_email_of_its_transaction(app, mailbox, notice):
    assert _send()
    with db.session.begin_nested() as savepoint:
        _send("notice:2")
        savepoint.rollback()
    db.session.commit()
    (msg,) = mailbox.wait_for(1)
    assert db.session.scalars(select(OutboundEmail.key)).all() == ["notice:1"]


def test_a_savepoint_released_sends_nothing_before_the_commit(app, mailbox, notice):
    assert _send()
    with db.session.begin_nested():
        pass  # SQLAlchemy's after_commit event fires here too
    db.session.rollback()
    time.sleep(0.3)
    assert mailbox.messages == []


def test_an_email_sent_by_a_request_goes_out_after_the_response(app, client, mailbox, notice):
    seen = {}

    def view():
        _send()
        db.session.commit()
        seen["row"] = _row().status  # committed, not sent: the job waits for the response
        return "ok"

    app.add_url_rule("/_test/send", view_func=view, methods=["POST"])
    assert client.post("/_test/send").status_code == 200
    assert seen["row"] == "queued"
    mailbox.wait_for(1)
    assert _row().status == "sent"


def test_without_mail_url_emails_are_written_to_the_outbox(app, tmp_path, notice):
    app.config.update(MAIL_URL=None, MAIL_OUTBOX=str(tmp_path / "outbox"))
    _send()
    db.session.commit()
    (path,) = (tmp_path / "outbox").glob("*.eml")
    assert path.name.endswith("-notice.eml")
    import email
    import email.policy

    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert msg["Subject"] == "您的留言已收到：诸暨写字楼"
    assert "经纪人会尽快联系您。" in msg.get_body(("plain",)).get_content()
    assert _row().status == "sent"
