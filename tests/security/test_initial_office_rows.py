"""职称初定 on the office's side belongs to the bureau of the office's region alone: another region's bureau
(one below it with an office of its own, or another city's) neither sees, passes, returns nor issues the
office's applications, whatever ids or office it posts, and a batch with one foreign row changes nothing
(FAB's action_post loads rows by id without the list's filter; the commands load them again)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.applications import Application
from app.models.certificates import Certificate
from tests.conftest import login
from tests.factories import make_backend
from tests.integration.initial_fixtures import CITY_OFFICE, DISTRICT_OFFICE, initial_draft, office_bureaus, office_id


@pytest.fixture
def rows(app, tmp_path):
    app.config["CERT_SIGNING_DIR"] = str(tmp_path / "signing")
    with app.app_context():
        office_bureaus()
        make_backend("bureau_jn", "Bureau", "370100")
        return {"city_waiting": initial_draft(0, status="pending_office"),
                "city_passed": initial_draft(1, status="final_passed"),
                "district_waiting": initial_draft(2, DISTRICT_OFFICE, status="pending_office"),
                "district_passed": initial_draft(3, DISTRICT_OFFICE, status="final_passed"),
                "city": office_id(CITY_OFFICE), "district": office_id(DISTRICT_OFFICE)}


def _client(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def _statuses(app, rows) -> dict:
    with app.app_context():
        ids = [v for k, v in rows.items() if "_" in k]
        return dict(db.session.execute(select(Application.id, Application.status).where(Application.id.in_(ids))).all())


@pytest.mark.parametrize("username", ["bureau_hc", "bureau_jn"])
def test_another_regions_bureau_cannot_review_the_city_offices_applications(app, rows, username):
    before = _statuses(app, rows)
    assert "初定人0" in _client(app, "bureau_wh").get("/office/initial-review/").get_data(as_text=True)
    other = _client(app, username)
    assert "初定人0" not in other.get("/office/initial-review/").get_data(as_text=True)
    waiting = rows["city_waiting"]
    assert other.post(f"/office/initial-review/{waiting}/approve").status_code == 404
    assert other.post(f"/office/initial-review/{waiting}/reject", data={"reason": "伪造"}).status_code == 404
    assert other.post("/office/initial-review/action_post",
                      data={"action": "approve", "rowid": [waiting]}).status_code == 404
    assert other.get(f"/office/initial-review/reject?rowid={waiting}").status_code == 404
    assert other.post("/office/initial-review/reject", data={"rowid": [waiting], "reason": "伪造"}).status_code == 404
    assert _statuses(app, rows) == before


def test_a_batch_with_one_foreign_row_changes_nothing(app, rows):
    before = _statuses(app, rows)
    district = _client(app, "bureau_hc")  # it acts for the district office only
    mixed = [rows["district_waiting"], rows["city_waiting"]]
    assert district.post("/office/initial-review/action_post",
                         data={"action": "approve", "rowid": mixed}).status_code == 404
    assert district.post("/office/initial-review/reject", data={"rowid": mixed, "reason": "伪造"}).status_code == 404
    assert _statuses(app, rows) == before
    # its own office's row it may pass
    assert district.post(f"/office/initial-review/{rows['district_waiting']}/approve").status_code == 302
    assert _statuses(app, rows)[rows["district_waiting"]] == "final_passed"


def test_another_regions_bureau_cannot_issue_the_city_offices_certificates(app, rows):
    district = _client(app, "bureau_hc")
    passed = rows["city_passed"]
    page = district.get(f"/office/initial-issue/?office_id={rows['city']}").get_data(as_text=True)
    assert "初定人1" not in page and CITY_OFFICE not in page  # a foreign office id shows its own office instead
    forged_office = district.post("/office/initial-issue/issue", data={"office_id": rows["city"], "ids": [passed],
                                                                       "published_on": "2026-11-20"})
    assert forged_office.status_code == 404
    # its own office with the city office's applicant: not its to issue, nothing issued
    forged_rows = district.post("/office/initial-issue/issue", data={
        "office_id": rows["district"], "ids": [rows["district_passed"], passed], "published_on": "2026-11-20"})
    assert forged_rows.status_code == 400
    jinan = _client(app, "bureau_jn")
    assert jinan.post("/office/initial-issue/issue", data={"office_id": rows["city"], "ids": [passed],
                                                           "published_on": "2026-11-20"}).status_code == 404
    with app.app_context():
        assert db.session.execute(select(Certificate)).first() is None
    assert _statuses(app, rows)[passed] == "final_passed"


def test_an_office_reviews_only_what_waits_for_it(app, rows):
    city = _client(app, "bureau_wh")
    before = _statuses(app, rows)
    # a passed application cannot be passed or returned again, and a draft is not the office's at all
    assert city.post(f"/office/initial-review/{rows['city_passed']}/reject", data={"reason": "再次"},
                     follow_redirects=True).status_code == 200
    with app.app_context():
        draft = initial_draft(5)
    assert city.post(f"/office/initial-review/{draft}/approve").status_code == 404
    assert _statuses(app, rows) == before
    with app.app_context():
        assert db.session.get(Application, draft).status == "draft"


@pytest.mark.parametrize("username", ["initial0", "demo_unit_x"])
def test_applicants_and_units_cannot_reach_the_office_pages(app, rows, username):
    if username == "demo_unit_x":
        with app.app_context():
            from tests.factories import make_unit_account

            make_unit_account("demo_unit_x", "测试单位乙")
    client = _client(app, username)
    assert client.post(f"/office/initial-review/{rows['city_waiting']}/approve").status_code == 403
    assert client.post("/office/initial-issue/issue", data={"office_id": rows["city"], "ids": [rows["city_passed"]],
                                                            "published_on": "2026-11-20"}).status_code == 403
    assert _statuses(app, rows)[rows["city_waiting"]] == "pending_office"
    with app.app_context():
        assert db.session.execute(select(Certificate)).first() is None
