"""Views of registration, sign-in, sign-out and the profile."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, logout_user

from app.accounts import services
from app.accounts.decorators import sign_in
from app.accounts.forms import LoginForm, ProfileForm, RegisterForm
from app.config import (
    SIGN_IN_ACCOUNT_LIMIT,
    SIGN_IN_ADDRESS_LIMIT,
    SIGN_IN_LIMIT,
    SIGN_IN_PAIR_LIMIT,
)
from app.extensions import db, limiter
from app.filters import site_url

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

LOGIN_FAILED = "邮箱或密码不正确。"
UNVERIFIED = "您的邮箱尚未验证：请打开验证邮件中的链接，没有收到可在“我的资料”页重新发送。"


def home_for(user) -> str:
    if user.has_role("agent", "admin"):
        return url_for("agent.dashboard")
    return url_for("main.index")


def verify_link(token: str) -> str:
    """The absolute address of a verification link, as an email carries it."""
    return site_url("accounts.verify_email", token=token)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def register():
    """Register a tenant or an agent. The answer is the same whether or not the email has an
    account (a redirect to "check your email"): a new account gets a verification link, which
    signs it in; a known address gets an email saying it already has one."""
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            services.register(
                form.email.data,
                form.password.data,
                form.name.data,
                role=form.role.data,
                company=form.company.data,
                mobile=form.mobile.data,
                verify_link=verify_link,
                sign_in_link=site_url("accounts.login"),
                reset_link=site_url("accounts.reset_request"),
            )
        except services.AccountError as exc:
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            session["registered"] = services.normalise_email(form.email.data)
            return redirect(url_for("accounts.registered"))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/register.html", form=form), status


@bp.get("/register/sent")
def registered():
    """Where every registration leads: check your email."""
    email = session.get("registered")
    if email is None:
        return redirect(url_for("accounts.register"))
    return render_template("accounts/register_sent.html", email=email)


def _failed(response) -> bool:
    """A sign-in that let nobody in (a wrong password, a form with errors): only these count
    towards the sign-in limits, so a user who signs in often is never held up."""
    return response.status_code in (400, 422)


def _account() -> str:
    """The account a sign-in is for, as the limits key it."""
    return "account:" + services.normalise_email(request.form.get("email", ""))[:120]


def _account_from_here() -> str:
    return f"{_account()}|{get_remote_address()}"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_ADDRESS_LIMIT, methods=["POST"], deduct_when=_failed)
@limiter.limit(
    SIGN_IN_PAIR_LIMIT, methods=["POST"], key_func=_account_from_here, deduct_when=_failed
)
@limiter.limit(SIGN_IN_ACCOUNT_LIMIT, methods=["POST"], key_func=_account, deduct_when=_failed)
def login():
    """Sign in with email and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            sign_in(user, remember=form.remember.data)
            flash("登录成功。", "success")
            if user.email_verified_at is None:
                flash(UNVERIFIED, "warning")
            return redirect(services.safe_next(request.args.get("next")) or home_for(user))
        form.form_errors.append(LOGIN_FAILED)
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
def logout():
    """Sign out (a POST carrying the CSRF token) on every device: a copy of the session or
    remember cookie, replayed later, no longer signs anyone in."""
    if current_user.is_authenticated:
        services.sign_out_everywhere(current_user)
        db.session.commit()
    logout_user()
    flash("您已退出登录，所有设备上的登录均已失效。", "info")
    return redirect(url_for("main.index"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Edit the name, company and mobile shown to tenants."""
    form = ProfileForm(obj=current_user, role=current_user.role)
    if form.validate_on_submit():
        services.update_profile(current_user, form.name.data, form.company.data, form.mobile.data)
        db.session.commit()
        flash("资料已保存。", "success")
        return redirect(url_for("accounts.profile"))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/profile.html", form=form), status
