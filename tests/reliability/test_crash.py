"""Imports killed mid-write (SIGKILL) leave the database as it was before the transaction.

Each test runs the real command in a subprocess against the test database (a SQLite file, or
PostgreSQL when TEST_DATABASE_URL is set). The hook app.testing_hooks.pause_point stops the
process inside the transaction of the N-th file or row, the test kills it there, checks what the
database holds, and runs the import again to completion.
"""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.models import Article, ArticlePlace, Building, Unit, stamps
from tests.reliability.conftest import FLASK, ROOT, cli_env, database_snapshot

MARKER_TIMEOUT_S = 60
PAUSE_AT = 3  # the file or row in progress when the process is killed

NEWS_PAGE = """当前位置：首页 >> 新闻中心 >> 产业园
{title}
来源：诸暨日报 2024-05-0{day} 09:30
导读：{title}的导读。
{town}的产业园又有新企业签约入驻，第 {day} 批项目总投资十亿元。
项目建成后将带来两千个就业岗位。
责任编辑：王编辑
"""
NEWS = [
    ("次坞镇签约智能制造项目", "次坞镇"),
    ("店口镇铜材产业园扩容", "店口镇"),
    ("姚江镇新建孵化器", "姚江镇"),
    ("大唐街道袜业园区升级", "大唐街道"),
]
CSV_HEADER = (
    "building_name,address,grade,floors,lat,lon,deal,floor,area_m2,rent_per_m2_day,decoration"
)
CSV_ROWS = [  # two buildings, five units; every row has a pin, so no geocoding is needed
    "崩溃测试大厦,诸暨市次坞镇测试路 1 号,乙级,12,29.95,120.12,rent,3,180,1.2,精装",
    "崩溃测试大厦,诸暨市次坞镇测试路 1 号,乙级,12,29.95,120.12,rent,5,320,1.1,简装",
    "崩溃测试大厦,诸暨市次坞镇测试路 1 号,乙级,12,29.95,120.12,rent,7,150,1.3,精装",
    "恢复测试中心,诸暨市店口镇测试路 2 号,甲级,20,29.88,120.25,rent,9,500,1.8,豪装",
    "恢复测试中心,诸暨市店口镇测试路 2 号,甲级,20,29.88,120.25,rent,11,260,1.7,精装",
]


def run_and_kill(args: list[str], env: dict[str, str], marker: Path) -> None:
    """Start the command, wait until it pauses inside its transaction, SIGKILL it."""
    process = subprocess.Popen(
        [FLASK, "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + MARKER_TIMEOUT_S
        while not marker.exists():
            if process.poll() is not None:
                raise AssertionError(f"exited before the pause: {process.stderr.read().decode()}")
            assert time.monotonic() < deadline, "the import never reached the pause point"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [FLASK, "--app", "wsgi", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def write_news(folder: Path) -> list[str]:
    folder.mkdir()
    for day, (title, town) in enumerate(NEWS, start=1):
        page = NEWS_PAGE.format(title=title, day=day, town=town)
        (folder / f"{day:02d}.txt").write_text(page, encoding="utf-8")
    return [title for title, _ in NEWS]


def test_news_import_killed_mid_file_keeps_the_files_before_it(
    app, database_url, gazetteer, tmp_path
):
    titles = write_news(tmp_path / "pages")
    # Articles, and the news stamp their commits raise (app.models.stamps), may change.
    before = database_snapshot(skip=("article", "change_stamp"))
    news_before = stamps.current(db.session, stamps.NEWS)
    marker = tmp_path / "paused"
    env = cli_env(
        database_url,
        tmp_path / "instance",
        XZL_CRASH_PAUSE_AT=f"news.import:{PAUSE_AT}",
        XZL_CRASH_MARKER=str(marker),
    )

    run_and_kill(["news", "import", str(tmp_path / "pages")], env, marker)

    kept = db.session.scalars(select(Article).order_by(Article.published_at)).all()
    assert [a.title for a in kept] == titles[: PAUSE_AT - 1]
    for article, (_, town) in zip(kept, NEWS, strict=False):
        assert article.summary and article.editor == "王编辑" and "<p>" in article.body
        assert town in {link.place.name for link in article.places}
    linked = db.session.scalars(select(ArticlePlace.article_id).distinct()).all()
    assert sorted(linked) == sorted(a.id for a in kept)  # nothing of the killed file
    assert stamps.current(db.session, stamps.NEWS) > news_before, "cached pages see the kept"
    assert database_snapshot(skip=("article", "change_stamp")) == before  # nothing else changed

    done = run(["news", "import", str(tmp_path / "pages")], cli_env(database_url, tmp_path))
    assert done.returncode == 0, done.stderr
    assert f"新增 {len(NEWS) - PAUSE_AT + 1} 篇" in done.stdout
    assert f"未变 {PAUSE_AT - 1} 篇" in done.stdout
    assert sorted(db.session.scalars(select(Article.title))) == sorted(titles)


def test_listing_import_killed_mid_row_leaves_the_database_as_before_the_file(
    app, database_url, gazetteer, agent, tmp_path
):
    """The file is one transaction (each row a SAVEPOINT inside it), so a run killed at any row
    leaves none of the file behind, and running it again imports every row exactly once."""
    csv_file = tmp_path / "units.csv"
    csv_file.write_text("\n".join([CSV_HEADER, *CSV_ROWS]) + "\n", encoding="utf-8")
    args = ["listings", "import", str(csv_file), "--owner", agent.email]
    before = database_snapshot()
    marker = tmp_path / "paused"
    env = cli_env(
        database_url,
        tmp_path / "instance",
        XZL_CRASH_PAUSE_AT=f"listings.import:{PAUSE_AT}",
        XZL_CRASH_MARKER=str(marker),
    )

    run_and_kill(args, env, marker)

    assert database_snapshot() == before  # no building, no unit, no index row of the file

    done = run(args, cli_env(database_url, tmp_path / "instance"))
    assert done.returncode == 0, done.stderr
    assert "导入房源 5 个，新建楼盘 2 个，出错 0 行" in done.stdout
    assert count(Building) == 2 and count(Unit) == len(CSV_ROWS)
    areas = sorted(db.session.scalars(select(Unit.area_m2)))
    assert areas == sorted(float(row.split(",")[8]) for row in CSV_ROWS)
