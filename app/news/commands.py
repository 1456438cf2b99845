"""Commands `flask news import PATH…` (portal pages), `flask news relink` (after the gazetteer
changes), and the monthly rent report `flask market report --month YYYY-MM`."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError
from tqdm import tqdm

from app.extensions import db
from app.market import report
from app.market.report import ReportError
from app.news import linker, reports, services
from app.news.importer import (
    DEFAULT_CATEGORY,
    NotAnArticle,
    ParsedArticle,
    collect_files,
    parse_file,
)
from app.news.pagedates import today
from app.testing_hooks import pause_point

news_cli = AppGroup("news", help="新闻 (news): import portal pages, relink places.")
OUTCOMES = {"created": "新增", "updated": "更新", "unchanged": "未变"}
# Encodings not worth a flag: UTF-8, as the page says or as it is.
PLAIN_UTF8 = {"UTF-8（自动检测）", "UTF-8（页面声明）", "UTF-8（BOM）"}


def _date_option(_ctx, _param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        given = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        message = f"日期格式应为 YYYY-MM-DD，例如 2024-03-15，而不是“{value}”。"
        raise click.BadParameter(message) from None
    if given > today():
        raise click.BadParameter(f"日期 {value} 晚于今天。")
    return given


def describe(parsed: ParsedArticle) -> str:
    """What was taken from a page and what was flagged, on one line, for the editor."""
    taken = [
        f"《{parsed.title[:30]}{'…' if len(parsed.title) > 30 else ''}》",
        f"日期 {parsed.published_at:%Y-%m-%d %H:%M}（{parsed.date_origin}）",
        f"栏目 {parsed.category}",
        f"来源 {parsed.source or '（无）'}",
        f"编辑 {parsed.editor or '（无）'}",
        f"正文 {parsed.body_chars} 字",
    ]
    flags = ["日期待核"] if parsed.date_unverified else []
    if parsed.encoding and parsed.encoding not in PLAIN_UTF8:
        flags.append(f"编码 {parsed.encoding}")
    if parsed.ignored:
        flags.append("已忽略 " + "、".join(parsed.ignored))
    return "，".join(taken) + ("；" + "；".join(flags) if flags else "")


@news_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--category",
    default=DEFAULT_CATEGORY,
    show_default=True,
    help="Category for pages whose breadcrumb names none.",
)
@click.option(
    "--date",
    "date_given",
    metavar="YYYY-MM-DD",
    callback=_date_option,
    help="Date for pages that give none (else their address, id or file time); "
    "such articles are flagged 日期待核.",
)
def import_pages(paths: tuple[Path, ...], category: str, date_given: date | None) -> None:
    """Import news pages saved as text or HTML, files or folders; importing again updates."""
    files = collect_files(list(paths))
    tally = dict.fromkeys([*OUTCOMES, "skipped", "failed"], 0)
    for path in tqdm(files, desc="导入新闻", unit="个文件"):
        try:
            parsed = parse_file(path, category, date_given)
            outcome = services.save_imported(parsed)
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
            tqdm.write(f"{OUTCOMES[outcome]} {path}：{describe(parsed)}")
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


def _month_option(_ctx, _param, value: str) -> date:
    try:
        return report.parse_month(value)
    except ReportError as error:
        raise click.BadParameter(str(error)) from None


# In the `market` group (app/commands.py puts it there): it reads the market's figures and
# writes an article, and only the news center may write articles.
@click.command("report")
@click.option("--month", required=True, metavar="YYYY-MM", callback=_month_option)
def market_report(month: date) -> None:
    """Write a month's rent report (写字楼租金月报) as a draft in 楼市; run again, update it."""
    try:
        article, outcome = reports.save_report(report.build(month))
    except ReportError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    said = "已生成" if outcome == "created" else "已更新"
    click.echo(f"{report.label(month)}租金月报{said}草稿（文章 {article.id}），请审阅后发布。")
