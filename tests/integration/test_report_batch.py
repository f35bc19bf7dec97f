"""数据上报 writes a selection in batches: the SQL statements of one 数据上报 do not grow with the number of
applications selected (50 against 5), but for the compare-and-set UPDATE of each application (one
statement per versioned row, how SQLAlchemy checks that each matched)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select, text

from app.extensions import db
from app.models.applications import Application, ApplicationEvent, ApplicationStep
from app.models.audit import AuditLog
from app.models.notify import Notification
from app.models.units import ReportingPath, Unit
from app.services import steps
from tests.conftest import login
from tests.factories import id_number, make_application, make_person, make_unit_account, permitted_unit
from tests.integration.test_query_counts import count_statements


@pytest.fixture
def held(app, clock):
    """unit1 with an effective path to sup1; `held(first, n)` gives it n passed applications (one applicant each)."""
    with app.app_context():
        unit = permitted_unit(make_unit_account("unit1", "威海市环翠区测试文化馆"))
        superior = permitted_unit(make_unit_account("sup1", "威海市文化和旅游局（测试）", region_code="371000"))
        unit_id, superior_id = unit.id, superior.id

    def make(first: int, n: int) -> list[int]:
        with app.app_context():
            unit = db.session.get(Unit, unit_id)
            ids = []
            for k in range(first, first + n):
                person = make_person(username=f"p{k}", id_number=id_number(100 + k), real_name=f"申报人{k:02d}")
                application = make_application(person, unit=unit, status="passed_unit", current_unit_id=unit_id,
                                               submitted_at=dt.datetime(2026, 3, 2, 8, k % 60))
                steps.arrive(application, unit_id)
                ids.append(application.id)
            db.session.flush()
            if db.session.execute(select(ReportingPath)).first() is None:
                sample = db.session.get(Application, ids[0])
                db.session.add(ReportingPath(unit_id=unit_id, business_set="review", series_id=sample.series_id,
                                             level_id=sample.level_id, target_unit_id=superior_id,
                                             status="effective", created_at=dt.datetime(2026, 1, 1)))
            db.session.commit()
            return ids
    return make


def _report(app, client, ids: list[int]) -> list[str]:
    page = client.post("/report/report", data={"ids": ids}).get_data(as_text=True)
    plan = re.search(r'name="plan" value="([^"]*)"', page).group(1)
    with count_statements(app) as seen:
        response = client.post("/report/report", data={"ids": ids, "confirm": "1", "plan": plan})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return seen


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_report_of_50_costs_the_statements_of_5(app, held):
    few_ids, many_ids = held(1, 5), held(10, 50)
    client = app.test_client()
    assert login(client, "unit1").status_code == 302
    few, many = _report(app, client, few_ids), _report(app, client, many_ids)

    def cas(seen):
        return [s for s in seen if s.lstrip().upper().startswith("UPDATE APPLICATION SET")]

    others_few = [s for s in few if s not in cas(few)]
    others_many = [s for s in many if s not in cas(many)]
    assert len(others_many) == len(others_few), (len(others_few), len(others_many))
    # the compare-and-set UPDATE of each application: SQLAlchemy sends versioned UPDATEs one by one
    assert (len(cas(few)), len(cas(many))) in {(1, 1), (5, 50)}
    # everything was written, each row once: the status, the steps, a timeline event, an audit row, a message
    every = few_ids + many_ids
    assert _count(app, Application, Application.id.in_(every), Application.status == "pending_unit") == 55
    assert _count(app, ApplicationEvent, ApplicationEvent.action == "report") == 55
    assert _count(app, AuditLog, AuditLog.action == "application.report") == 55
    assert _count(app, ApplicationStep, ApplicationStep.outcome == "reported") == 55
    assert _count(app, ApplicationStep, ApplicationStep.application_id.in_(every), ApplicationStep.outcome == "") == 55
    # one message per applicant, and one per 数据上报 to the receiving unit
    assert _count(app, Notification) == 55 + 2


@pytest.mark.parametrize("tab", ["entrusted", "not_entrusted", "reported"])
def test_tab_rows_are_read_from_application_alone(app, held, tab):
    """The page's query joins nothing (quick to plan, walks the tab's index in order); what a row shows is
    loaded by id afterwards."""
    held(1, 3)
    client = app.test_client()
    assert login(client, "unit1").status_code == 302
    with count_statements(app) as seen:
        assert client.get(f"/report/?tab={tab}").status_code == 200
    pages = [s for s in seen if "FROM application" in s and "LIMIT" in s and "count(" not in s]
    assert len(pages) == 1, pages
    assert " JOIN " not in pages[0].upper(), pages[0]


def test_postgresql_knows_the_tab_columns_are_correlated(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("extended statistics are PostgreSQL's; SQLite has none")
        names = db.session.execute(text("SELECT stxname FROM pg_statistic_ext")).scalars().all()
    assert "st_application_unit_status_entrusted" in names
