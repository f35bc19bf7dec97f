"""Issue item 8: the 报送受理部门 picker (/pickers/offices) is for signed-in applicants and staff only, takes
whole numbers only and answers names of offices, nothing else."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models.catalog import Region, TitleSeries
from tests.conftest import login


def _ids(app):
    with app.app_context():
        from app import catalog_data

        catalog_data.load_all()
        db.session.commit()
        region = db.session.execute(select(Region.id).filter_by(code="371002")).scalar_one()
        series = db.session.execute(select(TitleSeries.id).filter_by(name="群众文化")).scalar_one()
        return region, series


def test_anonymous_visitors_and_committees_get_no_offices(app, client, demo):
    region, series = _ids(app)
    url = f"/pickers/offices?region={region}&series={series}"
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response.headers["Location"]
    login(client, "demo_committee")
    assert client.get(url).status_code == 403


def test_the_picker_answers_names_only_and_ignores_non_numbers(app, client, demo):
    region, series = _ids(app)
    login(client, "demo_person")
    rows = client.get(f"/pickers/offices?region={region}&series={series}").get_json()
    assert rows and all(set(row) == {"id", "name"} for row in rows)
    for query in (f"region={region}%20OR%201=1&series={series}", f"region=-1&series={series}",
                  f"region={region}&series=abc", "region=99999999999999999999&series=1"):
        response = client.get(f"/pickers/offices?{query}")
        assert response.status_code == 200 and response.get_json() == []
