"""Seed 001 (全日制职称认定) in a real browser, every chapter but the registration of 1.1 / 2.1 (in
test_registration.py) and the reporting path of 2.3 (shared with the review chain, in test_unit_chain.py):
2.2 终审权限申请 — demo_unit applies for the 职称认定证书发放权限 of 初级 through its pages, and
3.1 终审权限审核 — demo_bureau approves it on its page;
1.2 个人信息填写 — demo_person: 全日制职称认定, 新增申报信息 (承诺书, the cascade, the unit picker; 是否是工作单位
否 without 工作单位 refused beside the field, then filled), 保存, the detail sections, 确定申报;
2.3 信息审核 — demo_unit: 【职称认定和外地调入】【职称认定审核】, 审核, every section 通过, 终审通过;
1.2 图1-11 — demo_person downloads the 认定表 from 我的申报信息: a PDF that names the applicant, marked 非最终版本
after 确定申报 and no longer after 终审通过.
Nothing is set up in the database but the demo accounts. Screenshots: tests/e2e/artifacts/recognition-*.png."""
from __future__ import annotations

import pytest

from tests.e2e import manual_steps as steps
from tests.e2e.conftest import assert_no_problems

pytestmark = pytest.mark.e2e

NOT_FINAL = "非最终版本"
WORK_UNIT = "威海市人才服务派遣有限公司"
OPINION = "学历与从事专业相符，同意认定助理馆员资格。"


def test_recognition_applied_final_passed_and_form_downloaded(demo, strict_page, tmp_path):
    page = strict_page
    steps.grant_final_authority(page, "recognition", "初级", "recognition")

    # 是否是工作单位 否 asks for the 工作单位 (图1-7): saved without it, the message is beside the field
    application_id = steps.new_application(page, "全日制职称认定", "recognition", extra={"#is_work_unit": "0"},
                                           missing=("work_unit_name", "实际工作单位", WORK_UNIT))
    steps.fill_entries(page, application_id, {"education": steps.EDUCATION, "work_experience": steps.WORK})
    steps.submit(page, application_id, "recognition")
    # 图1-11: 确定申报后 the 认定表 can be downloaded, marked as not final until 终审通过
    text = steps.download_form(page, application_id, "认定表", tmp_path, "recognition-submitted", status="待单位审核")
    assert steps.APPLICANT in text and NOT_FINAL in text, text[:500]

    steps.final_pass(page, application_id, "职称认定审核", "全日制职称认定", OPINION, "recognition")
    page.goto(f"/review/{application_id}")  # finished: nothing more to decide
    assert page.locator("#final-pass, #pass, #return").count() == 0

    text = steps.download_form(page, application_id, "认定表", tmp_path, "recognition")
    assert steps.APPLICANT in text, text[:500]
    assert "助理馆员" in text and steps.UNIT in text and WORK_UNIT in text, text[:800]
    assert NOT_FINAL not in text, "the 认定表 after 终审通过 is still marked not final"
    assert_no_problems(page)
