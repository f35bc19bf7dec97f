"""The committee in a real browser (SPEC §7 M1–M1c): as demo_committee, 资格复审通过 of an application reported to
it, a new 评审会议, 加入会议 and 抽取专家 — the draw record names demo_expert1 (刘建国) as left out for the
applicant's unit; then a drawn expert accepts the discipline pledge and scores the application, and the office
sees the progress, and the score once the online review is closed. Screenshots in tests/e2e/artifacts/.

Set up in the database only what the units' chapter (test_unit_chain.py) already walks: an application of
a new applicant of demo_unit, reported through demo_superior to the demo committee."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import pytest
from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_no_problems, screenshot

pytestmark = pytest.mark.e2e


def _reported(app) -> int:
    from tests.committee_factories import reported_application, unit_named

    with app.app_context():
        application = reported_application(1, unit_named("威海市环翠区文化馆"),
                                           chain=(unit_named("威海市环翠区文化和旅游局"),), real_name="孙文艺").id
        db.session.remove()
        return application


def _sign_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("[type=submit]").click()
    assert urlparse(page.url).path == "/", f"{username} was not signed in: {page.url}"


def _click(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_eligibility_meeting_draw_and_online_review(app, demo, strict_page):
    page = strict_page
    application_id = _reported(app)

    _sign_in(page, "demo_committee")
    page.goto("/committee/")
    row = page.locator(f"#committee-queue tr[data-id='{application_id}']")
    assert "威海市环翠区文化和旅游局" in row.inner_text()  # 呈报单位
    _click(page, row.locator("a", has_text="资格复审"))
    screenshot(page, "committee-eligibility")
    _click(page, page.locator("#pass"))
    assert "该申报已通过资格复审" in page.locator(".alert-success").first.inner_text()

    page.goto("/committee/meetings/new")
    page.fill("#name", "2026年度群众文化初级评审会")
    page.fill("#held_on", (utcnow().date() + dt.timedelta(days=7)).isoformat())
    page.fill("#place", "环翠区文化馆三楼会议室")
    page.fill("#expert_count", "3")
    _click(page, page.locator("#save"))
    page.locator(f"#eligible input[value='{application_id}']").check()
    _click(page, page.locator("#add-to-meeting"))
    assert "孙文艺" in page.locator("#meeting-applications").inner_text()
    _click(page, page.locator("#draw"))
    draw = page.locator("#draws tr.draw").first
    assert "刘建国（回避：任职于申报人单位或其上报路径上的单位）" in draw.locator(".excluded").inner_text()
    drawn = draw.locator(".drawn").inner_text()
    screenshot(page, "committee-draw")
    meeting_id = int(urlparse(page.url).path.rstrip("/").split("/")[-1])

    from app.models.committee import Assignment

    with app.app_context():
        expert = db.session.execute(select(Assignment).filter_by(meeting_id=meeting_id)
                                    .order_by(Assignment.id)).scalars().first().expert
        username, name = expert.user.username, expert.name
        db.session.remove()
    assert name in drawn

    _sign_in(page, username)
    page.goto("/expert/")
    _click(page, page.locator(f"#tasks tr[data-meeting='{meeting_id}'] a"))
    page.locator("#agree").check()
    _click(page, page.locator("#accept"))
    _click(page, page.locator(f"#review-applications tr[data-id='{application_id}'] a"))
    assert "110105********" in page.locator("#applicant-id").inner_text()
    page.fill("#score", "88")
    page.fill("#opinion", "群众文化业绩突出，材料齐全")
    screenshot(page, "expert-review")
    _click(page, page.locator("#save-score"))
    assert "88" in page.locator(f"#review-applications tr[data-id='{application_id}'] .my-score").inner_text()

    _sign_in(page, "demo_committee")
    page.goto(f"/committee/meetings/{meeting_id}")
    assert "3 名专家中已完成 1 名" in page.locator("#progress").inner_text()
    assert page.locator("#scores").count() == 0
    _click(page, page.locator("#close-review"))
    assert "群众文化业绩突出" in page.locator("#scores").inner_text()
    screenshot(page, "committee-scores")
    assert_no_problems(page)


def _meeting_after_review(app, usernames) -> tuple[int, int]:
    """A meeting of the demo committee whose online review is closed, covering one application, with three
    demo experts seated (their draw and review are the chapter above)."""
    from app.models.committee import Assignment, Expert, ExpertDraw, Meeting, MeetingApplication
    from tests.committee_factories import demo_committee

    application_id = _reported(app)
    with app.app_context():
        from app.models.applications import Application

        committee, now = demo_committee(), utcnow()
        db.session.get(Application, application_id).status = "in_meeting"
        meeting = Meeting(committee_id=committee.id, name="2026年度群众文化初级评审会（表决）", held_on=now.date(),
                          place="环翠区文化馆三楼会议室", expert_count=3, status="review_closed", created_at=now,
                          updated_at=now, closed_at=now, version=1)
        db.session.add(meeting)
        db.session.flush()
        db.session.add(MeetingApplication(meeting_id=meeting.id, application_id=application_id, added_at=now))
        draw = ExpertDraw(meeting_id=meeting.id, at=now, kind="first", wanted=3, candidates=8, excluded=[], drawn=[])
        db.session.add(draw)
        db.session.flush()
        for username in usernames:
            expert = db.session.execute(select(Expert).join(Expert.user).where(
                Expert.user.has(username=username))).scalar_one()
            db.session.add(Assignment(meeting_id=meeting.id, expert_id=expert.id, draw_id=draw.id, status="accepted",
                                      pledge_accepted_at=now, reason="", version=1))
        db.session.commit()
        meeting_id = meeting.id
        db.session.remove()
    return meeting_id, application_id


def test_vote_publicity_and_certificate(app, demo, strict_page, clock):
    """M2–M4: the office records three experts present and opens the vote; the three vote in their own
    accounts (2 同意 of 3 pass); the office closes and publishes; a visitor finds the public page from the login
    page and files an objection; the office finds it 不成立; after the period the office makes the results
    final and the certificate is issued."""
    page = strict_page
    experts = ("demo_expert2", "demo_expert3", "demo_expert4")
    clock.now = dt.datetime(2026, 9, 29, 2, 0)
    meeting_id, application_id = _meeting_after_review(app, experts)

    _sign_in(page, "demo_committee")
    page.goto(f"/committee/meetings/{meeting_id}")
    _click(page, page.locator("#vote-page"))
    for box in page.locator("#attendance-form input[name=present]").all():
        box.check()
    _click(page, page.locator("#record-attendance"))
    assert "到会专家：3 名（抽取 3 名）" in page.locator("#quorum").inner_text()
    _click(page, page.locator("#open-vote"))
    screenshot(page, "committee-vote-open")

    for username, choice in zip(experts, ("agree", "agree", "against")):
        _sign_in(page, username)
        page.goto("/expert/")
        _click(page, page.locator(f"#tasks tr[data-meeting='{meeting_id}'] .vote-link"))
        row = page.locator(f"#ballot tr[data-id='{application_id}']")
        row.locator(f"input[value={choice}]").check()
        if username == experts[0]:
            screenshot(page, "expert-ballot")
        _click(page, row.locator("button"))
        assert "已投票" in page.locator(f"#ballot tr[data-id='{application_id}']").inner_text()

    _sign_in(page, "demo_committee")
    page.goto(f"/committee/meetings/{meeting_id}/vote")
    _click(page, page.locator("#close-vote"))
    result = page.locator(f"#results tr[data-id='{application_id}']")
    assert (result.locator(".agree").inner_text(), result.locator(".against").inner_text()) == ("2", "1")
    assert result.locator(".result").inner_text() == "评审通过"
    _click(page, page.locator("#publish"))
    assert "2026-09-29 至 2026-10-12" in page.locator("#publicity").inner_text()

    page.context.clear_cookies()
    page.goto("/login/")
    _click(page, page.locator("a", has_text="评审结果公示"))
    assert "孙文艺" in page.locator(f".publicity[data-id='{meeting_id}']").inner_text()
    screenshot(page, "publicity")
    _click(page, page.locator(f".publicity[data-id='{meeting_id}'] a", has_text="提出异议"))
    page.fill("#contact", "13811112222")
    page.fill("#text", "申报材料中的获奖证书存疑")
    _click(page, page.locator("#objection-form [type=submit]"))
    assert "您的异议已收到" in page.locator(".alert-success").first.inner_text()

    _sign_in(page, "demo_committee")
    page.goto(f"/committee/meetings/{meeting_id}/vote")
    form = page.locator(".objection-form").first
    form.locator("select[name=decision]").select_option("reject")
    form.locator("input[name=reason]").fill("经核实获奖证书真实")
    _click(page, form.locator("button"))
    assert "异议不成立" in page.locator("#objections").inner_text()

    clock.now = dt.datetime(2026, 10, 13, 2, 0)
    _sign_in(page, "demo_committee")
    page.goto(f"/committee/meetings/{meeting_id}/vote")
    _click(page, page.locator("#finalize"))
    assert "结果已确定" in page.locator("#meeting-status").inner_text()
    screenshot(page, "committee-results-final")
    from app.models.certificates import Certificate

    with app.app_context():
        certificate = db.session.execute(select(Certificate).filter_by(application_id=application_id)).scalar_one()
        assert (certificate.holder_name, certificate.published_on) == ("孙文艺", dt.date(2026, 10, 12))
        db.session.remove()
    assert_no_problems(page)
