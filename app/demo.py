"""Demo data, loaded by `flask demo load`; running it again changes nothing. The whole load is one
transaction: an interrupted load leaves nothing half-made."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.commands.accounts.create import new_user
from app import catalog_data
from app.commands.base import transactional
from app.extensions import db
from app.models.accounts import BackendBinding, Person
from app.models.catalog import Committee
from app.models.catalog import Region
from app.models.units import Unit
from app.security import roles
from app.security.validators import parse_id_number

# (code, name, level, parent code) — GB/T 2260 codes
REGIONS = [
    ("370000", "山东省", "province", None),
    ("370100", "济南市", "city", "370000"),
    ("370102", "历下区", "district", "370100"),
    ("370103", "市中区", "district", "370100"),
    ("371000", "威海市", "city", "370000"),
    ("371002", "环翠区", "district", "371000"),
    ("371003", "文登区", "district", "371000"),
    ("371082", "荣成市", "district", "371000"),
    ("371083", "乳山市", "district", "371000"),
    ("320000", "江苏省", "province", None),
    ("320100", "南京市", "city", "320000"),
    ("320102", "玄武区", "district", "320100"),
    ("320106", "鼓楼区", "district", "320100"),
    ("320200", "无锡市", "city", "320000"),
    ("320213", "梁溪区", "district", "320200"),
    ("320500", "苏州市", "city", "320000"),
    ("320508", "姑苏区", "district", "320500"),
]

DEMO_PERSON_ID = "37100219900315002X"
DEMO_COMMITTEE = "威海市环翠区群众文化专业职务资格初级评审委员会"


def load_regions() -> dict[str, Region]:
    by_code = {r.code: r for r in db.session.execute(select(Region)).scalars()}
    for code, name, level, parent in REGIONS:
        if code not in by_code:
            region = Region(code=code, name=name, level=level, parent=by_code.get(parent))
            db.session.add(region)
            by_code[code] = region
    db.session.flush()
    return by_code


def _user(username: str, real_name: str, role: str):
    sm = current_app.appbuilder.sm
    user = sm.find_user(username=username)
    if user is None:
        user = new_user(username=username, real_name=real_name, email=f"{username}@demo.zhicheng.local",
                        role_name=role, password=current_app.config["DEMO_PASSWORD"])
    return user


@transactional
def load() -> None:
    regions = load_regions()
    catalog_data.load_all()
    _user("admin", "系统管理员", roles.ADMIN)

    person_user = _user("demo_person", "张晓燕", roles.INDIVIDUAL)
    if db.session.execute(select(Person).where(Person.user_id == person_user.id)).scalar_one_or_none() is None:
        info = parse_id_number(DEMO_PERSON_ID)
        db.session.add(Person(user_id=person_user.id, real_name="张晓燕", id_number=info.number,
                              ethnicity="汉族", birth_date=info.birth_date, gender=info.gender,
                              mobile="13800000001"))

    for username, unit_name, contact in (("demo_unit", "威海市环翠区文化馆", "李明"),
                                         ("demo_superior", "威海市环翠区文化和旅游局", "王芳")):
        user = _user(username, contact, roles.UNIT)
        if db.session.execute(select(Unit).where(Unit.user_id == user.id)).scalar_one_or_none() is None:
            db.session.add(Unit(user_id=user.id, name=unit_name, region=regions["371002"], contact_name=contact,
                                mobile="13800000002", email=user.email, has_permission=True))

    for username, real_name, role, region, committee in (
            ("demo_bureau", "威海市人社局", roles.BUREAU, regions["371000"], None),
            ("demo_committee", "环翠区群众文化评委会办公室", roles.COMMITTEE, regions["371002"], DEMO_COMMITTEE)):
        user = _user(username, real_name, role)
        if db.session.get(BackendBinding, user.id) is None:
            bound = db.session.execute(select(Committee).filter_by(name=committee)).scalar_one() if committee else None
            db.session.add(BackendBinding(user_id=user.id, region=region, committee=bound))
    db.session.flush()
    _demo_certificate(person_user, regions["371000"])
    from app.demo_experts import load_experts

    load_experts(DEMO_COMMITTEE, _user)


def _demo_certificate(person_user, region: Region) -> None:
    """One issued certificate of demo_person (a 初级 review title of an earlier year, issued by the bureau of
    威海市, not tied to an application), so a new user sees 职称证书在线领取 and 证书查询 with a row."""
    import datetime as dt

    from app.clock import utcnow
    from app.commands.certificates.issue import Issuer, bureau_name, new_certificate
    from app.models.catalog import Specialty, Title, TitleLevel, TitleSeries
    from app.models.certificates import Certificate

    person = db.session.execute(select(Person).where(Person.user_id == person_user.id)).scalar_one()
    if db.session.execute(select(Certificate.id).where(Certificate.person_id == person.id)).first() is not None:
        return
    series = db.session.execute(select(TitleSeries).filter_by(name="群众文化")).scalar_one()
    level = db.session.execute(select(TitleLevel).filter_by(name="初级")).scalar_one()
    title = db.session.execute(select(Title).filter_by(series_id=series.id, level_id=level.id)).scalar_one()
    specialty = db.session.execute(select(Specialty).filter_by(series_id=series.id)).scalars().first()
    published = dt.date(2025, 12, 1)
    new_certificate(
        Issuer("bureau", region.id, bureau_name(region), region.id), None, utcnow(), published_on=published,
        person_id=person.id, holder_name=person.real_name, holder_id_number=person.id_number, business="review",
        series_id=series.id, series_name=series.name, level_id=level.id, level_name=level.name,
        title_id=title.id, title_name=title.name, specialty_id=specialty.id if specialty else None,
        specialty_name=specialty.name if specialty else "")


DEMO_ACCOUNTS = ("admin", "demo_person", "demo_unit", "demo_superior", "demo_bureau", "demo_committee",
                 "demo_expert1 … demo_expert9")
