"""What arrives at a real SMTP server when the app sends an email."""

from __future__ import annotations

from app.extensions import db
from app.mail import send_email


def test_an_email_arrives_with_both_parts_and_encoded_headers(app, mailbox, notice):
    assert send_email(
        "张三 <zhang@example.com>",
        "notice",
        key="notice:1",
        subject="您的留言已收到：诸暨写字楼",
        name="张三",
        line="经纪人会尽快联系您。",
    )
    db.session.commit()
    (msg,) = mailbox.wait_for(1)
    assert msg["Subject"] == "您的留言已收到：诸暨写字楼"
    assert msg["From"].addresses[0].display_name == "绍兴诸暨写字楼网"
    assert msg["To"].addresses[0].display_name == "张三"
    assert msg["Message-ID"] and msg["Date"]
    assert msg.get_content_type() == "multipart/alternative"
    assert "经纪人会尽快联系您。" in msg.get_body(("plain",)).get_content()
    assert "<p>经纪人会尽快联系您。</p>" in msg.get_body(("html",)).get_content()
    raw = mailbox.raw[0]
    assert raw.isascii()  # every header encoded (RFC 2047), every body part transfer-encoded
    assert b"Subject: =?utf-8?" in raw
