"""The public pages answer in Chinese with what each is for."""


def test_home_shows_recommended_buildings_news_and_parks(client, demo):
    page = client.get("/").get_data(as_text=True)
    assert "推荐楼盘" in page
    assert "/listings/" in page
    assert "最新资讯" in page and "产业园区" in page
    assert "次坞镇临杭产业园" in page


def test_building_page_and_unknown_building(client, demo):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Building

    building = db.session.scalars(select(Building)).first()
    page = client.get(f"/listings/{building.id}").get_data(as_text=True)
    assert building.name in page and "元/㎡/天" in page
    assert client.get("/listings/999999").status_code == 404


def test_listing_parks_and_news_pages_answer(client, demo):
    for url in ("/listings/", "/parks/", "/news/"):
        response = client.get(url)
        assert response.status_code == 200, url
