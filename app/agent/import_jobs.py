"""CSV imports off the request: the upload is checked and stored, a job imports its rows.

The job commits about twice a second, with the count of rows done, so no transaction holds the
database for long (an inquiry or a sign-in meanwhile waits a fraction of a second, never past
SQLite's busy timeout), the agent's page shows the progress, and a job that dies is run again
from the first row not committed: no row is imported twice. Each row is still wholly in or out.
"""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import select

from app import jobs
from app.agent import csv_import
from app.extensions import db
from app.models import ImportJob, ImportStatus, User
from app.models.base import utcnow

IMPORT_MAX_BYTES = 5 * 1024 * 1024  # 10,000 rows of a typical sheet are about 2 MB
# A transaction imports rows for about BATCH_SECONDS. On SQLite, whose one write lock is not
# handed out in turn, the job then waits PAUSE_SECONDS: a writer kept waiting (an inquiry, a
# sign-in) retries every 100 ms at most under the busy timeout, and would otherwise find the lock
# taken again each time, until its 5 s run out.
BATCH_SECONDS = 0.5
PAUSE_SECONDS = 0.15
CHUNK_ROWS = 10  # rows between looks at the clock
RECENT = 10  # imports listed on the upload page
# A job that has not moved for this long is stopped (its worker gone and its retries spent): it
# no longer holds up the agent's next file, and its page says where it stopped.
STALLED_AFTER = timedelta(minutes=10)


def start(owner: User, data: bytes, filename: str) -> ImportJob:
    """Check a file as a whole (size, encoding, columns, rows) and store it as a queued import;
    ImportFileError with the reason when it cannot be read, or when the agent's last file is
    still being imported. The caller commits, then calls `enqueue`."""
    if len(data) > IMPORT_MAX_BYTES:
        cap = IMPORT_MAX_BYTES
        size = f"{cap // 2**20} MB" if cap >= 2**20 else f"{cap // 1024} KB"
        raise csv_import.ImportFileError(f"文件超过 {size}，请分成几个文件导入。")
    rows = csv_import.read_rows(csv_import.decode(data))
    busy = db.session.scalar(
        select(ImportJob.id).where(
            ImportJob.owner_id == owner.id,
            ImportJob.status.in_((ImportStatus.QUEUED, ImportStatus.RUNNING)),
            ImportJob.updated_at > utcnow() - STALLED_AFTER,
        )
    )
    if busy is not None:
        raise csv_import.ImportFileError("您上传的上一个文件还在导入中，请等它完成后再上传。")
    job = ImportJob(
        owner_id=owner.id,
        filename=(filename or "import.csv")[:120],
        data=data,
        rows_total=len(rows),
        errors=[],
        notes=[],
    )
    db.session.add(job)
    db.session.flush()
    return job


def enqueue(job: ImportJob) -> None:
    jobs.enqueue(run, job.id)


def run(job_id: int) -> None:
    """Import the rows of a stored file from where the last run stopped, a batch at a time."""
    job = db.session.get(ImportJob, job_id)
    if job is None or job.status in (ImportStatus.DONE, ImportStatus.FAILED) or job.data is None:
        return
    owner = job.owner
    rows = csv_import.read_rows(csv_import.decode(job.data))
    job.status = ImportStatus.RUNNING
    job.updated_at = utcnow()
    db.session.commit()
    # An exception (the database gone, the worker stopped) leaves the job running: the queue
    # runs it again, from the first row not committed.
    pause = PAUSE_SECONDS if db.engine.dialect.name == "sqlite" else 0
    while job.rows_done < len(rows):
        _import_batch(job, rows, owner)
        job.updated_at = utcnow()
        db.session.commit()  # the batch's rows and the count of rows done, together
        if pause and job.rows_done < len(rows):
            time.sleep(pause)
    job.status, job.data, job.finished_at = ImportStatus.DONE, None, utcnow()
    db.session.commit()


def stalled(job: ImportJob) -> bool:
    unfinished = job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
    return unfinished and job.updated_at < utcnow() - STALLED_AFTER


def _import_batch(job: ImportJob, rows: list, owner: User) -> None:
    """Import rows from `job.rows_done` on, a few at a time, until BATCH_SECONDS have passed,
    and add what they came to to the job (the caller commits)."""
    deadline = time.monotonic() + BATCH_SECONDS
    while job.rows_done < len(rows) and time.monotonic() < deadline:
        chunk = rows[job.rows_done : job.rows_done + CHUNK_ROWS]
        result = csv_import.import_rows(chunk, owner)
        job.rows_done += len(chunk)
        job.units += result.units
        job.buildings += result.buildings
        job.errors = [*job.errors, *([e.row, e.messages] for e in result.errors)]
        job.notes = [*job.notes, *([n.row, n.messages] for n in result.notes)]


def for_owner(owner: User, job_id: int) -> ImportJob | None:
    """The import `job_id` if `owner` made it (admins see every one)."""
    job = db.session.get(ImportJob, job_id)
    if job is None or (job.owner_id != owner.id and not owner.has_role("admin")):
        return None
    return job


def recent(owner: User) -> list[ImportJob]:
    query = (
        select(ImportJob)
        .where(ImportJob.owner_id == owner.id)
        .order_by(ImportJob.id.desc())
        .limit(RECENT)
    )
    return list(db.session.scalars(query))


def summary(job: ImportJob) -> str:
    """The line the synchronous import prints, for the job's counts so far."""
    return csv_import.ImportResult(
        rows=job.rows_total,
        units=job.units,
        buildings=job.buildings,
        errors=job.errors,
        notes=job.notes,
    ).summary
