"""Same class as hole 1 in the other catalogs: a city bureau sees the general business-section rows (P1)
but may not turn one into an override of its own committee, which would change every committee's modules."""
from __future__ import annotations

from sqlalchemy import select

from app.demo import DEMO_COMMITTEE
from app.extensions import db
from app.models.applications import BusinessSection
from app.models.audit import AuditLog
from app.models.catalog import Committee


def test_city_bureau_cannot_take_over_a_general_business_section(app, ctx, login_as):
    client = login_as("demo_bureau")
    row = db.session.execute(select(BusinessSection).where(BusinessSection.committee_id.is_(None),
                                                           BusinessSection.business == "review")
                             .order_by(BusinessSection.id)).scalars().first()
    own = db.session.execute(select(Committee).where(Committee.name == DEMO_COMMITTEE)).scalar_one()
    row_id, before = row.id, (row.committee_id, row.required, row.position)
    client.post(f"/catalog/business-sections/edit/{row_id}", data={
        "business": row.business, "section": row.section, "position": str(row.position + 7),
        "required": "", "shown": "y", "max_entries": "", "committee": str(own.id), "year": ""})
    db.session.expire_all()
    after = db.session.get(BusinessSection, row_id)
    assert (after.committee_id, after.required, after.position) == before
    assert db.session.execute(select(AuditLog).where(AuditLog.action == "catalog_changed")).first() is None
