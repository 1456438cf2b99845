"""The importer on the seed page, field by field; re-import, HTML, GBK, folders, non-articles."""

from __future__ import annotations

import html
import re
from datetime import datetime

from sqlalchemy import func, select

from app.extensions import db
from app.models import Article
from app.news.importer import NotAnArticle, fix_punctuation, parse_file, parse_text
from tests.helpers import imported

KEYWORDS = ["融杭新城", "诸暨产城融合", "高端产业园"]


def _plain(body: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "\n", body))


def _seed_paragraphs(seed_text: str) -> list[str]:
    """The body paragraphs as the seed page has them: indented lines that end a sentence."""
    lines = [x.strip() for x in seed_text.splitlines() if x.startswith("  ")]
    return [x for x in lines if x.endswith("。") and not x.startswith("(")]


def test_seed_page_fields(seed_path):
    article = parse_file(seed_path)
    assert "借力与杭同城" in article.title and "支点" in article.title
    assert article.source == "浙江日报"
    assert article.published_at == datetime(2019, 4, 15, 23, 33, 4)
    assert article.editor == "sx012"
    assert article.category == "特色小镇产业园"
    assert article.keywords == KEYWORDS
    assert article.summary.startswith("诸暨") and "区位优势明显" in article.summary
    # The in-body "(原标题:…)" line is the real original title, without the reporters' names.
    assert "借力与杭同城" in article.original_title and "支点" in article.original_title
    assert "区位优势" not in article.original_title and "干婧" not in article.original_title


def test_seed_body_keeps_every_paragraph_and_the_sub_headings(seed_path, seed_text):
    body = parse_file(seed_path).body
    assert body.count("<p>") >= 25
    headings = re.findall(r"<h3>(.*?)</h3>", body)
    assert len(headings) == 4
    assert "快车道" in headings[0] and "<br>" in headings[0]
    text = _plain(body)
    paragraphs = _seed_paragraphs(seed_text)
    assert len(paragraphs) >= 25
    for paragraph in paragraphs:
        assert fix_punctuation(paragraph) in text


def test_seed_body_drops_the_portal_chrome(seed_path):
    body = parse_file(seed_path).body
    for chrome in (
        "版权与免责声明",
        "推荐楼盘",
        "相关文章",
        "当前位置",
        "欢迎您来到",
        "原标题",
        "编辑",
    ):
        assert chrome not in body
    assert "sx012" not in body and "融杭新城,诸暨" not in body


def test_plain_quotes_are_paired_again(seed_path):
    body = parse_file(seed_path).body
    assert "“快车道”" in body and '"快车道' not in body


def test_html_page_gives_the_same_article(seed_path, seed_text, tmp_path):
    lines = seed_text.splitlines()
    rows = "".join(f"<p>{html.escape(line)}</p>" for line in lines if line.strip())
    page = tmp_path / "page.html"
    page.write_text(
        "<!doctype html><html><head><title>站点</title>"
        '<link rel="canonical" href="https://www.example.com/news/42.html">'
        "<script>var tracker = 1;</script></head><body>"
        "<nav><a href='/'>首页</a></nav>" + rows + "<script>alert('x')</script></body></html>",
        encoding="utf-8",
    )
    from_text, from_html = parse_file(seed_path), parse_file(page)
    for name in ("title", "source", "published_at", "category", "editor", "keywords", "summary"):
        assert getattr(from_html, name) == getattr(from_text, name), name
    assert from_html.body.count("<p>") == from_text.body.count("<p>")
    assert "alert" not in from_html.body and "tracker" not in from_html.body
    assert from_html.source_url == "https://www.example.com/news/42.html"
    assert from_html.import_key == "url:https://www.example.com/news/42.html"


def test_gbk_file_is_read(seed_path, seed_text, tmp_path):
    page = tmp_path / "gbk.txt"
    page.write_bytes(seed_text.encode("gb18030"))
    assert parse_file(page).title == parse_file(seed_path).title


def test_import_command_stores_the_article(seed_article):
    assert seed_article.source == "浙江日报"
    assert seed_article.keyword_list == KEYWORDS
    assert seed_article.status == "published"
    assert seed_article.places  # linked on import


def test_importing_again_updates_and_never_duplicates(seed_article, runner, seed_path, tmp_path):
    again = runner.invoke(args=["news", "import", str(seed_path)])
    assert again.exit_code == 0 and "未变 1 篇" in again.output
    changed = tmp_path / "changed.txt"
    text = seed_path.read_text(encoding="utf-8").replace("编辑:sx012", "编辑:sx099")
    changed.write_text(text, encoding="utf-8")
    result = runner.invoke(args=["news", "import", str(changed)])
    assert result.exit_code == 0 and "更新 1 篇" in result.output
    (article,) = imported()
    db.session.refresh(article)
    assert article.editor == "sx099" and article.id == seed_article.id


def test_a_file_that_is_not_an_article_is_reported_and_skipped(app, runner, tmp_path):
    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    (folder / "notes.txt").write_text("这是一份会议记录，没有来源，也没有日期。", encoding="utf-8")
    (folder / "sub" / "logo.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (folder / "ignored.csv").write_text("a,b", encoding="utf-8")
    result = runner.invoke(args=["news", "import", str(folder)])
    assert result.exit_code == 0, result.output
    assert "跳过" in result.output and "notes.txt" in result.output and "logo.html" in result.output
    assert "ignored.csv" not in result.output
    assert "共 2 个文件" in result.output and "跳过 2 个" in result.output
    assert db.session.scalar(select(func.count()).select_from(Article)) == 0


def test_a_folder_with_an_article_and_a_non_article(demo, runner, seed_path, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.txt").write_text(seed_path.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "b.txt").write_text("只是一行文字", encoding="utf-8")
    result = runner.invoke(args=["news", "import", str(folder)])
    assert "新增 1 篇" in result.output and "跳过 1 个" in result.output
    assert len(imported()) == 1


def test_missing_path_is_refused(app, runner, tmp_path):
    result = runner.invoke(args=["news", "import", str(tmp_path / "nope")])
    assert result.exit_code != 0


def test_parse_text_explains_what_is_missing():
    for text, reason in (
        ("标题\n\n正文一段。", "来源"),
        ("来源:某报  2024/1/2\n\n导读: 无\n", "标题"),
        ("标题\n来源:某报  2024/13/40\n正文。", "日期"),
        ("标题\n来源:某报  2024/1/2\n\n编辑:甲", "正文"),
    ):
        try:
            parse_text(text)
        except NotAnArticle as error:
            assert reason in str(error)
        else:
            raise AssertionError(f"accepted: {text!r}")


def test_a_page_without_breadcrumb_or_keywords(app):
    article = parse_text(
        "诸暨新闻一则\n来源：本站  2024-05-06 08:09\n\n第一段文字。\n\n第二段文字。\n"
    )
    assert article.category == "综合资讯"
    assert article.keywords == [] and article.summary == ""
    assert article.published_at == datetime(2024, 5, 6, 8, 9)
    assert article.body == "<p>第一段文字。</p><p>第二段文字。</p>"


def test_the_import_line_says_what_was_taken_from_the_seed(demo, runner, seed_path):
    result = runner.invoke(args=["news", "import", str(seed_path)])
    line = next(x for x in result.output.splitlines() if f"新增 {seed_path}：" in x)
    assert "《绍兴诸暨：借力与杭同城 全力打造大湾区“支点”》" in line
    assert "日期 2019-04-15 23:33（页面），栏目 特色小镇产业园，来源 浙江日报，编辑 sx012" in line
    assert "正文 3498 字" in line and "已忽略 空的相关文章、空的推荐楼盘" in line
    assert "日期待核" not in line and "编码" not in line
    (article,) = imported()
    assert not article.date_unverified
