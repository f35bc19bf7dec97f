"""The benchmark's complete drafts (bench/drafts.py) stay submittable: the real 确认申报 accepts each of them
once, for this year and for the oldest year an applicant holds, and the bench's draft pool hands a draft
to one client only."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.extensions import db
from app.models.applications import Application
from app.models.catalog import Region
from bench import drafts
from bench.posts import Applicant, DraftPool
from tests.conftest import login


def test_the_bench_drafts_are_accepted_by_the_real_submission_once(app, client, demo):
    with app.app_context():
        region_id = db.session.execute(select(Region.id).where(Region.code == "371002")).scalar_one()
        built = drafts.build(dt.datetime(2026, 11, 22), 31, region_id)
        db.session.commit()
    assert [len(ids) for _user, ids in built] == [drafts.YEARS_EACH, drafts.YEARS_EACH]
    username, ids = built[1]
    assert login(client, username).status_code == 302
    for application_id in (ids[0], ids[-1]):  # this year's draft and the oldest one
        assert client.get(f"/applications/{application_id}").status_code == 200
        answer = client.post(f"/applications/{application_id}/submit")
        assert answer.status_code == 302, answer.get_data(as_text=True)[-2000:]
        assert answer.headers["Location"].endswith(f"/applications/{application_id}/timeline")
        again = client.post(f"/applications/{application_id}/submit")
        assert again.status_code != 302
    with app.app_context():
        statuses = dict(db.session.execute(select(Application.id, Application.status)
                                           .where(Application.id.in_(ids))).all())
    assert statuses[ids[0]] == statuses[ids[-1]] == "pending_unit"
    assert sorted(set(statuses.values())) == ["draft", "pending_unit"]
    assert list(statuses.values()).count("pending_unit") == 2


def test_the_draft_pool_hands_each_applicant_to_one_client_and_counts_running_out():
    pool = DraftPool([Applicant("session=a", [1, 2]), Applicant("session=b", [3])])
    first, second = pool.take(), pool.take()
    assert {first.jar["session"], second.jar["session"]} == {"a", "b"}
    assert pool.take() is None and pool.ran_out == 1  # both are held by clients
    first.drafts.clear()
    pool.give_back(first)  # spent: not offered again
    second.drafts.popleft()
    pool.give_back(second)
    assert pool.left() == 0 and pool.take() is None and pool.ran_out == 2
