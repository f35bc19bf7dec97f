"""Pure rules of app/workflow/sections/rules.py and app/services/storage.py (no database)."""
from __future__ import annotations

import pytest

from app.services import storage
from app.workflow import sections
from app.workflow.sections import rules


@pytest.mark.parametrize("value,vague", [
    ("熟练", True), ("良好", True), ("英语熟练", True), ("计算机操作较好", True), ("精通", True), ("一般", True),
    ("能熟练使用办公软件", True), ("", False), ("无", False), ("CET-4", False), ("大学英语六级", False),
    ("全国职称外语等级考试B级", False), ("全国专业技术人员计算机应用能力考试", False), ("优秀级证书 IELTS 6.5", False),
])
def test_vague_levels(value, vague):
    assert sections.is_vague_level(value) is vague


def _job(start, end):
    return {"started_on": start, "ended_on": end, "unit": "单位"}


@pytest.mark.parametrize("jobs,count", [
    ([_job("2015-07-01", "2018-06-30"), _job("2018-07-01", "")], 0),       # next month
    ([_job("2015-07-01", "2018-06-30"), _job("2018-06-20", "")], 0),       # same month
    ([_job("2018-07-01", ""), _job("2015-07-01", "2018-06-30")], 0),       # order of entry does not matter
    ([_job("2015-07-01", "2018-06-30"), _job("2018-08-01", "")], 1),       # a month missing
    ([_job("2015-07-01", "2018-06-30"), _job("2018-05-01", "")], 1),       # overlap
    ([_job("2015-07-01", ""), _job("2018-07-01", "2019-01-01")], 1),       # open-ended not last
    ([_job("2015-07-01", "2014-01-01")], 1),                               # end before start
])
def test_work_experience_continuity(jobs, count):
    assert len(rules.work_section_rule(jobs, None)) == count


@pytest.mark.parametrize("head,ctype", [(b"\xff\xd8\xff\xe1", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"),
                                        (b"GIF87a", "image/gif"), (b"%PDF-1.7", "application/pdf"),
                                        (b"MZ\x90\x00", None), (b"<svg", None), (b"PK\x03\x04", None)])
def test_sniff(head, ctype):
    assert storage.sniff(head) == ctype


def test_display_name_strips_paths_and_control_characters():
    assert storage.display_name("C:\\Users\\王五\\毕业证.jpg", "image/jpeg") == "毕业证.jpg"
    assert storage.display_name("../../a\x00b.pdf", "application/pdf") == "a_b.pdf"
    assert storage.display_name("", "application/pdf") == "附件.pdf"
    assert storage.display_name("scan", "image/png") == "scan.png"
    assert len(storage.display_name("长" * 400 + ".pdf", "application/pdf")) == 255


def test_every_section_code_of_the_docs_is_defined():
    assert set(sections.SECTIONS) == {
        "education", "current_title", "admin_post", "assessment", "language_computer", "continuing_education",
        "work_experience", "achievements", "work_summary", "societies", "publicity_proof", "other_attachments"}
    for spec in sections.SECTIONS.values():
        assert all(f.type in sections.FIELD_TYPES for f in spec.fields)
        assert all(f.choices for f in spec.fields if f.type == "select")
