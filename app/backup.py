"""`flask --app wsgi backup PATH` and `restore PATH`: copies of the SQLite database.

Both use SQLite's online backup API (sqlite3.Connection.backup), which copies a consistent
snapshot page by page through SQLite's own locking: a backup is safe while the app serves and
writes (in WAL mode the readers and writers carry on), and a restore writes into the live
database under its write lock, so open connections see the restored data on their next
transaction. PostgreSQL is refused: pg_dump -Fc and pg_restore are its tools.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import click
from sqlalchemy.engine import make_url

from app.db_setup import BUSY_TIMEOUT_MS
from app.extensions import db

POSTGRES_HINT = (
    "备份与恢复命令只用于 SQLite 数据库。PostgreSQL 请使用 pg_dump / pg_restore，例如："
    'pg_dump -Fc -f xiezilou.dump "$DATABASE_URL"；'
    'pg_restore --clean --if-exists --no-owner -d "$DATABASE_URL" xiezilou.dump'
)


class BackupError(click.ClickException):
    """A refusal with a Chinese message; the command exits with status 1."""


def sqlite_path() -> Path:
    """The file of the app's SQLite database; refuse any other engine or an in-memory one."""
    url = make_url(str(db.engine.url))
    if url.get_backend_name() != "sqlite":
        raise BackupError(POSTGRES_HINT)
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError("当前数据库不是 SQLite 文件，无法备份或恢复。")
    return Path(url.database).resolve()


def connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    uri = path.resolve().as_uri() + ("?mode=ro" if readonly else "")
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


def schema_version(path: Path) -> str:
    """The Alembic revision of a database file; raise BackupError if it is not one of ours."""
    if not path.is_file():
        raise BackupError(f"找不到备份文件：{path}")
    try:
        with closing(connect(path, readonly=True)) as conn:
            check = conn.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise BackupError(f"备份文件已损坏（{check[0] if check else '无结果'}）：{path}")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"不是有效的 SQLite 数据库备份：{path}（{error}）") from error
    if row is None:
        raise BackupError(f"备份文件中没有数据库版本（alembic_version 为空）：{path}")
    return row[0]


def backup_to(source: Path, target: Path) -> None:
    """Copy the live database to `target` atomically: a temporary file, then a rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        with closing(connect(source)) as src, closing(sqlite3.connect(partial)) as dst:
            src.backup(dst)  # one step: a consistent snapshot, writers carry on (WAL)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def restore_from(backup: Path, target: Path) -> None:
    """Write the backup's pages over the live database, under SQLite's write lock."""
    db.session.remove()
    db.engine.dispose()  # this process's pooled connections would hold stale pages
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(connect(backup, readonly=True)) as src, closing(connect(target)) as dst:
        src.backup(dst)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Back up the SQLite database to PATH (online: safe while the app serves)."""
    source = sqlite_path()
    if path.resolve() == source:
        raise BackupError("备份文件不能是数据库文件本身。")
    backup_to(source, path)
    version = schema_version(path)
    size_kb = path.stat().st_size / 1024
    click.echo(f"已备份数据库 {source} 到 {path}（{size_kb:.0f} KB，版本 {version}）。")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def restore_command(path: Path) -> None:
    """Replace the SQLite database with the backup at PATH (checked first)."""
    target = sqlite_path()
    if path.resolve() == target:
        raise BackupError("备份文件就是当前数据库文件，无需恢复。")
    version = schema_version(path)
    restore_from(path, target)
    click.echo(
        f"已从 {path} 恢复数据库 {target}（版本 {version}）。"
        "如果备份来自旧版本，请再运行 flask --app wsgi db upgrade。"
    )
