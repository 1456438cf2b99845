"""An agent's CSV import, run as a background job in short batches (app.agent.import_jobs)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow


class ImportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


IMPORT_STATUS_LABELS = {
    "queued": "排队中",
    "running": "导入中",
    "done": "已完成",
    "failed": "导入失败",
}


class ImportJob(db.Model):
    """One uploaded file: its bytes until the job has read every row, how far it got (rows
    before `rows_done` are committed), and what each row came to."""

    __tablename__ = "import_job"
    __table_args__ = (Index("ix_import_job_owner", "owner_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(120))
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(8), default=ImportStatus.QUEUED)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    units: Mapped[int] = mapped_column(Integer, default=0)
    buildings: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list] = mapped_column(JSON, default=list)  # [[line, [message, ...]], ...]
    notes: Mapped[list] = mapped_column(JSON, default=list)  # imported, to be checked
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    owner = relationship("User")
