"""SPEC §7 M1–M1c through the pages: 资格复审 (通过, 退回 to the reporting unit with marks), the expert pool, a
meeting with a recorded draw (回避 of the applicant's unit and chain, over many draws), a decline replaced by a
second draw, and online scores that the office sees only once the online review is closed."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from app.models.applications import Application, ApplicationSection
from app.models.committee import Assignment, Expert, ExpertDraw, Meeting, Score
from app.models.notify import Notification
from tests.committee_factories import add_expert, demo_committee, reported_application, unit_named
from tests.conftest import PASSWORD, login

CULTURE_CENTRE = "威海市环翠区文化馆"  # demo_unit, where demo_expert1 works
BUREAU_OF_CULTURE = "威海市环翠区文化和旅游局"  # demo_superior, above it on the reporting chain


def _reported(app, seq=1, chain=True):
    with app.app_context():
        unit = unit_named(CULTURE_CENTRE)
        superior = unit_named(BUREAU_OF_CULTURE)
        application = reported_application(seq, superior if not chain else unit, chain=(superior,) if chain else ())
        return application.id


def _meeting(client, name="2026年群众文化初级评审会", count=3, **extra):
    held_on = (utcnow().date() + dt.timedelta(days=10)).isoformat()
    response = client.post("/committee/meetings/new", data={"name": name, "held_on": held_on, "place": "环翠区文化馆三楼",
                                                             "expert_count": str(count), **extra})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def _status(app, application_id):
    with app.app_context():
        return db.session.get(Application, application_id).status


def test_eligibility_pass_and_return_to_the_reporting_unit(app, login_as):
    passed, returned = _reported(app, 1), _reported(app, 2)
    client = login_as("demo_committee")
    page = client.get("/committee/").get_data(as_text=True)
    assert "申报人1" in page and "申报人2" in page and BUREAU_OF_CULTURE in page  # 呈报单位: the top of the chain
    show = client.get(f"/committee/{passed}").get_data(as_text=True)
    assert "110105********" in show and "11010519800101" not in show  # the ID number is masked
    assert client.post(f"/committee/{passed}/decide", data={"action": "pass"}).status_code == 302
    assert _status(app, passed) == "eligible"

    # a return needs a reason for the section it marks; without one nothing changes
    missing = client.post(f"/committee/{returned}/decide", data={"action": "return", "verdict_education": "fail"})
    assert "请填写不通过原因" in missing.get_data(as_text=True) and _status(app, returned) == "pending_committee"
    done = client.post(f"/committee/{returned}/decide", data={
        "action": "return", "verdict_education": "fail", "reason_education": "学信网验证码无效", "opinion": "请核实"})
    assert done.status_code == 302
    with app.app_context():
        application = db.session.get(Application, returned)
        assert application.status == "pending_unit"
        assert application.current_unit_id == unit_named(BUREAU_OF_CULTURE).id  # one level down: who reported it
        mark = db.session.execute(select(ApplicationSection).filter_by(application_id=returned,
                                                                       section="education")).scalar_one()
        assert (mark.status, mark.reason) == ("rejected", "学信网验证码无效")
    superior = app.test_client()
    login(superior, "demo_superior")
    queue = superior.get("/review/?status=pending_unit").get_data(as_text=True)
    assert "申报人2" in queue
    assert "学信网验证码无效" in superior.get(f"/review/{returned}").get_data(as_text=True)  # the unit sees the mark


def test_bureau_reads_the_lists_but_cannot_decide(app, login_as):
    application_id = _reported(app, 3)
    client = login_as("demo_bureau")
    assert "申报人3" in client.get("/committee/").get_data(as_text=True)
    assert client.get(f"/committee/{application_id}").status_code == 200
    assert client.post(f"/committee/{application_id}/decide", data={"action": "pass"}).status_code == 403
    assert _status(app, application_id) == "pending_committee"


def test_meeting_draw_recusal_scores_and_progress(app, login_as):
    application_id = _reported(app, 4)
    office = login_as("demo_committee")
    assert office.post(f"/committee/{application_id}/decide", data={"action": "pass"}).status_code == 302
    meeting_id = _meeting(office, count=5)
    assert office.post(f"/committee/meetings/{meeting_id}/add",
                       data={"application_ids": [str(application_id)]}).status_code == 302
    assert _status(app, application_id) == "in_meeting"
    assert office.post(f"/committee/meetings/{meeting_id}/draw").status_code == 302
    with app.app_context():
        record = db.session.execute(select(ExpertDraw).filter_by(meeting_id=meeting_id)).scalar_one()
        excluded = {name: reason for _id, name, reason in record.excluded}
        assert excluded == {"刘建国": "applicant_unit"}  # demo_expert1 works at the applicant's unit
        assert (record.candidates, record.wanted, len(record.drawn), record.by_id is not None) == (8, 5, 5, True)
        seats = db.session.execute(select(Assignment).filter_by(meeting_id=meeting_id)).scalars().all()
        drawn_users = [a.expert.user.username for a in seats]
        assert len(seats) == 5 and "demo_expert1" not in drawn_users
        told = db.session.execute(select(Notification.user_id).where(
            Notification.title == "您被抽取为评审会议专家")).scalars().all()
        assert sorted(told) == sorted(a.expert.user_id for a in seats)
    page = office.get(f"/committee/meetings/{meeting_id}").get_data(as_text=True)
    assert "刘建国（回避：任职于申报人单位或其上报路径上的单位）" in page

    expert = app.test_client()
    login(expert, drawn_users[0])
    assert expert.get(f"/expert/{meeting_id}/applications/{application_id}").status_code == 404  # pledge first
    assert expert.post(f"/expert/{meeting_id}/answer", data={"action": "accept"}).status_code == 200  # not ticked
    assert expert.post(f"/expert/{meeting_id}/answer", data={"action": "accept", "agree": "1"}).status_code == 302
    review = expert.get(f"/expert/{meeting_id}/applications/{application_id}").get_data(as_text=True)
    assert "申报人4" in review and "110105********" in review
    bad = expert.post(f"/expert/{meeting_id}/applications/{application_id}/score",
                      data={"score": "101", "opinion": "材料齐全"})
    assert "请输入 0 到 100 之间的整数" in bad.get_data(as_text=True)
    assert expert.post(f"/expert/{meeting_id}/applications/{application_id}/score",
                       data={"score": "86", "opinion": "业绩突出，材料齐全"}).status_code == 302

    page = office.get(f"/committee/meetings/{meeting_id}").get_data(as_text=True)
    assert "5 名专家中已完成 1 名" in page and "业绩突出" not in page  # progress only, no scores yet
    assert office.post(f"/committee/meetings/{meeting_id}/close").status_code == 302
    page = office.get(f"/committee/meetings/{meeting_id}").get_data(as_text=True)
    assert "业绩突出，材料齐全" in page and ">86<" in page
    late = expert.post(f"/expert/{meeting_id}/applications/{application_id}/score",
                       data={"score": "60", "opinion": "改分"})
    assert late.status_code == 200
    with app.app_context():
        assert db.session.execute(select(Score.score)).scalar_one() == 86


def test_the_draw_never_takes_an_expert_to_be_recused_over_many_draws(app, demo, ctx):
    from app.commands.committee.draw import draw

    committee = demo_committee()
    centre, superior = unit_named(CULTURE_CENTRE), unit_named(BUREAU_OF_CULTURE)
    application = reported_application(5, centre, chain=(superior,))
    application.status = "in_meeting"
    # a pool of its own: two free experts, and one for each reason to be left out
    db.session.execute(Expert.__table__.update().values(status="out_of_pool"))
    free = [add_expert(committee, n, f"专家{n}", f"无关单位{n}").id for n in (1, 2, 3)]
    chain = add_expert(committee, 4, "上级单位专家", BUREAU_OF_CULTURE, unit=superior).id
    same_name = add_expert(committee, 5, "同名单位专家", f" {CULTURE_CENTRE} ").id  # not registered, same unit name
    ended = add_expert(committee, 6, "聘期已满专家", "无关单位6", term_end=utcnow().date() - dt.timedelta(days=1)).id
    applicant = add_expert(committee, 7, "申报人本人", "无关单位7", id_no=application.person.id_number).id
    retired = add_expert(committee, 8, "已出库专家", "无关单位8", status="out_of_pool").id
    from app.models.committee import MeetingApplication

    now = utcnow()
    meeting = Meeting(committee_id=committee.id, name="回避测试", held_on=now.date() + dt.timedelta(days=5),
                      place="会议室", expert_count=2, status="reviewing", created_at=now, updated_at=now, version=1)
    db.session.add(meeting)
    db.session.flush()
    db.session.add(MeetingApplication(meeting_id=meeting.id, application_id=application.id, added_at=now))
    db.session.commit()
    seen = set()
    for _ in range(60):
        record = draw(meeting, 2, None, kind="first")
        reasons = {expert_id: reason for expert_id, _name, reason in record.excluded}
        assert reasons == {chain: "applicant_unit", same_name: "applicant_unit", ended: "term_ended",
                           applicant: "applicant"}
        assert record.candidates == 3 and len(record.drawn) == 2
        seen |= {expert_id for expert_id, _name in record.drawn}
        db.session.rollback()
    assert seen == set(free)  # random among the candidates, and nobody else (retired never a candidate)
    assert retired not in seen


def test_a_decline_is_replaced_by_a_recorded_second_draw(app, login_as):
    application_id = _reported(app, 6)
    office = login_as("demo_committee")
    office.post(f"/committee/{application_id}/decide", data={"action": "pass"})
    meeting_id = _meeting(office, count=7)
    office.post(f"/committee/meetings/{meeting_id}/add", data={"application_ids": [str(application_id)]})
    office.post(f"/committee/meetings/{meeting_id}/draw")
    with app.app_context():
        first = db.session.execute(select(Assignment).filter_by(meeting_id=meeting_id)
                                   .order_by(Assignment.id)).scalars().first()
        decliner, decliner_id = first.expert.user.username, first.expert_id
    expert = app.test_client()
    login(expert, decliner)
    assert "请填写原因" in expert.post(f"/expert/{meeting_id}/answer", data={"action": "decline"}).get_data(as_text=True)
    assert expert.post(f"/expert/{meeting_id}/answer",
                       data={"action": "decline", "reason": "会议当日出差"}).status_code == 302
    with app.app_context():
        seats = db.session.execute(select(Assignment).filter_by(meeting_id=meeting_id)).scalars().all()
        assert sorted(a.status for a in seats) == ["declined"] + ["drawn"] * 7
        second = db.session.execute(select(ExpertDraw).filter_by(meeting_id=meeting_id, kind="replacement")).scalar_one()
        assert second.replaces_assignment_id == first.id and len(second.drawn) == 1
        assert [decliner_id, first.expert.name, "declined"] in second.excluded
    # the pool is now used up (8 candidates, 8 drawn): another decline is recorded with nobody drawn
    with app.app_context():
        other = db.session.execute(select(Assignment).filter_by(meeting_id=meeting_id, status="drawn")
                                   .order_by(Assignment.id)).scalars().first().expert.user.username
    expert = app.test_client()
    login(expert, other)
    assert expert.post(f"/expert/{meeting_id}/answer", data={"action": "conflict", "reason": "与申报人同事"}).status_code == 302
    with app.app_context():
        last = db.session.execute(select(ExpertDraw).filter_by(meeting_id=meeting_id)
                                  .order_by(ExpertDraw.id.desc())).scalars().first()
        assert last.kind == "replacement" and last.drawn == []
    assert "补抽专家" in office.get(f"/committee/meetings/{meeting_id}").get_data(as_text=True)


def test_a_decision_on_a_stale_page_and_a_second_draw_change_nothing(app, login_as):
    from app.models.applications import ApplicationEvent

    application_id = _reported(app, 7)
    office = login_as("demo_committee")
    colleague = app.test_client()
    login(colleague, "demo_committee")
    assert colleague.post(f"/committee/{application_id}/decide", data={"action": "pass"}).status_code == 302
    # the first page still shows 待评审: its 退回 is refused, nothing is marked or moved
    stale = office.post(f"/committee/{application_id}/decide", data={
        "action": "return", "verdict_education": "fail", "reason_education": "缺少证书", "seen_status": "pending_committee"})
    assert "该申报已被他人处理（当前状态：资格复审通过）" in stale.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Application, application_id).status == "eligible"
        actions = db.session.execute(select(ApplicationEvent.action).filter_by(application_id=application_id)).scalars()
        assert list(actions) == ["eligibility_pass"]
    meeting_id = _meeting(office, count=2)
    office.post(f"/committee/meetings/{meeting_id}/add", data={"application_ids": [str(application_id)]})
    assert office.post(f"/committee/meetings/{meeting_id}/draw").status_code == 302
    again = office.post(f"/committee/meetings/{meeting_id}/draw")
    assert "本次会议的专家已抽取" in again.get_data(as_text=True)
    # nor can an application join after the draw (回避 was decided on the applications then)
    other = _reported(app, 8)
    office.post(f"/committee/{other}/decide", data={"action": "pass"})
    late = office.post(f"/committee/meetings/{meeting_id}/add", data={"application_ids": [str(other)]})
    assert "会议处于“信息评审中”状态，不能进行此操作" in late.get_data(as_text=True) and _status(app, other) == "eligible"
    with app.app_context():
        assert len(db.session.execute(select(ExpertDraw).filter_by(meeting_id=meeting_id)).all()) == 1
        assert len(db.session.execute(select(Assignment).filter_by(meeting_id=meeting_id)).all()) == 2


def test_the_lists_cost_the_same_statements_for_few_or_many_rows(app, login_as):
    from tests.integration.test_query_counts import count_statements

    office = login_as("demo_committee")

    def statements(url):
        office.get(url)
        with count_statements(app) as seen:
            assert office.get(url).status_code == 200
        return len(seen)

    for seq in (10, 11):
        _reported(app, seq)
    few = statements("/committee/"), statements("/committee/experts/")
    for seq in range(12, 20):
        _reported(app, seq)
    with app.app_context():
        for seq in range(20, 26):
            add_expert(demo_committee(), seq, f"新专家{seq}", "某单位")
    assert (statements("/committee/"), statements("/committee/experts/")) == few


def test_taking_out_and_cancelling_give_the_applications_back(app, login_as):
    first, second = _reported(app, 30), _reported(app, 31)
    office = login_as("demo_committee")
    for application_id in (first, second):
        office.post(f"/committee/{application_id}/decide", data={"action": "pass"})
    meeting_id = _meeting(office)
    office.post(f"/committee/meetings/{meeting_id}/add", data={"application_ids": [str(first), str(second)]})
    assert (_status(app, first), _status(app, second)) == ("in_meeting", "in_meeting")
    assert office.post(f"/committee/meetings/{meeting_id}/remove/{first}").status_code == 302
    assert _status(app, first) == "eligible"
    assert office.post(f"/committee/meetings/{meeting_id}/cancel").status_code == 302
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).status == "cancelled"
    assert _status(app, second) == "eligible"
    # a cancelled meeting takes nothing more, and its applications can join another one
    refused = office.post(f"/committee/meetings/{meeting_id}/add", data={"application_ids": [str(first)]})
    assert "会议处于“已取消”状态，不能进行此操作" in refused.get_data(as_text=True)
    other = _meeting(office, name="补充评审会")
    assert office.post(f"/committee/meetings/{other}/add",
                       data={"application_ids": [str(first), str(second)]}).status_code == 302
    assert (_status(app, first), _status(app, second)) == ("in_meeting", "in_meeting")


PLEDGE_ZH = ["本人坚持公平公正，严格按照评审标准和申报材料进行评审。", "本人对申报材料、评分和评议情况严格保密，不复制、不外传。",
             "本人不接受申报人或其委托人的礼品、请托和说情。", "本人与申报人存在利害关系（同单位、亲属、师生等）的，主动申请回避。"]


def test_a_drawn_expert_reads_the_same_pledge_on_the_page_and_in_the_api(app, login_as):
    application_id = _reported(app, 40)
    office = login_as("demo_committee")
    office.post(f"/committee/{application_id}/decide", data={"action": "pass"})
    meeting_id = _meeting(office, name="承诺书会议", count=1)
    office.post(f"/committee/meetings/{meeting_id}/add", data={"application_ids": [str(application_id)]})
    assert office.post(f"/committee/meetings/{meeting_id}/draw").status_code == 302
    with app.app_context():
        drawn = db.session.execute(select(Assignment).filter_by(meeting_id=meeting_id)).scalar_one().expert.user.username
    expert = app.test_client()
    login(expert, drawn)
    page = expert.get(f"/expert/{meeting_id}").get_data(as_text=True)
    assert all(clause in page for clause in PLEDGE_ZH)
    api = app.test_client()
    headers = {"Authorization": "Bearer " + api.post("/api/v1/security/login", json={
        "username": drawn, "password": PASSWORD, "provider": "db"}).get_json()["access_token"]}
    task = api.get(f"/api/v1/expert_tasks/{meeting_id}", headers=headers).get_json()["result"]
    assert task["pledge"] == PLEDGE_ZH and "applications" not in task
    assert api.post(f"/api/v1/expert_tasks/{meeting_id}/pledge", json={"agree": True}, headers=headers).status_code == 200
    task = api.get(f"/api/v1/expert_tasks/{meeting_id}", headers=headers).get_json()["result"]
    assert "pledge" not in task and [a["id"] for a in task["applications"]] == [application_id]
    assert not any(clause in expert.get(f"/expert/{meeting_id}").get_data(as_text=True) for clause in PLEDGE_ZH)


def test_each_meeting_step_refuses_a_meeting_in_another_status_and_changes_nothing(app, login_as):
    office = login_as("demo_committee")
    meeting_id = _meeting(office, name="筹备中的会议")
    with app.app_context():
        before = db.session.get(Meeting, meeting_id).version
    refusals = {"attendance": "请在信息评审结束后、投票开始前签到", "open-vote": "信息评审结束后方可开始投票，且只能开始一次",
                "paper/1": "该会议尚未开始投票", "close-vote": "该会议投票已结束，投票内容不能再更改",
                "publish": "只有投票结束的评审结果可以公示，且只公示一次", "objections/1": "异议在公示期间处理"}
    for step, message in refusals.items():
        response = office.post(f"/committee/meetings/{meeting_id}/{step}", data={"agree": "1", "decision": "reject"})
        assert response.status_code == 400 and message in response.get_data(as_text=True), step
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert (meeting.status, meeting.version) == ("preparing", before)


def test_the_eligibility_page_reads_application_alone_by_one_status(app, login_as):
    """The page's query joins nothing and names its tab's status once (with `IN (...)` as well, PostgreSQL could
    not read ix_application_committee_queue in order and sorted the committee's whole tab); what a row shows
    is loaded by id afterwards, and still shown."""
    from tests.integration.test_query_counts import count_statements

    for seq in (10, 11):
        _reported(app, seq)
    office = login_as("demo_committee")
    with count_statements(app) as seen:
        page = office.get("/committee/?status=pending_committee")
    assert page.status_code == 200
    rows = [s for s in seen if "FROM application" in s and "LIMIT" in s and "count(" not in s]
    assert len(rows) == 1, rows
    assert " JOIN " not in rows[0].upper() and " IN (" not in rows[0].split("WHERE", 1)[1].replace(
        "committee_id IN (", ""), rows[0]
    assert page.get_data(as_text=True).count('<tr data-id="') == 2
