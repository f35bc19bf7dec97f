"""Hole 4, forms: the ID number is shown in full only to its holder, in the HTML preview and in the PDF
alike; the unit, the bureau and the committee get it masked (X3)."""
from __future__ import annotations

import io
import unicodedata

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.clock import utcnow
from app.demo import DEMO_COMMITTEE, DEMO_PERSON_ID
from app.extensions import db
from app.models.catalog import Committee
from app.models.units import Unit
from app.services import steps
from tests.conftest import login
from tests.factories import make_application

MASKED = "371002********002X"  # DEMO_PERSON_ID as the PIPL mask shows it: 6 digits, 8 stars, 4 digits


def _client(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302, username
    return client


def _pdf_text(data: bytes) -> str:
    return unicodedata.normalize("NFKC", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture
def reported(app, demo):
    """demo_person's application, submitted to demo_unit and reported to the demo committee."""
    with app.app_context():
        person = app.appbuilder.sm.find_user(username="demo_person")
        unit = db.session.execute(select(Unit).where(Unit.name == "威海市环翠区文化馆")).scalar_one()
        committee = db.session.execute(select(Committee).where(Committee.name == DEMO_COMMITTEE)).scalar_one()
        application = make_application(person, unit=unit, committee_id=committee.id, status="pending_committee",
                                       current_unit_id=unit.id, submitted_at=utcnow())
        steps.arrive(application, unit.id)
        db.session.commit()
        return application.id


@pytest.mark.parametrize("username", ["demo_unit", "demo_bureau", "demo_committee"])
def test_back_office_forms_mask_the_id_number_in_preview_and_pdf(app, reported, username):
    client = _client(app, username)
    page = client.get(f"/applications/{reported}/forms/review_form").get_data(as_text=True)
    assert "张晓燕" in page and DEMO_PERSON_ID not in page and MASKED in page
    response = client.get(f"/applications/{reported}/forms/review_form.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = _pdf_text(response.data)
    assert "张晓燕" in text and DEMO_PERSON_ID not in text and MASKED in text


def test_the_holder_sees_the_full_number_in_both(app, reported):
    client = _client(app, "demo_person")
    assert DEMO_PERSON_ID in client.get(f"/applications/{reported}/forms/review_form").get_data(as_text=True)
    response = client.get(f"/applications/{reported}/forms/review_form.pdf")
    assert response.status_code == 200 and DEMO_PERSON_ID in _pdf_text(response.data)
