"""Forged requests on the vote and publicity routes: an expert cannot vote in a meeting they were not drawn
for nor on another meeting's application; an office cannot record attendance, open, count, close, publish,
handle objections or finalize another committee's meeting; the vote keeps no trace of who voted what; the
public objection form has a rate limit per address and a captcha."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect, select

from app.clock import utcnow
from app.extensions import db
from app.models.audit import AuditLog
from app.models.committee import Assignment, Meeting
from app.models.committee_vote import Attendance, MeetingVote, Objection, VoteResult
from tests.security.test_committee_rows import _client, two_committees  # noqa: F401  (the fixture)


def _voting(meeting_id: int, status: str = "voting") -> None:
    """The meeting's seated experts all present, its vote in `status`, a result row per application."""
    meeting = db.session.get(Meeting, meeting_id)
    meeting.status = status
    seats = db.session.execute(select(Assignment).filter_by(meeting_id=meeting_id)).scalars().all()
    for seat in seats:
        db.session.add(Attendance(meeting_id=meeting_id, assignment_id=seat.id))
    today = utcnow().date()
    db.session.add(MeetingVote(meeting_id=meeting_id, seated=len(seats), present=len(seats), opened_at=utcnow(),
                               published_on=today if status == "publicity" else None,
                               publicity_ends_on=today + dt.timedelta(days=7) if status == "publicity" else None,
                               version=1))
    for link in meeting.applications:
        db.session.add(VoteResult(meeting_id=meeting_id, application_id=link.application_id, version=1,
                                  passed=True if status == "publicity" else None))


def _counts(app):
    with app.app_context():
        return sorted((r.application_id, r.agree, r.against, r.abstain, r.source, r.passed, r.overturned)
                      for r in db.session.execute(select(VoteResult)).scalars())


def test_an_expert_votes_only_in_their_own_meeting(app, two_committees):  # noqa: F811
    ids = two_committees
    with app.app_context():
        _voting(ids["meeting_a"])
        _voting(ids["meeting_b"])
        db.session.commit()
    before = _counts(app)
    expert_a = _client(app, "expert1")
    # B's meeting (not drawn for it), and B's application through A's own meeting
    assert expert_a.get(f"/expert/{ids['meeting_b']}/vote").status_code == 404
    assert expert_a.post(f"/expert/{ids['meeting_b']}/vote/{ids['app_b']}", data={"choice": "agree"}).status_code == 404
    assert expert_a.post(f"/expert/{ids['meeting_a']}/vote/{ids['app_b']}", data={"choice": "agree"}).status_code == 404
    # the office is no voter
    office = _client(app, "demo_committee")
    assert office.post(f"/expert/{ids['meeting_a']}/vote/{ids['app_a']}", data={"choice": "agree"}).status_code == 403
    assert _counts(app) == before
    # a real ballot counts, and leaves no trace of its choice in the ballot table or the audit
    assert expert_a.post(f"/expert/{ids['meeting_a']}/vote/{ids['app_a']}", data={"choice": "against"}).status_code == 302
    with app.app_context():
        row = db.session.execute(select(VoteResult).filter_by(application_id=ids["app_a"])).scalar_one()
        assert (row.agree, row.against, row.abstain) == (0, 1, 0)
        columns = {c["name"] for c in inspect(db.engine).get_columns("vote_ballot_cast")}
        assert columns == {"id", "assignment_id", "application_id"}
        audited = db.session.execute(select(AuditLog).filter_by(action="vote.ballot")).scalar_one()
        assert "against" not in f"{audited.from_state}{audited.to_state}{audited.opinion}"
    page = _client(app, "demo_committee").get(f"/committee/meetings/{ids['meeting_a']}/vote").get_data(as_text=True)
    assert "甲专家" not in page  # counts only; no expert beside them


def test_an_office_cannot_run_another_committees_vote(app, two_committees):  # noqa: F811
    ids = two_committees
    with app.app_context():
        _voting(ids["meeting_a"], status="publicity")
        db.session.add(Objection(meeting_id=ids["meeting_a"], application_id=ids["app_a"], contact="13800000000",
                                 text="异议", filed_at=utcnow(), status="pending", version=1))
        db.session.commit()
        objection_id = db.session.execute(select(Objection.id)).scalar_one()
    before = _counts(app)
    office_b = _client(app, "sec_office_b")
    meeting = ids["meeting_a"]
    assert office_b.get(f"/committee/meetings/{meeting}/vote").status_code == 404
    for path, data in (("attendance", {"present": ["1"]}), ("open-vote", {}), (f"paper/{ids['app_a']}",
                       {"agree": "1", "against": "0", "abstain": "0"}), ("close-vote", {}), ("publish", {}),
                       (f"objections/{objection_id}", {"decision": "uphold", "reason": "伪造"}), ("finalize", {})):
        assert office_b.post(f"/committee/meetings/{meeting}/{path}", data=data).status_code == 404, path
    assert _client(app, "expert1").post(f"/committee/meetings/{meeting}/finalize").status_code == 403
    with app.app_context():
        assert db.session.get(Meeting, meeting).status == "publicity"
        assert db.session.get(Objection, objection_id).status == "pending"
    assert _counts(app) == before


def test_the_objection_form_has_a_rate_limit_and_a_captcha(app, two_committees):  # noqa: F811
    ids = two_committees
    with app.app_context():
        _voting(ids["meeting_a"], status="publicity")
        db.session.commit()
    url = f"/publicity/{ids['meeting_a']}/objection"
    data = {"application_id": str(ids["app_a"]), "contact": "13800000000", "text": "材料造假"}
    app.config.update(CAPTCHA_ENABLED=True)
    visitor = app.test_client()
    wrong = visitor.post(url, data=dict(data, captcha="XXXX"))
    assert wrong.status_code == 400 and "验证码" in wrong.get_data(as_text=True)
    app.config.update(CAPTCHA_ENABLED=False, RATE_LIMITS_ENABLED=True, RATELIMIT_OBJECTION_PER_ADDRESS="2/minute")
    statuses = [visitor.post(url, data=data).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    with app.app_context():
        assert len(db.session.execute(select(Objection.id)).all()) == 2
    limited = visitor.post(url, data=data)
    assert limited.status_code == 429 and "操作过于频繁" in limited.get_data(as_text=True)


def test_two_ballots_of_one_seat_at_once_count_once(app, two_committees, monkeypatch):  # noqa: F811
    """The second of two simultaneous ballots passes the 'voted already' check before the first commits; the
    unique index refuses it with a message, not a 500, and the count stays one."""
    from app.daos import committee_vote

    ids = two_committees
    with app.app_context():
        _voting(ids["meeting_a"])
        db.session.commit()
    expert_a = _client(app, "expert1")
    url = f"/expert/{ids['meeting_a']}/vote/{ids['app_a']}"
    assert expert_a.post(url, data={"choice": "agree"}).status_code == 302
    monkeypatch.setattr(committee_vote, "cast_by", lambda assignment_id: set())  # as if the first were in flight
    second = expert_a.post(url, data={"choice": "agree"})
    assert second.status_code == 400 and "您已对该申报投票" in second.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(VoteResult.agree).filter_by(application_id=ids["app_a"])).scalar_one() == 1


def test_the_counts_are_read_by_the_office_and_its_regions_bureau_only(app, two_committees):  # noqa: F811
    from tests.factories import make_backend

    ids = two_committees
    with app.app_context():
        _voting(ids["meeting_a"], status="vote_closed")
        row = db.session.execute(select(VoteResult).filter_by(application_id=ids["app_a"])).scalar_one()
        row.agree, row.against, row.passed = 1, 0, True
        make_backend("sec_bureau_b", "Bureau", region_code="370100")  # 济南: not the demo committee's region
        db.session.commit()
    url = f"/committee/results/{ids['meeting_a']}"
    for username in ("demo_committee", "demo_bureau"):
        page = _client(app, username).get(url)
        assert page.status_code == 200, username
        text = page.get_data(as_text=True)
        assert "甲申报人" in text and "评审通过" in text and "甲专家" not in text
        assert f'data-id="{ids["meeting_a"]}"' in _client(app, username).get("/committee/results/").get_data(as_text=True)
    for username in ("sec_office_b", "sec_bureau_b"):
        client = _client(app, username)
        assert client.get(url).status_code == 404, username
        assert f'data-id="{ids["meeting_a"]}"' not in client.get("/committee/results/").get_data(as_text=True)
    assert _client(app, "expert1").get(url).status_code == 403


def test_ids_beyond_any_row_are_a_message_not_a_500(app, two_committees):  # noqa: F811
    ids, huge = two_committees, "9223372036854775808"  # 2**63: beyond SQLite's INTEGER
    with app.app_context():
        _voting(ids["meeting_a"], status="publicity")
        db.session.commit()
    visitor = app.test_client()
    answer = visitor.post(f"/publicity/{ids['meeting_a']}/objection", data={
        "application_id": huge, "contact": "13800000000", "text": "异议"})
    assert answer.status_code == 400 and "请选择异议对象" in answer.get_data(as_text=True)
    assert visitor.post(f"/publicity/{ids['meeting_a']}/objection", data={
        "application_id": "²", "contact": "13800000000", "text": "异议"}).status_code == 400
    office = _client(app, "demo_committee")
    assert office.post(f"/committee/meetings/{ids['meeting_a']}/objections/{huge}",
                       data={"decision": "reject"}).status_code == 404
    assert office.post(f"/committee/meetings/{ids['meeting_a']}/attendance", data={"present": [huge]}).status_code == 400
    with app.app_context():
        db.session.get(Meeting, ids["meeting_a"]).status = "voting"
        db.session.commit()
    assert _client(app, "expert1").post(f"/expert/{ids['meeting_a']}/vote/{huge}",
                                        data={"choice": "agree"}).status_code == 404
    for count in (huge, "²", "٣"):  # non-ASCII digits are a message too
        assert office.post(f"/committee/meetings/{ids['meeting_a']}/paper/{ids['app_a']}",
                           data={"agree": count, "against": "0", "abstain": "0"}).status_code == 400, count
    with app.app_context():
        assert not db.session.execute(select(Objection.id)).first()
        assert db.session.execute(select(VoteResult.source).filter_by(application_id=ids["app_a"])).scalar() == ""
