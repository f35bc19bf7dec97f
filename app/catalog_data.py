"""Reference data: the title catalog of the Shandong culture series (seed 003) and engineering,
application methods, the committees of seed 003, and the default sections of each business.
Loaded by `flask demo load` (C5); every loader is idempotent."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from app.models.applications import BusinessSection
from app.models.catalog import (ApplicationMethod, Committee, CommitteePeriod, ExceptionalCase, Region,
                                Specialty, Title, TitleLevel, TitleSeries)

LEVELS = ("正高级", "副高级", "中级", "初级", "员级")

# series → titles from 正高级 down to 员级 (None: no title at that level), specialties
SERIES = {
    "群众文化": (("研究馆员", "副研究馆员", "馆员", "助理馆员", "管理员"), ("舞蹈", "音乐", "戏剧", "美术", "文学", "群众文化管理")),
    "图书资料": (("研究馆员", "副研究馆员", "馆员", "助理馆员", "管理员"), ("图书馆学", "情报学", "文献资料")),
    "文物博物": (("研究馆员", "副研究馆员", "馆员", "助理馆员", "文博管理员"), ("考古", "文物保护", "博物馆陈列")),
    "艺术": (("一级演员", "二级演员", "三级演员", "四级演员", None), ("声乐", "器乐", "舞蹈", "戏曲表演")),
    "美术": (("一级美术师", "二级美术师", "三级美术师", "美术员", None), ("国画", "油画", "书法", "雕塑")),
    "工程": (("正高级工程师", "高级工程师", "工程师", "助理工程师", "技术员"), ("土木工程", "电气工程", "机械工程", "计算机应用")),
}

METHODS = (("正常晋升", False), ("破格", True), ("改系列", False), ("复合型人才评审", False),
           ("高层次人才直评", False), ("非企事业单位交流到企事业单位人员", False))
EXCEPTIONAL_CASES = ("学历或资历不符合规定但业绩突出", "获得省部级以上奖励", "引进的急需紧缺人才")

# seed 003: the five 初级 committees of 威海市环翠区; and an engineering committee of 威海市
COMMITTEES = [(f"威海市环翠区{series}专业职务资格初级评审委员会", series, "初级", "371002")
              for series in ("图书资料", "文物博物", "群众文化", "艺术", "美术")]
COMMITTEES.append(("威海市工程技术专业中级评审委员会", "工程", "中级", "371000"))

# seed 004 ch. 2: 报送受理部门 of 职称初定 — (name, region code, series or None for every series)
ACCEPTING_OFFICES = [("威海市环翠区人力资源和社会保障局", "371002", None),
                     ("威海市人力资源和社会保障局", "371000", None),
                     ("威海市文化和旅游局", "371000", "群众文化")]

BUSINESSES = {
    "review": "职称评审申报",
    "recognition": "全日制职称认定",
    "transfer": "外地调入资格确认",
    "initial": "职称初定",
}

_ALL = ("education", "current_title", "admin_post", "assessment", "language_computer", "continuing_education",
        "work_experience", "achievements", "work_summary", "societies", "publicity_proof", "other_attachments")
_OPTIONAL = {"admin_post", "societies", "other_attachments", "continuing_education"}
# business → sections shown, in order; transfer-in and recognition ask for less
BUSINESS_SECTIONS = {
    "review": _ALL,
    "initial": ("education", "current_title", "assessment", "work_experience", "work_summary", "other_attachments"),
    "recognition": ("education", "work_experience", "other_attachments"),
    "transfer": ("education", "current_title", "work_experience", "other_attachments"),
}
MAX_ENTRIES = {"achievements": 15}


def _get_or_add(model, defaults=None, **keys):
    row = db.session.execute(select(model).filter_by(**keys)).scalar_one_or_none()
    if row is None:
        row = model(**keys, **(defaults or {}))
        db.session.add(row)
        db.session.flush()
    return row


def load_titles() -> None:
    levels = {name: _get_or_add(TitleLevel, name=name, defaults={"rank": i}) for i, name in enumerate(LEVELS)}
    for series_name, (titles, specialties) in SERIES.items():
        series = _get_or_add(TitleSeries, name=series_name)
        for level_name, title_name in zip(LEVELS, titles):
            if title_name:
                _get_or_add(Title, series_id=series.id, level_id=levels[level_name].id, name=title_name)
        for name in specialties:
            _get_or_add(Specialty, series_id=series.id, name=name)
    for position, (name, exceptional) in enumerate(METHODS):
        _get_or_add(ApplicationMethod, name=name, defaults={"is_exceptional": exceptional, "position": position})
    for name in EXCEPTIONAL_CASES:
        _get_or_add(ExceptionalCase, name=name)


def load_committees(today: dt.date | None = None) -> None:
    """The committees of seed 003, each with a period open today (C4, C5)."""
    today = today or utcnow().date()
    for name, series_name, level_name, region_code in COMMITTEES:
        series = db.session.execute(select(TitleSeries).filter_by(name=series_name)).scalar_one()
        level = db.session.execute(select(TitleLevel).filter_by(name=level_name)).scalar_one()
        region = db.session.execute(select(Region).filter_by(code=region_code)).scalar_one()
        committee = _get_or_add(Committee, name=name,
                                defaults={"series_id": series.id, "level_id": level.id, "region_id": region.id})
        _get_or_add(CommitteePeriod, committee_id=committee.id, year=today.year,
                    defaults={"starts_on": today - dt.timedelta(days=30), "ends_on": today + dt.timedelta(days=45)})


def load_accepting_offices() -> None:
    from app.models.offices import AcceptingOffice

    for name, region_code, series_name in ACCEPTING_OFFICES:
        region = db.session.execute(select(Region).filter_by(code=region_code)).scalar_one()
        series = db.session.execute(select(TitleSeries).filter_by(name=series_name)).scalar_one() \
            if series_name else None
        _get_or_add(AcceptingOffice, name=name, region_id=region.id,
                    defaults={"series_id": series.id if series else None})


def load_business_sections() -> None:
    for business, sections in BUSINESS_SECTIONS.items():
        for position, section in enumerate(sections):
            _get_or_add(BusinessSection, business=business, section=section, committee_id=None, year=None,
                        defaults={"position": position, "required": section not in _OPTIONAL,
                                  "max_entries": MAX_ENTRIES.get(section)})


def load_all(today: dt.date | None = None) -> None:
    load_titles()
    load_committees(today)
    load_accepting_offices()
    load_business_sections()
