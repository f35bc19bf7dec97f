"""Hole 4 (SPEC §1): nobody but the applicant sees a draft; a unit sees an application from its
submission on (and keeps those that passed through it); a committee from the moment it is reported to it;
the bureau the submitted applications of its region. Checked on the forms, the PDF, the review page and
the attachments, i.e. every route that loads through app.daos.applications."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from app.clock import utcnow
from app.demo import DEMO_COMMITTEE
from app.extensions import db
from app.models.applications import Application, Attachment
from app.models.catalog import Committee
from app.models.units import Unit
from app.services import steps, storage
from tests.conftest import login
from tests.factories import make_application

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _client(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302, username
    return client


@pytest.fixture
def draft(app, demo):
    """demo_person's draft naming demo_unit and the demo committee, with one uploaded file: (app id, file id)."""
    with app.app_context():
        person = app.appbuilder.sm.find_user(username="demo_person")
        unit = db.session.execute(select(Unit).where(Unit.name == "威海市环翠区文化馆")).scalar_one()
        committee = db.session.execute(select(Committee).where(Committee.name == DEMO_COMMITTEE)).scalar_one()
        application = make_application(person, unit=unit, committee_id=committee.id)
        stored = storage.save(io.BytesIO(PNG))
        attachment = Attachment(application_id=application.id, section="education", original_name="学历.png",
                                stored_name=stored.stored_name, content_type=stored.content_type, size=stored.size,
                                uploaded_at=utcnow())
        db.session.add(attachment)
        db.session.commit()
        return application.id, attachment.id


def _urls(application_id: int, attachment_id: int) -> list[str]:
    return [f"/applications/{application_id}/forms/review_form", f"/applications/{application_id}/forms/review_form.pdf",
            f"/review/{application_id}", f"/attachments/{attachment_id}"]


def _codes(client, urls) -> list[int]:
    return [client.get(url).status_code for url in urls]


def _set(app, application_id: int, status: str, *, arrive: bool = False) -> None:
    with app.app_context():
        application = db.session.get(Application, application_id)
        application.status, application.submitted_at = status, application.submitted_at or utcnow()
        application.current_unit_id = application.unit_id
        if arrive:
            steps.arrive(application, application.unit_id)
        db.session.commit()


def test_a_draft_is_the_applicants_alone(app, draft):
    application_id, attachment_id = draft
    preview, pdf, review, attachment = _urls(application_id, attachment_id)
    for username in ("demo_unit", "demo_superior"):  # the chosen unit and another unit (数据审核 is theirs)
        assert _codes(_client(app, username), [preview, pdf, review, attachment]) == [404] * 4, username
    for username in ("demo_bureau", "demo_committee"):
        assert _codes(_client(app, username), [preview, pdf, attachment]) == [404] * 3, username
    owner = _client(app, "demo_person")
    assert _codes(owner, [preview, attachment]) == [200, 200]


def test_the_unit_sees_it_from_submission_the_committee_only_once_reported(app, draft):
    application_id, attachment_id = draft
    preview, _pdf, review, attachment = _urls(application_id, attachment_id)
    _set(app, application_id, "pending_unit", arrive=True)
    assert _codes(_client(app, "demo_unit"), [preview, review, attachment]) == [200, 200, 200]
    assert _codes(_client(app, "demo_bureau"), [preview, attachment]) == [200, 200]
    committee = _client(app, "demo_committee")
    assert _codes(committee, [preview, attachment]) == [404, 404]
    _set(app, application_id, "passed_unit")
    assert _codes(committee, [preview, attachment]) == [404, 404]
    _set(app, application_id, "pending_committee")  # 数据上报 to the committee
    assert _codes(committee, [preview, attachment]) == [200, 200]


def test_the_unit_keeps_an_application_returned_to_the_applicant(app, draft):
    application_id, attachment_id = draft
    preview, _pdf, _review, attachment = _urls(application_id, attachment_id)
    _set(app, application_id, "pending_unit", arrive=True)
    with app.app_context():
        application = db.session.get(Application, application_id)
        steps.leave_returned(application)
        application.status = "returned"
        db.session.commit()
    assert _codes(_client(app, "demo_unit"), [preview, attachment]) == [200, 200]


def test_a_draft_that_names_a_unit_still_in_its_queue_field_stays_hidden(app, draft):
    """Even a draft row with the unit filled in as holder (e.g. left from old data) is not shown."""
    application_id, attachment_id = draft
    preview, _pdf, _review, attachment = _urls(application_id, attachment_id)
    with app.app_context():
        application = db.session.get(Application, application_id)
        application.current_unit_id = application.unit_id
        db.session.commit()
    assert _codes(_client(app, "demo_unit"), [preview, attachment]) == [404, 404]
