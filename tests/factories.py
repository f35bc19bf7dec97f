"""Factories for accounts, units and applications; call inside an app context."""
from __future__ import annotations

from app.commands.accounts.create import new_user
from app.extensions import db
from app.models.accounts import BackendBinding, Person
from app.models.units import Unit
from app.security.validators import id_check_char, parse_id_number
from tests.conftest import PASSWORD


def make_person(username: str = "wangwu", id_number: str = "11010519491231002X", real_name: str = "王五",
                password: str = PASSWORD, email: str | None = None):
    user = new_user(username=username, real_name=real_name, email=email or f"{username}@example.cn",
                    role_name="Individual", password=password)
    info = parse_id_number(id_number)
    db.session.add(Person(user_id=user.id, real_name=real_name, id_number=info.number, ethnicity="汉族",
                          birth_date=info.birth_date, gender=info.gender, mobile="13900000000"))
    db.session.commit()
    return user


def id_number(seq: int) -> str:
    """A valid ID number (born 1980-01-01) for the `seq`-th made-up applicant, 0 ≤ seq < 1000."""
    first17 = f"11010519800101{seq:03d}"
    return first17 + id_check_char(first17)


def make_unit_account(username: str = "unit1", name: str = "威海市测试单位", region_code: str = "371002"):
    from sqlalchemy import select

    from app.models.catalog import Region

    region = db.session.execute(select(Region).where(Region.code == region_code)).scalar_one()
    user = new_user(username=username, real_name="联系人", email=f"{username}@example.cn",
                    role_name="Unit", password=PASSWORD)
    db.session.add(Unit(user_id=user.id, name=name, region=region, contact_name="联系人", mobile="13900000001",
                        email=user.email))
    db.session.commit()
    return user


def permitted_unit(unit_user) -> Unit:
    """The unit of a unit account, given the permission to apply for titles (U1), committed."""
    from sqlalchemy import select

    unit = db.session.execute(select(Unit).where(Unit.user_id == unit_user.id)).scalar_one()
    unit.has_permission = True
    db.session.commit()
    return unit


def require_only(business: str, *sections: str) -> None:
    """Make only `sections` required in `business` (P1 configuration), so a test fills few of them."""
    from sqlalchemy import update

    from app.models.applications import BusinessSection

    db.session.execute(update(BusinessSection).where(BusinessSection.business == business).values(required=False))
    if sections:
        db.session.execute(update(BusinessSection).where(BusinessSection.business == business,
                                                         BusinessSection.section.in_(sections))
                           .values(required=True))
    db.session.commit()


def make_backend(username: str, role_name: str, region_code: str = "371000", committee=None):
    from sqlalchemy import select

    from app.models.catalog import Region

    region = db.session.execute(select(Region).where(Region.code == region_code)).scalar_one()
    user = new_user(username=username, real_name=username, email=f"{username}@example.cn",
                    role_name=role_name, password=PASSWORD)
    db.session.add(BackendBinding(user_id=user.id, region=region, committee=committee))
    db.session.commit()
    return user


def make_application(person_user, unit=None, business: str = "review", series: str = "群众文化",
                     level: str = "初级", status: str = "draft", **columns):
    """A draft application of `person_user` at `unit` (a Unit; default: a permitted unit in 环翠区),
    with the catalogs loaded. The sections start empty; no events are written."""
    import datetime as dt

    from sqlalchemy import select

    from app import catalog_data
    from app.clock import utcnow
    from app.daos.applications import person_of
    from app.models.applications import Application
    from app.models.catalog import (ApplicationMethod, Committee, Region, Specialty, Title, TitleLevel,
                                    TitleSeries)

    if db.session.execute(select(TitleLevel.id)).first() is None:
        catalog_data.load_all()
    if unit is None:
        unit = db.session.execute(select(Unit).where(Unit.has_permission.is_(True))).scalars().first()
        if unit is None:
            region = db.session.execute(select(Region).where(Region.code == "371002")).scalar_one()
            unit = Unit(name="威海市环翠区文化馆", region=region, contact_name="联系人", mobile="13900000002",
                        has_permission=True)
            db.session.add(unit)
            db.session.flush()
    series_row = db.session.execute(select(TitleSeries).filter_by(name=series)).scalar_one()
    level_row = db.session.execute(select(TitleLevel).filter_by(name=level)).scalar_one()
    title = db.session.execute(select(Title).filter_by(series_id=series_row.id, level_id=level_row.id)).scalar_one()
    specialty = db.session.execute(select(Specialty).filter_by(series_id=series_row.id)).scalars().first()
    method = db.session.execute(select(ApplicationMethod).filter_by(name="正常晋升")).scalar_one()
    committee = db.session.execute(select(Committee).filter_by(series_id=series_row.id, level_id=level_row.id)
                                   ).scalars().first()
    now = utcnow()
    values = dict(person_id=person_of(person_user).id, business=business, year=now.year, status=status,
                  level_id=level_row.id, series_id=series_row.id, title_id=title.id, specialty_id=specialty.id,
                  method_id=method.id, unit_id=unit.id, is_work_unit=True, recommendation_rank="1/3",
                  work_started_on=dt.date(2015, 7, 1), professional_years=10,
                  committee_id=committee.id if committee else None, created_at=now, updated_at=now)
    values.update(columns)
    application = Application(**values)
    db.session.add(application)
    db.session.commit()
    return application
