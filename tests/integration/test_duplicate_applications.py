"""New-applicant issue item 7: at most one application per person, business and year that is not
cancelled or failed; the refusal names the existing one. Enforced by the create command and by a
partial unique index (so no route, script or race gets a second one in)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models.applications import Application
from tests.factories import make_application
from tests.integration.test_applications import agree, catalog_ids, create, own_applications, person  # noqa: F401


def _count(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count(Application.id))).scalar()


def test_second_open_review_application_is_refused_and_names_the_first(app, person):
    ids = catalog_ids(app)
    agree(person)
    assert create(person, ids).status_code == 302
    first = own_applications(app)[0]
    response = create(person, ids)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"第 {first.id} 号申报" in html and "职称评审申报" in html and "草稿" in html
    assert _count(app) == 1
    # the form says so already before it is filled in
    assert f"第 {first.id} 号申报" in person.get("/applications/new/review").get_data(as_text=True)


@pytest.mark.parametrize("status", ["pending_unit", "returned", "final_passed", "certified", "review_passed"])
def test_an_application_under_way_or_passed_blocks_another(app, person, status):
    ids = catalog_ids(app)
    business = "recognition" if status == "final_passed" else "review"
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="demo_person")
        make_application(user, business=business, status=status)
    agree(person, business)
    response = create(person, ids, business=business, committee_id="" if business != "review" else ids["committee"])
    assert response.status_code == 200 and "号申报" in response.get_data(as_text=True)
    assert _count(app) == 1


@pytest.mark.parametrize("status", ["cancelled", "review_failed", "blacklisted"])
def test_a_cancelled_or_failed_application_frees_the_place(app, person, status):
    ids = catalog_ids(app)
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="demo_person")
        make_application(user, status=status)
    agree(person)
    assert create(person, ids).status_code == 302
    assert _count(app) == 2


def test_other_business_or_other_year_is_not_a_duplicate(app, person):
    ids = catalog_ids(app)
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="demo_person")
        make_application(user, business="review", year=2020, status="pending_unit")
        make_application(user, business="recognition", status="draft")
    agree(person)
    assert create(person, ids).status_code == 302
    assert _count(app) == 3


def test_the_database_refuses_a_second_open_application(app, demo):
    """The guard below the command: an insert that skips the command still cannot make a duplicate."""
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="demo_person")
        make_application(user, status="final_passed", business="recognition")
        with pytest.raises(IntegrityError):
            make_application(user, status="draft", business="recognition")
        db.session.rollback()
        make_application(user, status="cancelled", business="recognition")  # closed ones may repeat
        make_application(user, status="cancelled", business="recognition")
