"""Two 新增申报信息 of one person at once: when the check in the command cannot see the other request's row
yet, the unique index refuses the second insert, and the person gets the refusal naming the first one
(never a 500 and never two open applications)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.commands.applications import create as create_module
from app.commands.applications.commitment import AgreeCommitmentCommand
from app.commands.errors import NotAllowed
from app.extensions import db
from app.models.applications import Application
from tests.factories import make_application, make_person
from tests.integration.test_applications import base_form, catalog_ids


def test_a_lost_race_gets_the_named_refusal(app, demo, clock, monkeypatch):
    ids = catalog_ids(app)
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="demo_person")
        AgreeCommitmentCommand(user, "review").run()
        first = make_application(user, status="draft")  # committed by the "other" request
        real = create_module.open_application
        calls = []

        def not_yet_visible(*args):
            calls.append(args)
            return None if len(calls) == 1 else real(*args)

        monkeypatch.setattr(create_module, "open_application", not_yet_visible)
        with pytest.raises(NotAllowed) as err:
            create_module.CreateApplicationCommand(user, "review", base_form(ids)).run()
        assert f"第 {first.id} 号申报" in str(err.value.message) or f"No. {first.id}" in str(err.value.message)
        assert len(calls) == 2  # the command looked again after the index refused the row
        assert db.session.execute(select(func.count(Application.id))).scalar() == 1


def test_another_persons_application_does_not_block(app, demo, clock):
    ids = catalog_ids(app)
    with app.app_context():
        other = make_person(username="lisi", id_number="110105198001010032", real_name="李四")
        make_application(other, status="pending_unit")
        user = app.appbuilder.sm.find_user(username="demo_person")
        AgreeCommitmentCommand(user, "review").run()
        create_module.CreateApplicationCommand(user, "review", base_form(ids)).run()
        assert db.session.execute(select(func.count(Application.id))).scalar() == 2
