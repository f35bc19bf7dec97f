"""SPEC §7 M1–M4 end to end through the pages: three applications reported to the demo committee pass 资格复审,
join a meeting whose experts are drawn (回避 recorded), are scored online; the vote is refused without a quorum,
then held with 7 present (5 同意 pass, 4 do not, a paper ballot counted), published for 5 working days across
the 2026 National Day holiday, one objection upheld, and ended by the scheduler's job (run twice) to
评审通过 / 评审未通过 and the committee's certificates."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from app.extensions import db
from app.models.applications import Application, ApplicationEvent
from app.models.certificates import Certificate
from app.models.committee import Assignment, ExpertDraw
from app.models.committee_vote import VoteResult
from app.models.notify import Notification
from tests.committee_factories import demo_committee, reported_application, unit_named
from tests.conftest import login

CULTURE_CENTRE, BUREAU_OF_CULTURE = "威海市环翠区文化馆", "威海市环翠区文化和旅游局"


def _client(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302, username
    return client


def _at(clock, day: dt.date):
    clock.now = dt.datetime.combine(day, dt.time(2, 0))  # 10:00 in Beijing


def _status(app, application_id):
    with app.app_context():
        return db.session.get(Application, application_id).status


def _prepare(app, clock, office):
    """Three applications through 资格复审 into a meeting with 8 drawn experts, one online score, review closed."""
    _at(clock, dt.date(2026, 9, 21))
    with app.app_context():
        centre, superior = unit_named(CULTURE_CENTRE), unit_named(BUREAU_OF_CULTURE)
        ids = [reported_application(n, centre, chain=(superior,), real_name=name).id
               for n, name in ((1, "王通过"), (2, "李未过"), (3, "赵异议"))]
    for application_id in ids:
        assert office.post(f"/committee/{application_id}/decide", data={"action": "pass"}).status_code == 302
    created = office.post("/committee/meetings/new", data={"name": "2026年群众文化初级评审会", "held_on": "2026-09-29",
                                                            "place": "环翠区文化馆三楼", "expert_count": "8"})
    meeting_id = int(created.headers["Location"].rstrip("/").split("/")[-1])
    assert office.post(f"/committee/meetings/{meeting_id}/add",
                       data={"application_ids": [str(i) for i in ids]}).status_code == 302
    assert office.post(f"/committee/meetings/{meeting_id}/draw").status_code == 302
    with app.app_context():
        record = db.session.execute(select(ExpertDraw).filter_by(meeting_id=meeting_id)).scalar_one()
        assert [name for _id, name, reason in record.excluded if reason == "applicant_unit"] == ["刘建国"]
        seats = db.session.execute(select(Assignment).filter_by(meeting_id=meeting_id)
                                   .order_by(Assignment.id)).scalars().all()
        experts = [(a.id, a.expert.user.username) for a in seats]
    assert len(experts) == 8 and "demo_expert1" not in [u for _a, u in experts]
    scorer = _client(app, experts[0][1])
    assert scorer.post(f"/expert/{meeting_id}/answer", data={"action": "accept", "agree": "1"}).status_code == 302
    assert scorer.post(f"/expert/{meeting_id}/applications/{ids[0]}/score",
                       data={"score": "88", "opinion": "业绩突出"}).status_code == 302
    assert office.post(f"/committee/meetings/{meeting_id}/close").status_code == 302
    return meeting_id, ids, experts


def test_from_eligibility_to_certificates(app, login_as, clock):
    from app.scheduler import finalize_publicity

    office = login_as("demo_committee")
    meeting_id, (passed, failed, objected), experts = _prepare(app, clock, office)
    _at(clock, dt.date(2026, 9, 28))
    office = _client(app, "demo_committee")
    early = office.post(f"/committee/meetings/{meeting_id}/attendance", data={"present": [str(experts[0][0])]})
    assert early.status_code == 400 and "请在会议当天（2026-09-29）签到" in early.get_data(as_text=True)
    _at(clock, dt.date(2026, 9, 29))
    office = _client(app, "demo_committee")

    # 5 of 8 present: no quorum (5 × 3 < 8 × 2), the vote stays closed
    office.post(f"/committee/meetings/{meeting_id}/attendance", data={"present": [str(a) for a, _u in experts[:5]]})
    refused = office.post(f"/committee/meetings/{meeting_id}/open-vote")
    assert refused.status_code == 400 and "到会人数不足：抽取专家 8 名，到会 5 名" in refused.get_data(as_text=True)
    office.post(f"/committee/meetings/{meeting_id}/attendance", data={"present": [str(a) for a, _u in experts[:7]]})
    assert office.post(f"/committee/meetings/{meeting_id}/open-vote").status_code == 302

    absent = _client(app, experts[7][1])
    assert absent.post(f"/expert/{meeting_id}/vote/{passed}", data={"choice": "agree"}).status_code == 400
    # the first application: 5 同意 of 7 present; the second: 4 同意
    for n, (_seat, username) in enumerate(experts[:7]):
        voter = _client(app, username)
        for application_id, agree in ((passed, 5), (failed, 4)):
            choice = "agree" if n < agree else ("against" if n < 6 else "abstain")
            assert voter.post(f"/expert/{meeting_id}/vote/{application_id}", data={"choice": choice}).status_code == 302
    again = voter.post(f"/expert/{meeting_id}/vote/{passed}", data={"choice": "against"})
    assert again.status_code == 400 and "您已对该申报投票" in again.get_data(as_text=True)
    # the third by a paper ballot: at most the 7 present
    too_many = office.post(f"/committee/meetings/{meeting_id}/paper/{objected}",
                           data={"agree": "6", "against": "2", "abstain": "0"})
    assert "票数合计超过到会专家人数（7 名）" in too_many.get_data(as_text=True)
    assert office.post(f"/committee/meetings/{meeting_id}/paper/{objected}",
                       data={"agree": "6", "against": "1", "abstain": "0"}).status_code == 302
    assert office.post(f"/committee/meetings/{meeting_id}/close-vote").status_code == 302
    with app.app_context():
        rows = {r.application_id: (r.agree, r.against, r.abstain, r.passed)
                for r in db.session.execute(select(VoteResult)).scalars()}
    assert rows == {passed: (5, 1, 1, True), failed: (4, 2, 1, False), objected: (6, 1, 0, True)}
    # closed: neither a ballot nor paper counts change anything
    assert absent.post(f"/expert/{meeting_id}/vote/{failed}", data={"choice": "agree"}).status_code == 400
    late = office.post(f"/committee/meetings/{meeting_id}/paper/{failed}", data={"agree": "7", "against": "0",
                                                                                 "abstain": "0"})
    assert late.status_code == 400 and "该会议尚未开始投票" in late.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(VoteResult, db.session.execute(select(VoteResult.id).filter_by(
            application_id=failed)).scalar()).agree == 4

    # publicity from Tue 29 Sep: 30 Sep, then 1–7 Oct are holidays, 8, 9, Sat 10 Oct (a make-up working day), 12 Oct
    assert office.post(f"/committee/meetings/{meeting_id}/publish").status_code == 302
    visitor = app.test_client()
    assert "评审结果公示" in visitor.get("/login/").get_data(as_text=True)
    page = visitor.get("/publicity/").get_data(as_text=True)
    assert "公示期：2026-09-29 至 2026-10-12" in page and "王通过" in page and "赵异议" in page
    assert "李未过" not in page and "威海市环翠区群众文化专业职务资格初级评审委员会" in page
    with app.app_context():
        id_numbers = [a.person.id_number for a in db.session.execute(select(Application)).scalars()]
    assert not any(number in page or number[:6] + "********" in page for number in id_numbers)
    missing = visitor.post(f"/publicity/{meeting_id}/objection", data={"application_id": str(objected), "text": "论文抄袭"})
    assert missing.status_code == 400 and "请填写联系方式" in missing.get_data(as_text=True)
    assert visitor.post(f"/publicity/{meeting_id}/objection", data={
        "application_id": str(objected), "contact": "13811112222", "text": "代表作存在抄袭"}).status_code == 302
    vote_page = office.get(f"/committee/meetings/{meeting_id}/vote").get_data(as_text=True)
    assert "代表作存在抄袭" in vote_page
    with app.app_context():
        from app.models.committee_vote import Objection

        objection_id = db.session.execute(select(Objection.id)).scalar_one()
    no_reason = office.post(f"/committee/meetings/{meeting_id}/objections/{objection_id}", data={"decision": "uphold"})
    assert "请填写异议成立的理由" in no_reason.get_data(as_text=True)
    assert office.post(f"/committee/meetings/{meeting_id}/objections/{objection_id}",
                       data={"decision": "uphold", "reason": "经核实代表作抄袭"}).status_code == 302
    assert "赵异议" not in visitor.get("/publicity/").get_data(as_text=True)
    assert "评审未通过（异议成立）" in office.get(f"/committee/meetings/{meeting_id}/vote").get_data(as_text=True)

    # the last day of publicity: the job does nothing; the day after it ends the period, once
    _at(clock, dt.date(2026, 10, 12))
    assert finalize_publicity(app) == 0 and _status(app, passed) == "in_meeting"
    _at(clock, dt.date(2026, 10, 13))
    assert finalize_publicity(app) == 1
    assert finalize_publicity(app) == 0
    assert (_status(app, passed), _status(app, failed), _status(app, objected)) == \
        ("certified", "review_failed", "review_failed")
    with app.app_context():
        # (the demo data hold one certificate of demo_person, tied to no application)
        certificate = db.session.execute(select(Certificate).where(Certificate.application_id.is_not(None))).scalar_one()
        assert (certificate.application_id, certificate.published_on, certificate.issuer_kind) == \
            (passed, dt.date(2026, 10, 12), "committee")
        assert certificate.issuer_name == demo_committee().name and certificate.holder_name == "王通过"
        assert certificate.status == "valid" and len(certificate.verify_code) >= 10  # what /verify looks up
        actions = db.session.execute(select(ApplicationEvent.action).filter_by(application_id=passed)
                                     .order_by(ApplicationEvent.id)).scalars().all()
        assert actions[-2:] == ["review_pass", "certify"]
        assert db.session.execute(select(ApplicationEvent.opinion).filter_by(
            application_id=objected, action="review_fail")).scalar_one() == "经核实代表作抄袭"
        told = db.session.execute(select(Notification.title).where(Notification.title.like("您的职称评审结果%"))
                                  ).scalars().all()
        assert sorted(told) == ["您的职称评审结果：未通过"] * 2 + ["您的职称评审结果：通过"]
        assert db.session.execute(select(func.count(Certificate.id)).where(
            Certificate.application_id.in_([passed, failed, objected]))).scalar() == 1
    assert "已发证" in _client(app, "applicant1").get("/applications/").get_data(as_text=True)
    assert "评审未通过" in _client(app, "applicant3").get("/applications/").get_data(as_text=True)
