"""View of the CSV bulk import in the agents' area."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from app.agent import csv_import
from app.agent.forms import ImportForm
from app.agent.views import bp
from app.extensions import db
from app.geo.geocode import geocoder


@bp.route("/import", methods=["GET", "POST"])
def import_csv():
    """Upload a CSV of buildings and units; report errors row by row."""
    form = ImportForm()
    result = None
    status = 200
    if form.validate_on_submit():
        try:
            result = csv_import.import_csv(
                form.file.data.read(),
                current_user,
                geocoder=geocoder(),
            )
        except csv_import.ImportFileError as exc:
            form.file.errors.append(str(exc))
            status = 422
        else:
            db.session.commit()
            status = 422 if result.errors and not result.units else 200
    elif form.is_submitted():
        status = 422
    page = render_template(
        "agent/import.html", form=form, result=result, columns=csv_import.COLUMNS
    )
    return page, status
