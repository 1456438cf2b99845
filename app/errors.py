"""Error pages in Chinese for every status a user can meet."""

from __future__ import annotations

import re
import uuid

from flask import Flask, current_app, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from app.extensions import db

CJK = re.compile(r"[\u4e00-\u9fff]")
MESSAGES = {
    400: "请求无效，请检查后重试。",
    403: "您没有权限执行此操作。",
    404: "页面不存在或已下线。",
    405: "不支持该请求方式。",
    413: "上传的内容过大。",
    429: "操作过于频繁，请稍后再试。",
    500: "服务器出错了，我们会尽快修复。",
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def handle_http_error(error: HTTPException):
    code = error.code or 500
    message = MESSAGES.get(code, "出错了")
    if error.description and CJK.search(error.description):
        message = error.description  # a view's own explanation, e.g. abort(400, "页码…")
    if code == 400 and "CSRF" in (error.description or ""):
        message = "表单已过期或缺少安全令牌，请刷新页面后重试。"
    # Keep the error's own headers, such as the Allow of a 405 (RFC 9110 requires it).
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    if _wants_json():
        return jsonify(error=message, status=code), code, headers
    return render_template("errors/error.html", code=code, message=message), code, headers


def request_id() -> str:
    """This request's id, made when first asked: a 500's log line and its page both carry it,
    so a user's report leads to the traceback."""
    if "request_id" not in g:
        g.request_id = uuid.uuid4().hex[:12]
    return g.request_id


def handle_unexpected(error: Exception):
    db.session.rollback()
    rid = request_id()
    current_app.logger.error(
        "500 on %s %s (request %s)", request.method, request.path, rid, exc_info=error
    )
    if _wants_json():
        return jsonify(error=MESSAGES[500], status=500, request_id=rid), 500
    page = render_template("errors/error.html", code=500, message=MESSAGES[500], request_id=rid)
    return page, 500


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
