"""C5 for the committee (M1a): a pool of demo experts for the demo committee (demo_expert1..9, the demo
password), so a new user can hold a meeting at once. demo_expert1 works at the demo unit (威海市环翠区文化馆),
so every draw for one of its applicants leaves that expert out (回避) and says why. Idempotent."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from app.models.catalog import Committee, TitleLevel
from app.models.committee import Expert
from app.models.units import Unit
from app.security import roles
from app.security.validators import id_check_char

# (login, name, work unit, birth date yyyymmdd)
EXPERTS = [
    ("demo_expert1", "刘建国", "威海市环翠区文化馆", "19700312"),
    ("demo_expert2", "陈丽华", "威海市群众艺术馆", "19720521"),
    ("demo_expert3", "王志强", "威海市文登区文化馆", "19681103"),
    ("demo_expert4", "赵敏", "荣成市文化馆", "19750817"),
    ("demo_expert5", "孙立新", "乳山市文化馆", "19690224"),
    ("demo_expert6", "周海燕", "威海市图书馆", "19730609"),
    ("demo_expert7", "吴国庆", "山东省文化馆", "19661001"),
    ("demo_expert8", "郑晓东", "济南市群众艺术馆", "19710415"),
    ("demo_expert9", "冯春梅", "威海职业学院", "19740728"),
]
DEMO_EXPERTS = tuple(login for login, *_ in EXPERTS)


def _id_number(birth: str, seq: int) -> str:
    first17 = f"371002{birth}{seq:03d}"
    return first17 + id_check_char(first17)


def load_experts(committee_name: str, user_for) -> None:
    """`user_for(login, name, role)` finds or makes the account (app/demo.py)."""
    committee = db.session.execute(select(Committee).filter_by(name=committee_name)).scalar_one()
    level = db.session.execute(select(TitleLevel).order_by(TitleLevel.rank.desc(), TitleLevel.id)).scalars().first()
    vice = db.session.execute(select(TitleLevel).filter_by(name="副高级")).scalar_one_or_none() or level
    today = utcnow().date()
    start, end = dt.date(today.year, 1, 1), dt.date(today.year + 2, 12, 31)
    for n, (login, name, unit_name, birth) in enumerate(EXPERTS, start=1):
        user = user_for(login, name, roles.EXPERT)
        if db.session.execute(select(Expert.id).where(Expert.committee_id == committee.id,
                                                      Expert.user_id == user.id)).first():
            continue
        unit_id = db.session.execute(select(Unit.id).where(Unit.name == unit_name).limit(1)).scalar()
        now = utcnow()
        db.session.add(Expert(committee_id=committee.id, user_id=user.id, name=name,
                              id_number=_id_number(birth, 10 + 2 * n), mobile=f"139000000{n:02d}",
                              email=user.email, work_unit_name=unit_name, work_unit_id=unit_id,
                              series_id=committee.series_id, specialty_id=None, level_id=vice.id, term_start=start,
                              term_end=end, status="in_pool", created_at=now, updated_at=now, version=1))
