"""The agent's own public profile: /agent/profile (agents and admins, each their own)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from app.agent import photos, profiles
from app.agent.profile_forms import ProfileForm
from app.agent.views import bp
from app.extensions import db


def _form(**kwargs) -> tuple[ProfileForm, list[profiles.TownGroup]]:
    form = ProfileForm(**kwargs)
    groups = profiles.town_groups()
    form.towns.choices = profiles.town_choices(groups)
    return form, groups


def _page(form: ProfileForm, groups: list[profiles.TownGroup], status: int = 200):
    chosen = set(form.towns.data or [])
    return render_template(
        "agent/profile.html",
        form=form,
        groups=groups,
        chosen=chosen,
        towns_max=profiles.SERVICE_TOWNS_MAX,
        agent=current_user,
    ), status


@bp.get("/profile")
def profile():
    """Show the signed-in agent's profile form, filled in, with how often their number was
    revealed."""
    form, groups = _form(obj=current_user)
    form.towns.data = [place.id for place in current_user.service_towns]
    return _page(form, groups)


@bp.post("/profile")
def profile_save():
    """Save the signed-in agent's profile: only their own (the form names no user)."""
    form, groups = _form()
    if not form.validate_on_submit():
        return _page(form, groups, 400)
    upload = form.photo.data
    stream = upload.stream if upload and upload.filename else None
    folder = current_app.config["UPLOAD_FOLDER"]
    try:
        replaced = profiles.update_profile(
            current_user,
            form.to_input(),
            stream,
            folder,
            current_app.config["PHOTO_MAX_BYTES"],
        )
    except photos.PhotoError as exc:
        db.session.rollback()
        form.photo.errors = [*form.photo.errors, str(exc)]
        return _page(form, groups, 400)
    db.session.commit()
    if replaced:
        photos.remove_files(folder, replaced)
    flash("资料已保存。", "success")
    return redirect(url_for("agent.profile"))
