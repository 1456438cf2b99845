"""The importer on real-world page variants: no date, a sister site's breadcrumb, counters and
empty fields, dates in every form, CMS HTML, and every encoding Chinese portals save in."""

from __future__ import annotations

import html
import os
import re
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Article
from app.news.importer import NotAnArticle, parse_file, parse_text
from app.news.pagedates import PAGE_TIME, address_date
from app.news.pagetext import decode

PAGES = Path(__file__).parent / "pages"
SHENGZHOU_TITLE = "嵊州经济开发区两栋孵化楼交付 面向初创企业招租"
CMS_TITLE = "柯桥科创走廊首栋甲级写字楼结构封顶"
CMS_PARAGRAPHS = [
    "位于柯桥科创走廊核心区的首栋甲级写字楼日前完成主体结构封顶，预计明年上半年交付使用。",
    "项目总建筑面积约六万平方米，地上二十八层，标准层面积约一千五百平方米，层高四米，"
    "配有十二部电梯。",
    "据项目方介绍，写字楼将重点面向数字经济、工业设计和科技服务类企业招租，"
    "目前已有多家企业表达入驻意向。",
    "柯桥区相关部门表示，科创走廊沿线还将陆续建设人才公寓和配套商业，进一步完善区域办公配套。",
]
BIG5_TITLE = "紹興柯橋商務樓宇出租率回升 甲級寫字樓租金持穩"


def _paragraphs(body: str) -> list[str]:
    return [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", body)]


def _page(tmp_path: Path, name: str, data: bytes, mtime: datetime | None = None) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    if mtime is not None:
        stamp = mtime.replace(tzinfo=PAGE_TIME).timestamp()
        os.utime(path, (stamp, stamp))
    return path


def _text(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def _line(output: str, start: str) -> str:
    """The command's line for one file (the progress bar may share its line)."""
    return next(line[line.index(start) :] for line in output.splitlines() if start in line)


def _articles() -> list[Article]:
    return list(db.session.scalars(select(Article)))


# The page the portal network saves: empty date, a sister site's breadcrumb, blank 编辑.


def test_a_page_without_a_date_takes_the_given_one_and_is_flagged():
    article = parse_file(PAGES / "undated_sister_site.txt", date_given=date(2024, 3, 1))
    assert article.title == SHENGZHOU_TITLE
    assert article.published_at == datetime(2024, 3, 1)
    assert article.date_unverified and article.date_origin == "--date 指定"
    assert article.category == "楼市资讯"  # not 北京写字楼网, not 新闻中心
    assert article.source == "嵊州新闻网"
    assert article.editor == "" and article.keywords == []
    assert article.summary.startswith("嵊州经济开发区的两栋孵化楼本月交付")
    assert len(_paragraphs(article.body)) == 3
    for chrome in ("浏览", "编辑", "关键字", "相关文章", "推荐楼盘", "版权", "北京写字楼网"):
        assert chrome not in article.body
    assert article.ignored == ["浏览计数", "空的编辑", "空的关键字", "空的相关文章", "空的推荐楼盘"]


def test_without_a_given_date_the_file_time_is_taken(tmp_path):
    saved = datetime(2024, 2, 20, 14, 5)
    page = _page(tmp_path, "page.txt", _text("undated_sister_site.txt").encode(), saved)
    article = parse_file(page)
    assert article.published_at == saved
    assert article.date_unverified and article.date_origin == "文件修改时间"


@pytest.mark.parametrize(
    ("name", "head", "extra", "expected", "origin"),
    [
        (
            "page.html",
            '<link rel="canonical" href="https://www.example.com/news/20240315/88.html">',
            "",
            date(2024, 3, 15),
            "网址",
        ),
        (
            "page.html",
            "",
            "<p>原文链接：http://www.example.com/2024-03-17/5.html</p>",
            date(2024, 3, 17),
            "网址",
        ),
        ("20240316123.html", "", "", date(2024, 3, 16), "文件名"),
    ],
)
def test_an_undated_page_takes_the_date_its_address_or_id_carries(
    tmp_path, name, head, extra, expected, origin
):
    lines = "".join(
        f"<p>{html.escape(x)}</p>" for x in _text("undated_sister_site.txt").split("\n")
    )
    page = f"<html><head>{head}</head><body>{lines}{extra}</body></html>"
    article = parse_file(_page(tmp_path, name, page.encode()))
    assert article.date_unverified and article.date_origin == origin
    assert article.published_at == datetime.combine(expected, datetime.min.time())


def test_a_text_page_naming_its_address_takes_the_date_in_it(tmp_path):
    text = (
        _text("undated_sister_site.txt") + "\n原文链接：http://www.example.com/2024-03-17/5.html\n"
    )
    article = parse_file(_page(tmp_path, "page.txt", text.encode()))
    assert article.published_at == datetime(2024, 3, 17) and article.date_origin == "网址"


def test_a_saved_pages_own_address_gives_its_date(tmp_path):
    lines = "".join(
        f"<p>{html.escape(x)}</p>" for x in _text("undated_sister_site.txt").split("\n")
    )
    page = (
        "<!-- saved from url=(0058)http://www.example.com/html/news/2024/0318/20240318456.html -->"
        f"<html><body>{lines}</body></html>"
    )
    article = parse_file(_page(tmp_path, "saved.html", page.encode()))
    assert article.published_at == datetime(2024, 3, 18) and article.date_origin == "网址"
    assert article.source_url == "http://www.example.com/html/news/2024/0318/20240318456.html"


def test_dates_in_addresses_are_read_conservatively():
    tomorrow = date.today() + timedelta(days=2)
    assert address_date("/news/20240315/123.html") == date(2024, 3, 15)
    assert address_date("https://www.example.com/2024-03-15/x.html") == date(2024, 3, 15)
    assert address_date("/html/2024/03/15/9.html") == date(2024, 3, 15)
    assert address_date("20240315123") == date(2024, 3, 15)
    assert address_date("/news/20240315/20240315123.html") == date(2024, 3, 15)  # the same date
    assert address_date("/news/20240315/20240316123.html") is None  # two dates: ambiguous
    assert address_date(f"/news/{tomorrow:%Y%m%d}/1.html") is None  # in the future
    assert address_date("/news/20241340/1.html") is None  # no such day
    assert address_date("/news/12345678.html") is None  # an id, no date
    assert address_date("/news/2024/03/1234.html") is None  # no day
    assert address_date("/news/1234.html") is None


def test_a_page_without_a_date_and_nothing_to_take_one_from_is_refused():
    with pytest.raises(NotAnArticle, match="日期"):
        parse_text("标题一则\n来源：本站  发布时间：\n\n第一段文字。\n")


# Dates as pages write them.

META = {
    "来源：本站 2024年3月15日": datetime(2024, 3, 15),
    "来源：本站 发布时间：2024-03-15 10:20": datetime(2024, 3, 15, 10, 20),
    "来源：本站 2024/3/15 10:20:30": datetime(2024, 3, 15, 10, 20, 30),
    "来源：本站 2024.03.15": datetime(2024, 3, 15),
    "来源：本站 ２０２４年３月１５日 １０：２０": datetime(2024, 3, 15, 10, 20),
    "来源：本站　时间：２０２４－０３－１５　０９：０５：０７": datetime(2024, 3, 15, 9, 5, 7),
    "来源：本站 2024-03-15 10：20：30": datetime(2024, 3, 15, 10, 20, 30),
    "来源：本站 2024年3月15日 10时20分": datetime(2024, 3, 15, 10, 20),
    "来源：本站\n发布时间：2024年3月15日": datetime(2024, 3, 15),  # the date on its own line
    "发布日期：2024-03-15\n来源：本站": datetime(2024, 3, 15),  # the date above the source
    "来源：本站\n\n2024-03-15 08:00\n\n浏览：12": datetime(2024, 3, 15, 8, 0),
    "作者：甲 | 来源：本站 | 日期：2024/03/15 | 点击：88": datetime(2024, 3, 15),
}


@pytest.mark.parametrize(("meta", "expected"), META.items(), ids=range(len(META)))
def test_dates_written_every_way_are_read(meta, expected):
    article = parse_text(f"诸暨新闻一则\n{meta}\n\n第一段文字。\n\n第二段文字。\n")
    assert article.published_at == expected
    assert not article.date_unverified and article.date_origin == "页面"
    assert article.title == "诸暨新闻一则" and article.source == "本站"
    assert _paragraphs(article.body) == ["第一段文字。", "第二段文字。"]


def test_a_date_inside_the_first_paragraph_is_not_the_pages_date():
    text = "标题一则\n来源：本站\n\n2024年3月15日，诸暨召开会议。\n\n会议时间：上午九点。\n"
    article = parse_text(text, undated=(datetime(2024, 1, 1), "--date 指定"))
    assert article.date_unverified and article.published_at == datetime(2024, 1, 1)
    assert _paragraphs(article.body) == ["2024年3月15日，诸暨召开会议。", "会议时间：上午九点。"]


# Breadcrumbs, counters and empty fields.


@pytest.mark.parametrize(
    ("crumb", "category"),
    [
        ("当前位置：北京写字楼网 > 新闻中心 > 楼市资讯 > 正文", "楼市资讯"),
        ("当前位置：北京写字楼网 > 正文", "综合资讯"),
        ("当前位置：北京写字楼网 >> 新闻中心 >> 新闻详情", "综合资讯"),
        ("您现在的位置：首页 > 杭州写字楼网 > 招商动态", "招商动态"),
        ("首页 > 新闻中心 > 交通", "交通"),
        ("位置：www.example.com » 政策法规 » 详细内容", "政策法规"),
    ],
)
def test_the_category_is_the_last_real_crumb(crumb, category):
    article = parse_text(f"{crumb}\n\n标题一则\n来源：本站 2024-03-15\n\n第一段文字。\n")
    assert article.category == category and article.title == "标题一则"


def test_counters_buttons_and_empty_fields_are_left_out():
    text = (
        "标题一则\n来源：本站 2024-03-15  阅读：1234  人气：56\n\n【字号：大 中 小】\n\n"
        "分享到：微信 微博\n\n第一段文字。\n\n浏览次数：77\n\n第二段文字。\n\n"
        "阅读：1234\n\n【责任编辑：】\n\n关键字：\n\n相关文章\n\n推荐楼盘\n\n上一篇：无\n"
    )
    article = parse_text(text)
    assert _paragraphs(article.body) == ["第一段文字。", "第二段文字。"]
    assert article.editor == "" and article.keywords == [] and article.source == "本站"
    assert article.ignored == [
        "浏览计数",
        "分享按钮",
        "空的编辑",
        "空的关键字",
        "空的相关文章",
        "空的推荐楼盘",
    ]


@pytest.mark.parametrize(
    ("meta", "footer", "editor"),
    [
        ("来源：本站 2024-03-15 责任编辑：王五", "", "王五"),
        ("来源：本站 2024-03-15 编辑：", "编辑：李四", "李四"),
        ("来源：本站 2024-03-15", "（责任编辑：赵六）", "赵六"),
        ("来源：本站 2024-03-15 编辑：", "", ""),
    ],
)
def test_the_editor_stands_beside_the_source_or_after_the_text(meta, footer, editor):
    article = parse_text(f"标题一则\n{meta}\n\n第一段文字。\n\n{footer}\n")
    assert article.editor == editor and _paragraphs(article.body) == ["第一段文字。"]
    assert ("空的编辑" in article.ignored) == (editor == "")


def test_a_counter_after_the_text_is_no_keyword():
    article = parse_text(
        "标题一则\n来源：本站 2024-03-15\n\n第一段文字。\n\n编辑：甲\n\n人气：56\n"
    )
    assert article.keywords == [] and article.editor == "甲"


# HTML saved from a CMS: layout tables, images, scripts, styles, comments, handlers, <font>.


def test_a_cms_page_gives_the_article_and_nothing_of_the_chrome():
    article = parse_file(PAGES / "cms_layout.html")
    assert article.title == CMS_TITLE
    assert article.published_at == datetime(2024, 3, 15, 9, 30) and not article.date_unverified
    assert article.category == "楼市资讯" and article.source == "柯桥日报"
    assert article.editor == "" and article.summary == ""
    assert _paragraphs(article.body) == CMS_PARAGRAPHS
    for chrome in (
        "热门楼盘", "镜湖金融中心", "加入收藏", "广告", "字号", "浏览", "分享到", "打印",
        "上一篇", "相关文章", "科创大厦", "关于我们", "Copyright", "版权所有", "原创内容",
        "_hmt", "fontZoom", "<img", "onclick", "<font", "style", "<script", "&nbsp;", "\xa0",
    ):  # fmt: skip
        assert chrome not in article.body, chrome
    assert "空的编辑" in article.ignored and "空的相关文章" in article.ignored


def test_a_page_that_never_closes_its_head_keeps_its_body(tmp_path):
    text = _text("dated_sister_site.txt")
    page = "<html><head><title>页</title><body>" + "".join(
        f"<p>{html.escape(x)}</p>" for x in text.split("\n")
    )
    article = parse_file(_page(tmp_path, "open.html", page.encode()))
    assert article.title == SHENGZHOU_TITLE and len(_paragraphs(article.body)) == 3


# Encodings.


def _html(body_text: str, meta: str) -> str:
    rows = "".join(f"<p>{html.escape(x)}</p>" for x in body_text.split("\n"))
    return f"<!DOCTYPE html><html><head>{meta}<title>頁</title></head><body>{rows}</body></html>"


def _cms(meta: str) -> str:
    old = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />'
    return _text("cms_layout.html").replace(old, meta)


GB = _text("dated_sister_site.txt")
BIG5 = _text("big5_page.txt")
ENCODINGS = {
    "gb2312 declared by http-equiv": (
        "p.html", _text("cms_layout.html").encode("gbk"), CMS_TITLE, "GB2312（页面声明）"
    ),
    "gbk declared by meta charset": (
        "p.html", _cms('<meta charset="gbk">').encode("gbk"), CMS_TITLE, "GBK（页面声明）"
    ),
    "gb18030 declared": (
        "p.html", _cms('<meta charset="GB18030">').encode("gb18030"), CMS_TITLE,
        "GB18030（页面声明）",
    ),
    "gbk html undeclared": ("p.html", _cms("").encode("gbk"), CMS_TITLE, "GB18030（自动检测）"),
    "gbk text": ("p.txt", GB.encode("gbk"), SHENGZHOU_TITLE, "GB18030（自动检测）"),
    "big5 declared": (
        "p.html", _html(BIG5, '<meta charset="big5">').encode("big5"), BIG5_TITLE,
        "Big5（页面声明）",
    ),
    "big5 text": ("p.txt", BIG5.encode("big5"), BIG5_TITLE, "Big5（自动检测）"),
    "utf-8 with bom": ("p.txt", GB.encode("utf-8-sig"), SHENGZHOU_TITLE, "UTF-8（BOM）"),
    "utf-8 declared": (
        "p.html", _html(GB, '<meta charset="utf-8">').encode(), SHENGZHOU_TITLE,
        "UTF-8（页面声明）",
    ),
    "utf-8 undeclared": ("p.txt", GB.encode(), SHENGZHOU_TITLE, "UTF-8（自动检测）"),
    "utf-8 saved again under its old gb2312 declaration": (
        "p.html", _text("cms_layout.html").encode(), CMS_TITLE,
        "UTF-8（页面声明 GB2312，内容实为 UTF-8）",
    ),
    "gbk declared iso-8859-1, which any bytes decode under": (
        "p.html", _cms('<meta charset="iso-8859-1">').encode("gbk"), CMS_TITLE,
        "GB18030（自动检测）",
    ),
    "gbk declared utf-8": (
        "p.html", _cms('<meta charset="utf-8">').encode("gbk"), CMS_TITLE, "GB18030（自动检测）"
    ),
}  # fmt: skip


@pytest.mark.parametrize(
    ("name", "data", "title", "encoding"), ENCODINGS.values(), ids=ENCODINGS.keys()
)
def test_every_encoding_is_read(tmp_path, name, data, title, encoding):
    article = parse_file(_page(tmp_path, name, data))
    assert article.title == title
    assert article.encoding == encoding
    assert article.published_at.date() == date(2024, 3, 15)
    assert len(_paragraphs(article.body)) >= 2
    assert "\ufffd" not in article.body + article.title


def test_big5_text_keeps_its_traditional_characters(tmp_path):
    article = parse_file(_page(tmp_path, "p.txt", BIG5.encode("big5")))
    assert article.category == "市場動態"  # not 臺北寫字樓網, the sister site
    assert article.source == "商務週報" and article.editor == "陳曉"
    assert article.summary == "柯橋區一季度商務樓宇出租率較去年底回升，甲級寫字樓租金保持穩定。"
    assert article.keywords == ["柯橋", "寫字樓", "出租率"]
    assert _paragraphs(article.body)[0].startswith("柯橋區一季度商務樓宇整體出租率")
    assert article.published_at == datetime(2024, 3, 15, 10, 20)


def test_a_gb2312_page_keeps_characters_only_gbk_has():
    # 喆 is outside GB2312; CMS editors type it, and browsers read such pages as GBK.
    page = '<meta charset="gb2312"><p>作者：李喆</p>'.encode("gbk")
    assert "李喆" in decode(page).text


def test_a_binary_file_is_no_page(tmp_path):
    with pytest.raises(NotAnArticle, match="不是文本"):
        parse_file(_page(tmp_path, "logo.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00"))


# The command.


def test_the_command_says_per_file_what_was_taken_and_flagged(app, runner, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(PAGES / "undated_sister_site.txt", folder / "a_undated.txt")
    (folder / "b_cms.html").write_bytes(_text("cms_layout.html").encode("gbk"))
    (folder / "c_big5.txt").write_bytes(BIG5.encode("big5"))
    (folder / "d_notes.txt").write_text("这是一份会议记录。", encoding="utf-8")
    resaved = _cms("").replace(CMS_TITLE, "越城区楼宇经济扶持政策发布").encode()
    (folder / "e_resaved.html").write_bytes(
        resaved.replace(b"<head>", b'<head><meta charset="gb2312">')
    )
    result = runner.invoke(args=["news", "import", "--date", "2024-03-01", str(folder)])
    assert result.exit_code == 0, result.output
    undated = _line(result.output, f"新增 {folder / 'a_undated.txt'}：")
    assert f"《{SHENGZHOU_TITLE}》" in undated
    assert "日期 2024-03-01 00:00（--date 指定）" in undated
    assert "栏目 楼市资讯" in undated and "来源 嵊州新闻网" in undated and "编辑 （无）" in undated
    assert "正文 124 字" in undated and "日期待核" in undated
    assert "已忽略 浏览计数、空的编辑、空的关键字、空的相关文章、空的推荐楼盘" in undated
    cms = _line(result.output, f"新增 {folder / 'b_cms.html'}：")
    assert "日期 2024-03-15 09:30（页面）" in cms and "日期待核" not in cms
    assert "编码 GB2312（页面声明）" in cms
    assert "编码 Big5（自动检测）" in _line(result.output, f"新增 {folder / 'c_big5.txt'}：")
    resaved = _line(result.output, f"新增 {folder / 'e_resaved.html'}：")
    assert "编码 UTF-8（页面声明 GB2312，内容实为 UTF-8）" in resaved
    assert f"跳过 {folder / 'd_notes.txt'}：找不到“来源”" in result.output
    assert "导入完成：共 5 个文件，新增 4 篇" in result.output and "跳过 1 个" in result.output
    stored = {a.title: a for a in _articles()}
    assert stored[SHENGZHOU_TITLE].date_unverified
    assert stored[SHENGZHOU_TITLE].published_at == datetime(2024, 3, 1)
    assert not stored[CMS_TITLE].date_unverified and stored[CMS_TITLE].category == "楼市资讯"
    assert "柯橋區一季度" in stored[BIG5_TITLE].body


def test_a_page_that_carries_its_date_clears_the_flag_on_import_again(app, runner, tmp_path):
    undated = _page(
        tmp_path, "page.txt", _text("undated_sister_site.txt").encode(), datetime(2024, 5, 5)
    )
    first = runner.invoke(args=["news", "import", str(undated)])
    assert "新增 1 篇" in first.output and "日期待核" in first.output
    os.utime(undated, None)  # touched again: its time is no key
    again = runner.invoke(args=["news", "import", str(undated)])
    assert "新增 0 篇" in again.output and len(_articles()) == 1
    dated = _page(tmp_path, "page.txt", _text("dated_sister_site.txt").encode())
    result = runner.invoke(args=["news", "import", str(dated)])
    assert result.exit_code == 0 and "更新 1 篇" in result.output
    assert "日期待核" not in result.output
    (article,) = _articles()
    db.session.refresh(article)
    assert not article.date_unverified
    assert article.published_at == datetime(2024, 3, 15, 10, 20)
    assert article.editor == "王小明" and article.keyword_list == ["嵊州", "孵化楼", "招租"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-13-01", "日期格式应为 YYYY-MM-DD"),
        ("15/03/2024", "日期格式应为"),
        ("2999-01-01", "晚于今天"),
    ],
)
def test_a_bad_date_option_is_refused_in_chinese(app, runner, value, message):
    result = runner.invoke(args=["news", "import", "--date", value, str(PAGES)])
    assert result.exit_code == 2 and message in result.output
    assert _articles() == []


def test_the_editor_sees_that_the_date_needs_checking(app, runner, client, editor, tmp_path):
    runner.invoke(args=["news", "import", str(PAGES / "undated_sister_site.txt")])
    runner.invoke(args=["news", "import", str(PAGES / "cms_layout.html")])
    stored = {a.title: a for a in _articles()}
    page = client.get(f"/news/{stored[SHENGZHOU_TITLE].id}/edit").get_data(as_text=True)
    assert "日期待核" in page and "请核对" in page
    page = client.get(f"/news/{stored[CMS_TITLE].id}/edit").get_data(as_text=True)
    assert "日期待核" not in page


def test_saving_the_form_confirms_the_date(app, runner, client, editor):
    runner.invoke(args=["news", "import", str(PAGES / "undated_sister_site.txt")])
    (article,) = _articles()
    page = client.get(f"/news/{article.id}/edit")
    assert "保存即视为已核对" in page.get_data(as_text=True)
    form = {
        "title": article.title,
        "category": article.category,
        "source": article.source,
        "published_at": "2024-02-28T09:00",
        "summary": article.summary,
        "body": article.body,
        "editor": "核对人",
        "original_title": "",
        "keywords": "",
        "status": "published",
        "save": "保存",
    }
    saved = client.post(f"/news/{article.id}/edit", data=form)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    db.session.refresh(article)
    assert not article.date_unverified and article.published_at == datetime(2024, 2, 28, 9, 0)
    assert "日期待核" not in client.get(f"/news/{article.id}/edit").get_data(as_text=True)


def test_a_page_known_by_its_address_clears_the_flag_when_it_carries_a_date(app, runner, tmp_path):
    link = '<link rel="canonical" href="https://www.example.com/news/show-88.html">'
    for name in ("undated_sister_site.txt", "dated_sister_site.txt"):
        page = _html(_text(name), link)
        result = runner.invoke(
            args=["news", "import", str(_page(tmp_path, "p.html", page.encode()))]
        )
        assert result.exit_code == 0, result.output
    assert "更新 1 篇" in result.output
    (article,) = _articles()
    db.session.refresh(article)
    assert article.import_key == "url:https://www.example.com/news/show-88.html"
    assert not article.date_unverified and article.published_at == datetime(2024, 3, 15, 10, 20)
