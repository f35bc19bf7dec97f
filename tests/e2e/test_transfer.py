"""Seed 002 (外地调入资格确认) in a real browser, every chapter but the registration of 1.1 / 2.1 (in
test_registration.py) and the reporting path and 外地调入上报 of 2.2 (shared with the review chain, in
test_unit_chain.py):
1.2 个人申报信息填写 — demo_person: 外地调入资格确认, 新增申报信息 with 职称获得年度 (the year of the certificate,
not of the transfer), the detail sections (学历, 现专业技术职称, 工作经历), 确定申报;
2.2 信息审核 — without the authority demo_unit's review page offers 通过 (to report on), not 终审通过;
2.2 外地调入终审权限申请 — demo_unit applies for 初级 through its pages, and
3.1 权限审核 — demo_bureau approves it; now demo_unit's 【外地调入审核】 offers 终审通过 and it is pressed;
2.2 图2-14 — before 终审通过 the applicant previews the 转入表 but may not download it; after, demo_person
downloads it from 我的申报信息: a PDF naming the applicant and the year.
Nothing is set up in the database but the demo accounts. Screenshots: tests/e2e/artifacts/transfer-*.png."""
from __future__ import annotations

import pytest

from tests.e2e import manual_steps as steps
from tests.e2e.conftest import assert_no_problems, screenshot

pytestmark = pytest.mark.e2e

OBTAINED = "2019"
CURRENT_TITLE = {"level": "初级", "series": "群众文化", "title": "助理馆员", "obtained_on": f"{OBTAINED}-12-01"}
OPINION = "原职称证书真实有效，同意确认助理馆员资格。"


def test_transfer_in_applied_final_passed_and_form_downloaded(demo, strict_page, tmp_path):
    page = strict_page
    # 职称获得年度 is required for a transfer-in: saved without it, the message is beside the field
    application_id = steps.new_application(page, "外地调入资格确认", "transfer",
                                           missing=("title_obtained_year", "职称获得年度", OBTAINED))
    steps.fill_entries(page, application_id, {"education": steps.EDUCATION, "current_title": CURRENT_TITLE,
                                              "work_experience": steps.WORK})
    steps.submit(page, application_id, "transfer")
    # 图2-14: the 转入表 is the applicant's only after 终审通过; until then a preview and the reason
    page.goto(f"/applications/{application_id}/forms/transfer_form")
    assert steps.APPLICANT in page.content() and page.locator("#pdf-download").count() == 0
    assert "终审通过后" in page.locator("#pdf-refusal").inner_text()

    # without the transfer-in authority the unit can only pass it on along a reporting path
    steps.sign_in(page, "demo_unit")
    page.goto(f"/review/{application_id}")
    assert page.locator("#pass").count() == 1 and page.locator("#final-pass").count() == 0
    assert OBTAINED in page.locator("#base-info").inner_text()
    screenshot(page, "transfer-05b-review-without-authority")

    steps.grant_final_authority(page, "transfer", "初级", "transfer")
    steps.final_pass(page, application_id, "外地调入审核", "外地调入资格确认", OPINION, "transfer")

    text = steps.download_form(page, application_id, "转入表", tmp_path, "transfer")
    assert "外地调入专业技术人员职称资格确认表" in text, text[:300]
    assert steps.APPLICANT in text and OBTAINED in text, text[:500]
    assert_no_problems(page)
