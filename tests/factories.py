"""Factories for accounts; call inside an app context."""
from __future__ import annotations

from app.commands.accounts.create import new_user
from app.extensions import db
from app.models.accounts import BackendBinding, Person
from app.models.units import Unit
from app.security.validators import parse_id_number
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


def make_backend(username: str, role_name: str, region_code: str = "371000", committee=None):
    from sqlalchemy import select

    from app.models.catalog import Region

    region = db.session.execute(select(Region).where(Region.code == region_code)).scalar_one()
    user = new_user(username=username, real_name=username, email=f"{username}@example.cn",
                    role_name=role_name, password=PASSWORD)
    db.session.add(BackendBinding(user_id=user.id, region=region, committee=committee))
    db.session.commit()
    return user
