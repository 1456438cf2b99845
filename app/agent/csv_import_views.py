"""Views of the CSV bulk import in the agents' area: the upload, and each import's progress."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from app.agent import csv_import, import_jobs
from app.agent.forms import ImportForm
from app.agent.views import bp
from app.extensions import db
from app.models.imports import IMPORT_STATUS_LABELS, ImportStatus


@bp.route("/import", methods=["GET", "POST"])
def import_csv():
    """Upload a CSV of buildings and units: checked as a whole here, imported by a job, whose
    page shows the progress and the rows' results."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(import_jobs.IMPORT_MAX_BYTES + 1)
        upload.close()  # a large upload is spooled to a temporary file
        try:
            job = import_jobs.start(current_user, data, upload.filename)
        except csv_import.ImportFileError as exc:
            form.file.errors.append(str(exc))
        else:
            db.session.commit()
            import_jobs.enqueue(job)
            return redirect(url_for("agent.import_job", job_id=job.id))
    status = 422 if form.is_submitted() else 200
    page = render_template(
        "agent/import.html",
        form=form,
        columns=csv_import.COLUMNS,
        imports=import_jobs.recent(current_user),
        labels=IMPORT_STATUS_LABELS,
    )
    return page, status


@bp.get("/import/<int:job_id>")
def import_job(job_id: int):
    """An import's progress (the page reloads itself until it is done) and its rows' results."""
    job = import_jobs.for_owner(current_user, job_id) or abort(404)
    return render_template(
        "agent/import_job.html",
        job=job,
        summary=import_jobs.summary(job),
        finished=job.status in (ImportStatus.DONE, ImportStatus.FAILED),
        stalled=import_jobs.stalled(job),
        labels=IMPORT_STATUS_LABELS,
    )
