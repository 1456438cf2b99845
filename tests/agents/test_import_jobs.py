"""The web import as a job: the upload is checked whole and answered at once, the import's page
shows its progress and results to its agent only, one file at a time, and a job run again after
its worker died carries on from the first row not committed."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from sqlalchemy import func, select

from app.agent import import_jobs
from app.extensions import db
from app.models import Building, ImportJob, Unit
from tests.helpers import sign_in

DATA = Path(__file__).parent / "data"


def _upload(client, data: bytes, name: str = "units.csv"):
    return client.post(
        "/agent/import",
        data={"file": (BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_upload_leads_to_the_imports_own_page(client, people, gazetteer):
    sign_in(client, people["owner"])
    response = _upload(client, (DATA / "sample.csv").read_bytes(), "sample.csv")
    job = db.session.scalar(select(ImportJob))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/agent/import/{job.id}"
    page = client.get(f"/agent/import/{job.id}").get_data(as_text=True)
    assert "sample.csv" in page and "状态：已完成" in page
    assert f"导入房源 {count(Unit)} 个" in page and 'http-equiv="refresh"' not in page
    assert job.data is None, "the file is not kept once every row is read"
    listing = client.get("/agent/import").get_data(as_text=True)
    assert 'id="imports"' in listing and f'href="/agent/import/{job.id}"' in listing


def test_an_import_is_its_agents_alone(client, people, gazetteer):
    sign_in(client, people["owner"])
    _upload(client, (DATA / "sample.csv").read_bytes())
    job_id = db.session.scalar(select(ImportJob.id))
    for role, status in (("other_agent", 404), ("admin", 200), ("tenant", 403)):
        sign_in(client, people[role])
        assert client.get(f"/agent/import/{job_id}").status_code == status, role


def test_one_file_at_a_time_and_a_page_that_follows_it(client, people, gazetteer):
    owner = people["owner"]
    waiting = ImportJob(owner=owner, filename="first.csv", data=b"x", rows_total=10, rows_done=4)
    db.session.add(waiting)
    db.session.commit()
    sign_in(client, owner)
    response = _upload(client, (DATA / "sample.csv").read_bytes())
    assert response.status_code == 422
    assert "上一个文件还在导入中" in response.get_data(as_text=True)
    assert count(ImportJob) == 1 and count(Unit) == 0
    page = client.get(f"/agent/import/{waiting.id}").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "已处理 4 / 10 行" in page


def test_a_stalled_import_no_longer_holds_the_agent_up(client, people, gazetteer):
    owner = people["owner"]
    stalled = ImportJob(owner=owner, filename="first.csv", data=b"x", rows_total=10, rows_done=4)
    db.session.add(stalled)
    db.session.flush()
    stalled.updated_at -= import_jobs.STALLED_AFTER
    db.session.commit()
    sign_in(client, owner)
    page = client.get(f"/agent/import/{stalled.id}").get_data(as_text=True)
    assert "导入已中断，停在第 4 行之后" in page and "http-equiv" not in page
    assert _upload(client, (DATA / "sample.csv").read_bytes()).status_code == 302


def test_a_file_too_large_is_refused_whole(client, people, monkeypatch):
    # A small cap: Werkzeug's test client spools a body over 500 KB to a file it never closes.
    monkeypatch.setattr(import_jobs, "IMPORT_MAX_BYTES", 100 * 1024)
    sign_in(client, people["owner"])
    header = b"building_name,address,deal,area_m2\n"
    response = _upload(client, header + b"x" * 100 * 1024)
    assert response.status_code == 422 and "文件超过 100 KB" in response.get_data(as_text=True)
    assert count(ImportJob) == 0


def test_a_job_run_again_carries_on_where_it_stopped(app, people, gazetteer):
    """A worker killed after its first batch committed: the queue runs the job again, which
    imports the remaining rows only."""
    data = (DATA / "sample.csv").read_bytes()
    job = import_jobs.start(people["owner"], data, "sample.csv")
    db.session.commit()
    import_jobs.run(job.id)
    every_unit = sorted(db.session.scalars(select(Unit.area_m2)))
    rows = job.rows_total
    # The same file again, as if the first two rows were committed before the worker died.
    db.session.execute(Unit.__table__.delete())
    db.session.execute(Building.__table__.delete())
    db.session.commit()
    again = import_jobs.start(people["owner"], data, "sample.csv")
    db.session.commit()
    first_two = import_jobs.csv_import.read_rows(import_jobs.csv_import.decode(data))[:2]
    import_jobs.csv_import.import_rows(first_two, people["owner"])
    again.rows_done, again.units = 2, 2
    db.session.commit()
    import_jobs.run(again.id)
    assert again.status == "done" and again.rows_done == rows and again.units == rows
    assert sorted(db.session.scalars(select(Unit.area_m2))) == every_unit, "no row twice"


def test_the_dashboard_and_the_admins_lists_come_in_pages(client, people):
    from tests.factories import BuildingFactory, UnitFactory

    owner = people["owner"]
    for n in range(25):
        UnitFactory(building=BuildingFactory(owner=owner, name=f"分页大厦{n:02d}"))
    for n in range(30):
        BuildingFactory(owner=people["other_agent"], name=f"别家{n:02d}")
    db.session.commit()
    sign_in(client, owner)
    first = client.get("/agent/").get_data(as_text=True)
    second = client.get("/agent/?page=2").get_data(as_text=True)
    assert first.count("分页大厦") == 20 and second.count("分页大厦") == 5
    assert 'href="/agent/?page=2"' in first
    assert ">25</div>" in first, "the figures count every building, not the page's"
    sign_in(client, people["admin"])
    page_one = client.get("/admin/buildings").get_data(as_text=True)
    page_two = client.get("/admin/buildings?page=2").get_data(as_text=True)
    shown = page_one.count("分页大厦") + page_one.count("别家")
    assert shown == 50 and page_two.count("分页大厦") + page_two.count("别家") == 5
    assert 'href="/admin/buildings?page=2"' in page_one
    assert client.get("/admin/buildings?page=99999999999").status_code == 200
