"""The monthly rent report saved as a draft article for an editor to review and publish."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.market.report import CATEGORY, MonthlyReport, ReportError, label
from app.models import Article
from app.news import linker
from app.news.sanitize import clean_html
from app.news.services import CHINA_TIME

SOURCE = "本站"  # the figures are the portal's own
EDITOR = "行情数据"


def save_report(report: MonthlyReport) -> tuple[Article, str]:
    """Create the month's draft, or update it when the report was written before (found by its
    key); link its places as the linker does. Returns the article and "created" or "updated";
    no commit.

    A report an editor has already published is left alone: rewriting it would change what
    readers were shown, under their eyes."""
    article = db.session.scalar(select(Article).where(Article.import_key == report.key))
    outcome = "updated"
    if article is None:
        article = Article(import_key=report.key, places=[], status="draft")
        db.session.add(article)
        outcome = "created"
    elif article.status != "draft":
        raise ReportError(
            f"{label(report.month)}的月报已发布（文章 {article.id}），未覆盖；"
            "如需重写，请先在编辑台把它改为草稿。"
        )
    article.title = report.title
    article.category = CATEGORY
    article.source = SOURCE
    article.editor = EDITOR
    article.summary = report.summary
    article.body = clean_html(report.body)
    article.keywords = ",".join(report.keywords)
    # The draft's date is when it was written; the editor sets the publication time.
    article.published_at = datetime.now(CHINA_TIME).replace(tzinfo=None, microsecond=0)
    db.session.flush()
    linker.link_article(article)
    return article, outcome
