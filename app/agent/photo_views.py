"""Views of building photos: upload, order and delete; and the route that serves stored media."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, send_from_directory, url_for
from flask_login import current_user

from app.agent import photos, services
from app.agent.building_views import show_building
from app.agent.forms import PhotoForm
from app.agent.views import bp
from app.extensions import db

# Public, outside /agent/: registered on the app by app.agent.init_app as "agent.media".
MEDIA_RULE = "/media/<filename>"
MEDIA_ENDPOINT = "agent.media"


@bp.post("/buildings/<int:building_id>/photos")
def photo_upload(building_id: int):
    """Upload a photo of a building."""
    building = services.building_for(current_user, building_id) or abort(404)
    form = PhotoForm()
    if form.validate_on_submit():
        try:
            photos.add_photo(
                building,
                form.photo.data.stream,
                current_app.config["UPLOAD_FOLDER"],
                current_app.config["PHOTO_MAX_BYTES"],
            )
        except photos.PhotoError as exc:
            form.photo.errors.append(str(exc))
        else:
            db.session.commit()
            flash("照片已上传。", "success")
            return redirect(url_for("agent.building", building_id=building.id))
    return show_building(building, photo_form=form), 422


@bp.post("/photos/<int:photo_id>/move/<any(up, down):direction>")
def photo_move(photo_id: int, direction: str):
    """Move a photo one place earlier or later."""
    photo = photos.photo_for(current_user, photo_id) or abort(404)
    photos.move_photo(photo, direction)
    db.session.commit()
    return redirect(url_for("agent.building", building_id=photo.building_id))


@bp.post("/photos/<int:photo_id>/delete")
def photo_delete(photo_id: int):
    """Delete a photo and its files."""
    photo = photos.photo_for(current_user, photo_id) or abort(404)
    building_id = photo.building_id
    filename = photos.delete_photo(photo)
    db.session.commit()
    photos.remove_files(current_app.config["UPLOAD_FOLDER"], filename)
    flash("照片已删除。", "info")
    return redirect(url_for("agent.building", building_id=building_id))


def media(filename: str):
    """Serve a stored photo or thumbnail by its random name."""
    if not photos.is_media_name(filename):
        abort(404)
    return send_from_directory(current_app.config["UPLOAD_FOLDER"], filename, max_age=86400)
