"""Row checks of the committee's routes with forged requests (SPEC §1, §7): an office cannot read or touch
another committee's applications, experts or meetings — through the pages, FAB's action_post (which loads
rows without the base filter) or the JSON API; an expert cannot read or score a meeting they were not drawn
for, nor an application outside their meeting, nor its attachments; an anonymous meeting shows no name."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from app.models.applications import Application
from app.models.catalog import Committee, Region
from app.models.committee import Assignment, Expert, ExpertDraw, Meeting, MeetingApplication, Score
from tests.committee_factories import add_expert, demo_committee, reported_application, unit_named
from tests.conftest import PASSWORD, login
from tests.factories import make_backend
from tests.security.conftest import _attach


def _meeting(committee, application, *, anonymous=False):
    now = utcnow()
    meeting = Meeting(committee_id=committee.id, name=f"{committee.name}会议", held_on=now.date() + dt.timedelta(days=3),
                      place="会议室", expert_count=1, anonymous=anonymous, status="reviewing", created_at=now,
                      updated_at=now, version=1)
    db.session.add(meeting)
    db.session.flush()
    application.status = "in_meeting"
    db.session.add(MeetingApplication(meeting_id=meeting.id, application_id=application.id, added_at=now))
    draw = ExpertDraw(meeting_id=meeting.id, at=now, kind="first", wanted=1, candidates=1, excluded=[], drawn=[])
    db.session.add(draw)
    db.session.flush()
    return meeting, draw


def _seat(meeting, draw, expert, status="accepted"):
    db.session.add(Assignment(meeting_id=meeting.id, expert_id=expert.id, draw_id=draw.id, status=status,
                              pledge_accepted_at=utcnow(), reason="", version=1))


@pytest.fixture
def two_committees(app, demo):
    """Committee A (the demo one, office demo_committee) and B (济南, office sec_office_b), each with an
    application reported to it, a meeting covering it and an accepted expert (expert1 in A, expert2 in B);
    A's application has an attachment; B's meeting is anonymous."""
    with app.app_context():
        a = demo_committee()
        b = Committee(name="济南市历下区群众文化专业职务资格初级评审委员会", series_id=a.series_id, level_id=a.level_id,
                      region_id=db.session.execute(select(Region.id).filter_by(code="370102")).scalar_one())
        db.session.add(b)
        db.session.commit()
        make_backend("sec_office_b", "Committee", region_code="370100", committee=b)
        centre = unit_named("威海市环翠区文化馆")
        app_a = reported_application(1, centre, a, real_name="甲申报人")
        app_b = reported_application(2, centre, b, real_name="乙申报人")
        attachment = _attach(app_a.id, "education")
        expert_a = add_expert(a, 1, "甲专家", "无关单位甲")
        expert_b = add_expert(b, 2, "乙专家", "无关单位乙")
        meeting_a, draw_a = _meeting(a, app_a)
        meeting_b, draw_b = _meeting(b, app_b, anonymous=True)
        _seat(meeting_a, draw_a, expert_a)
        _seat(meeting_b, draw_b, expert_b)
        pending = reported_application(3, centre, a, real_name="丙申报人")  # still 待资格复审
        db.session.commit()
        return {"app_a": app_a.id, "app_b": app_b.id, "pending_a": pending.id, "meeting_a": meeting_a.id,
                "meeting_b": meeting_b.id, "expert_a": expert_a.id, "attachment_a": attachment}


def _client(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def _token(app, username):
    return {"Authorization": "Bearer " + app.test_client().post("/api/v1/security/login", json={
        "username": username, "password": PASSWORD, "provider": "db"}).get_json()["access_token"]}


def _state(app, ids):
    with app.app_context():
        return (db.session.get(Application, ids["pending_a"]).status,
                db.session.get(Expert, ids["expert_a"]).status,
                db.session.execute(select(MeetingApplication.meeting_id).filter_by(application_id=ids["pending_a"]))
                .scalar(), db.session.execute(select(Score.id)).first())


def test_an_office_cannot_touch_another_committees_rows(app, two_committees):
    ids, office_b = two_committees, _client(app, "sec_office_b")
    before = _state(app, ids)
    assert office_b.get(f"/committee/{ids['pending_a']}").status_code == 404
    assert office_b.post(f"/committee/{ids['pending_a']}/decide", data={"action": "pass"}).status_code == 404
    assert office_b.post(f"/committee/{ids['pending_a']}/decide", data={
        "action": "return", "verdict_education": "fail", "reason_education": "x"}).status_code == 404
    assert "丙申报人" not in office_b.get("/committee/").get_data(as_text=True)
    assert office_b.get(f"/committee/meetings/{ids['meeting_a']}").status_code == 404
    assert office_b.post(f"/committee/meetings/{ids['meeting_a']}/draw").status_code == 404
    assert office_b.post(f"/committee/meetings/{ids['meeting_a']}/close").status_code == 404
    # its own meeting, another committee's application
    office_b.post(f"/committee/meetings/{ids['meeting_b']}/add", data={"application_ids": [str(ids["pending_a"])]})
    office_b.post(f"/committee/experts/{ids['expert_a']}/pool", data={"action": "retire"})
    # FAB's action_post loads the rows by id without the base filter: the command checks them again
    office_b.post("/committee/fab/applications/action_post",
                  data={"action": "eligibility_pass", "rowid": [str(ids["pending_a"])]})
    office_b.post("/committee/fab/experts/action_post", data={"action": "retire", "rowid": [str(ids["expert_a"])]})
    assert office_b.get(f"/committee/fab/applications/show/{ids['pending_a']}").status_code == 404
    # the JSON API
    headers = _token(app, "sec_office_b")
    api = app.test_client()
    assert api.post(f"/api/v1/committee_applications/{ids['pending_a']}/eligibility", json={"action": "pass"},
                    headers=headers).status_code == 404
    assert api.get(f"/api/v1/committee_applications/{ids['pending_a']}", headers=headers).status_code == 404
    assert api.post(f"/api/v1/committee_applications/meetings/{ids['meeting_b']}",
                    json={"application_ids": [ids["pending_a"]]}, headers=headers).status_code == 404
    assert _state(app, ids) == before == ("pending_committee", "in_pool", None, None)


def test_the_bureau_reads_the_committees_of_its_region_and_changes_nothing(app, two_committees):
    ids = two_committees
    bureau = _client(app, "demo_bureau")  # 威海市: committee A is in its region, B is not
    assert bureau.get(f"/committee/{ids['pending_a']}").status_code == 200
    assert bureau.get(f"/committee/{ids['app_b']}").status_code == 404
    bureau.post("/committee/fab/applications/action_post",
                data={"action": "eligibility_pass", "rowid": [str(ids["pending_a"])]})
    headers = _token(app, "demo_bureau")
    assert app.test_client().post(f"/api/v1/committee_applications/{ids['pending_a']}/eligibility",
                                  json={"action": "pass"}, headers=headers).status_code in (401, 403)
    assert _state(app, ids)[0] == "pending_committee"


def test_an_expert_reads_and_scores_only_their_own_meeting(app, two_committees):
    ids = two_committees
    expert_b = _client(app, "expert2")
    assert expert_b.get(f"/expert/{ids['meeting_a']}").status_code == 404
    assert expert_b.get(f"/expert/{ids['meeting_a']}/applications/{ids['app_a']}").status_code == 404
    assert expert_b.get(f"/expert/{ids['meeting_b']}/applications/{ids['app_a']}").status_code == 404
    assert expert_b.post(f"/expert/{ids['meeting_a']}/applications/{ids['app_a']}/score",
                         data={"score": "90", "opinion": "好"}).status_code == 404
    assert expert_b.post(f"/expert/{ids['meeting_a']}/answer", data={"action": "accept", "agree": "1"}).status_code == 404
    assert expert_b.get(f"/attachments/{ids['attachment_a']}").status_code == 404
    headers = _token(app, "expert2")
    api = app.test_client()
    assert api.get(f"/api/v1/expert_tasks/{ids['meeting_a']}", headers=headers).status_code == 404
    assert api.post(f"/api/v1/expert_tasks/{ids['meeting_a']}/applications/{ids['app_a']}/score",
                    json={"score": 90, "opinion": "好"}, headers=headers).status_code == 404
    assert api.post(f"/api/v1/expert_tasks/{ids['meeting_b']}/applications/{ids['app_a']}/score",
                    json={"score": 90, "opinion": "好"}, headers=headers).status_code == 404
    assert [t["meeting_id"] for t in api.get("/api/v1/expert_tasks/", headers=headers).get_json()["result"]] == \
        [ids["meeting_b"]]
    with app.app_context():
        assert db.session.execute(select(Score.id)).first() is None
    # the expert of meeting A may read A's attachment; nobody else's meeting opens it
    assert _client(app, "expert1").get(f"/attachments/{ids['attachment_a']}").status_code == 200


def test_an_anonymous_meeting_shows_no_name_or_unit_and_the_id_masked(app, two_committees):
    ids = two_committees
    expert_b = _client(app, "expert2")
    for url in (f"/expert/{ids['meeting_b']}", f"/expert/{ids['meeting_b']}/applications/{ids['app_b']}"):
        page = expert_b.get(url).get_data(as_text=True)
        assert "乙申报人" not in page and "威海市环翠区文化馆" not in page and "11010519800101002" not in page
    result = app.test_client().get(f"/api/v1/expert_tasks/{ids['meeting_b']}",
                                   headers=_token(app, "expert2")).get_json()["result"]
    (row,) = result["applications"]
    assert "name" not in row and "unit" not in row and row["id_number"].startswith("110105*")
    # a named meeting shows the name, and the ID number still masked
    page = _client(app, "expert1").get(f"/expert/{ids['meeting_a']}/applications/{ids['app_a']}").get_data(as_text=True)
    assert "甲申报人" in page and "11010519800101001" not in page
