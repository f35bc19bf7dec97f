"""The deadline marks of a list page (app/services/periods.marks_for) read one statement whose parts are the
ones the page's rows need: a committee's period, a business period by region, the overdue step. A page
with no row of a kind plans and runs no part for it, and a page mixing all kinds still reads them in one."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.extensions import db
from app.models.applications import Application, ApplicationStep
from app.models.catalog import Region
from app.models.deadlines import BusinessPeriod
from app.services.periods import marks_for
from tests.factories import id_number, make_application, make_person
from tests.integration.test_deadlines import CLOSE, UNIT_CLOSE, world  # noqa: F401 (world is a fixture)
from tests.integration.test_query_counts import count_statements


def _marks_and_statements(app, rows):
    for row in rows:  # loaded before counting, as a list page's rows are
        row.status, row.committee_id, row.business
    with count_statements(app) as seen:
        marks = marks_for(rows)
    return marks, seen


def test_a_page_reads_only_the_parts_its_rows_need(app, clock, world):
    with app.app_context():
        draft, waiting = db.session.get(Application, world["draft"]), db.session.get(Application, world["waiting"])

        marks, seen = _marks_and_statements(app, [draft])  # a committee's draft: its period only
        assert (marks[draft.id].close, marks[draft.id].days_left) == (CLOSE, 20)
        assert len(seen) == 1 and "committee_period" in seen[0], seen
        assert "business_period" not in seen[0] and "application_step" not in seen[0], seen[0]

        reviewed = make_application(make_person("zhouba", id_number(9), "周八"), unit=draft.unit, business="review",
                                    committee_id=None, status="pending_unit", current_unit_id=draft.unit_id,
                                    submitted_at=clock.now)
        db.session.add(ApplicationStep(application_id=reviewed.id, unit_id=draft.unit_id, arrived_at=clock.now,
                                       outcome="", overdue_at=clock.now))
        db.session.flush()
        marks, seen = _marks_and_statements(app, [reviewed])  # no period of its own: the overdue step only
        assert marks[reviewed.id].waited_days == 0 and marks[reviewed.id].close is None
        assert len(seen) == 1 and "application_step" in seen[0], seen
        assert "committee_period" not in seen[0] and "business_period" not in seen[0], seen[0]

        marks, seen = _marks_and_statements(app, [])
        assert marks == {} and seen == []


def test_a_page_mixing_every_kind_reads_them_in_one_statement(app, clock, world):
    with app.app_context():
        city = db.session.execute(select(Region.id).where(Region.code == "371000")).scalar_one()
        db.session.add(BusinessPeriod(business="recognition", region_id=city, year=2026,
                                      starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 20)))
        draft, waiting = db.session.get(Application, world["draft"]), db.session.get(Application, world["waiting"])
        recognition = make_application(make_person("sunqi", id_number(8), "孙七"), unit=draft.unit,
                                       business="recognition", committee_id=None)
        step = db.session.execute(select(ApplicationStep).where(
            ApplicationStep.application_id == waiting.id)).scalar_one()
        step.overdue_at = clock.now
        db.session.flush()
        marks, seen = _marks_and_statements(app, [draft, waiting, recognition])
        assert len(seen) == 1, seen
        assert marks[draft.id].close == CLOSE
        assert (marks[waiting.id].close, marks[waiting.id].waited_days) == (UNIT_CLOSE, 0)
        assert (marks[recognition.id].close, marks[recognition.id].days_left) == (dt.date(2026, 12, 20), 40)
