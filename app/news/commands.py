"""Commands `flask news import PATH…` (portal pages) and `flask news relink` (after the gazetteer
changes)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError
from tqdm import tqdm

from app.extensions import db
from app.news import linker, services
from app.news.importer import DEFAULT_CATEGORY, NotAnArticle, collect_files, parse_file
from app.testing_hooks import pause_point

news_cli = AppGroup("news", help="新闻 (news): import portal pages, relink places.")
OUTCOMES = {"created": "新增", "updated": "更新", "unchanged": "未变"}


@news_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--category",
    default=DEFAULT_CATEGORY,
    show_default=True,
    help="Category for pages whose breadcrumb names none.",
)
def import_pages(paths: tuple[Path, ...], category: str) -> None:
    """Import news pages saved as text or HTML, files or folders; importing again updates."""
    files = collect_files(list(paths))
    tally = dict.fromkeys([*OUTCOMES, "skipped", "failed"], 0)
    for path in tqdm(files, desc="导入新闻", unit="个文件"):
        try:
            outcome = services.save_imported(parse_file(path, category))
            db.session.flush()  # the file's rows are written, not yet committed
            pause_point("news.import")  # crash tests only: a no-op unless XZL_CRASH_PAUSE_AT
            db.session.commit()  # one transaction per file
        except NotAnArticle as error:
            db.session.rollback()
            tally["skipped"] += 1
            tqdm.write(f"跳过 {path}：{error}")
        except (OSError, SQLAlchemyError) as error:
            db.session.rollback()
            tally["failed"] += 1
            tqdm.write(f"失败 {path}：{type(error).__name__}: {error}")
        else:
            tally[outcome] += 1
            tqdm.write(f"{OUTCOMES[outcome]} {path}")
    click.echo(
        f"导入完成：共 {len(files)} 个文件，新增 {tally['created']} 篇，"
        f"更新 {tally['updated']} 篇，未变 {tally['unchanged']} 篇，"
        f"跳过 {tally['skipped']} 个（不是文章），失败 {tally['failed']} 个。"
    )
    if tally["failed"]:
        raise SystemExit(1)


@news_cli.command("relink")
def relink() -> None:
    """Find the places in every article again (after the gazetteer changed)."""
    count = linker.relink_all()
    db.session.commit()
    click.echo(f"已重新识别 {count} 篇文章中的地点。")
