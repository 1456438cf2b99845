"""Views of emailed links and passwords: verifying an address, resetting a forgotten password,
changing a known one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app import jobs
from app.accounts import services
from app.accounts.decorators import has_remember_cookie, sign_in
from app.accounts.forms import ChangePasswordForm, ResetPasswordForm, ResetRequestForm
from app.accounts.tokens import TokenError
from app.accounts.views import bp, home_for, verify_link
from app.config import RESET_LIMIT, RESET_LINK_HOURS, SIGN_IN_LIMIT, VERIFY_RESEND_LIMIT
from app.extensions import db, limiter
from app.filters import site_url

RESET_ANSWER = f"如果该邮箱已注册，我们已发送重置链接（{RESET_LINK_HOURS} 小时内有效）。"
SIGNED_OUT_ELSEWHERE = "其他设备和浏览器上的登录已全部退出。"


def send_reset_link(email: str) -> None:
    """The job behind /accounts/reset: email a reset link if an active account has this address.
    A job of its own unit of work (it commits), so that a request for a registered address
    answers as fast as one for an unknown address: both only enqueue this."""
    services.request_reset(email, lambda token: site_url("accounts.reset_link", token=token))
    db.session.commit()


def _typed_email() -> str:
    """The rate-limit key of a reset request: the address asked for, whoever asks."""
    return "reset:" + services.normalise_email(request.form.get("email", ""))[:120]


def _signed_in_user() -> str:
    return f"user:{current_user.get_id()}"


def _link_problem(error: TokenError, again: str):
    """The page of a link that opens nothing: what is wrong, and where to ask `again`."""
    page = render_template("accounts/link_problem.html", message=str(error), again=again)
    return page, error.status


@bp.get("/verify/<token>")
def verify_email(token: str):
    """Mark the address a verification email went to as verified. Its first use also signs the
    new account in (registration does not: it answers alike for known addresses); a link
    opened again verifies nothing new and signs nobody in."""
    try:
        user, first = services.verify_email(token)
    except TokenError as error:
        return _link_problem(error, "verify")
    db.session.commit()
    if first and not current_user.is_authenticated:
        sign_in(user)
        flash("邮箱验证成功，已为您登录。欢迎！", "success")
        return redirect(home_for(user))
    flash("邮箱验证成功，谢谢！", "success")
    return redirect(url_for("accounts.profile" if current_user.is_authenticated else "main.index"))


@bp.post("/verify/resend")
@login_required
@limiter.limit(VERIFY_RESEND_LIMIT, key_func=_signed_in_user)
def resend_verification():
    """Send the signed-in user another verification email (重新发送)."""
    if current_user.email_verified_at is not None:
        flash("您的邮箱已验证。", "info")
    else:
        services.send_verification(current_user, verify_link)
        db.session.commit()
        flash(f"验证邮件已发送至 {current_user.email}，请查收。", "success")
    return redirect(services.safe_next(request.form.get("next")) or url_for("accounts.profile"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
@limiter.limit(RESET_LIMIT, methods=["POST"], key_func=_typed_email)
def reset_request():
    """Ask for a password reset link; the answer never says whether the address is registered."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        jobs.enqueue(send_reset_link, form.email.data)
        flash(RESET_ANSWER, "info")
        return redirect(url_for("accounts.reset_request"))
    status = 422 if form.is_submitted() else 200
    page = render_template("accounts/reset_request.html", form=form, hours=RESET_LINK_HOURS)
    return page, status


@bp.get("/reset/<token>")
def reset_link(token: str):
    """The form for a new password, opened from the emailed link while it still works."""
    try:
        services.user_for_reset(token)
    except TokenError as error:
        return _link_problem(error, "reset")
    form = ResetPasswordForm(token=token)
    return render_template("accounts/reset_password.html", form=form)


@bp.post("/reset/set")
@limiter.limit(SIGN_IN_LIMIT)
def reset_password():
    """Set the new password from a reset link, sign out every other session, sign in here."""
    form = ResetPasswordForm()
    try:
        services.user_for_reset(form.token.data or "")
    except TokenError as error:
        return _link_problem(error, "reset")
    if form.validate_on_submit():
        try:
            user = services.reset_password(form.token.data, form.password.data)
        except TokenError as error:
            return _link_problem(error, "reset")
        except services.AccountError as error:
            form.password.errors.append(str(error))
        else:
            db.session.commit()
            sign_in(user)
            flash(f"密码已重置。{SIGNED_OUT_ELSEWHERE}", "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/reset_password.html", form=form), 422


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def change_password():
    """Change the password; this session stays signed in, every other one is signed out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current.data, form.password.data)
        except services.AccountError as error:
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            # Signed in again under the new session version, with a new remember cookie if this
            # browser had one: the old session and cookies no longer open anything.
            sign_in(user, remember=has_remember_cookie())
            flash(f"密码已修改。{SIGNED_OUT_ELSEWHERE}", "success")
            return redirect(url_for("accounts.profile"))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/password.html", form=form), status
