"""A world with two of everything for the security suite: two applicants, two units, bureaus of two
regions, two committees, each with rows of its own (applications in draft and under review, entries,
attachments, messages, reporting paths, permission and final-authority applications, committees and
periods). Side A is the demo world (demo_person, demo_unit in 环翠区, demo_bureau of 威海市, the demo
committee), so the crawl can walk it as the demo roles; side B lives in 济南市.

Every person and unit has its own ID number and mobile, written here and nowhere in the app, so a test
that finds one of them in a page knows whose it is."""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from app.extensions import db
from tests.conftest import PASSWORD

# (username, real name, ID number, mobile): the applicants the suite makes besides demo_person
APPLICANT_B = ("sec_lisi", "李安全", "370102198505050010", "13722220002")
APPLICANT_C = ("sec_zhao", "赵保密", "371002199203040036", "13733330003")  # a second applicant at demo_unit
DEMO_PERSON_ID, DEMO_PERSON_MOBILE = "37100219900315002X", "13766660006"  # demo_person's mobile is set here
UNIT_A_MOBILE, SUPERIOR_MOBILE, UNIT_B_MOBILE = "13744440004", "13755550005", "13777770007"
PDF = b"%PDF-1.4\n" + b"1 0 obj\n" * 20


@dataclass
class World:
    """Ids of every row, by side: ids["a"]["draft"] is demo_person's draft, and so on."""

    ids: dict = field(default_factory=lambda: {"a": {}, "b": {}})
    users: dict = field(default_factory=dict)  # role on a side → username, e.g. users["b"]["unit"]

    def other(self, side: str) -> str:
        return "b" if side == "a" else "a"


def _attach(application_id: int, section: str) -> int:
    from app.clock import utcnow
    from app.models.applications import Attachment
    from app.services import storage

    stored = storage.save(io.BytesIO(PDF))
    attachment = Attachment(application_id=application_id, section=section, original_name="证书.pdf",
                            stored_name=stored.stored_name, content_type=stored.content_type, size=stored.size,
                            uploaded_at=utcnow())
    db.session.add(attachment)
    db.session.flush()
    return attachment.id


def _report_to_committee(application) -> None:
    """数据上报 of a submitted application by the unit holding it to its committee (待评审)."""
    from app.clock import utcnow
    from app.models.applications import ApplicationStep

    db.session.flush()
    step = db.session.execute(select(ApplicationStep).filter_by(application_id=application.id)).scalar_one()
    step.outcome, step.left_at = "reported", utcnow()
    application.status = "pending_committee"


SCHOOLS = {"a": "威海职业学院", "b": "济南大学"}  # what each side's entries say, to spot them in a page
SUMMARIES = {"a": "主持环翠区社区文化活动三十场", "b": "主持历下区广场舞大赛三届"}
NAMES = {"a": "张晓燕", "b": APPLICANT_B[1]}


def _fill(application, side: str, *, submitted: bool, unit_id: int) -> dict:
    """An entry, a text and an attachment in the application; under review at `unit_id` if submitted."""
    from app.clock import utcnow
    from app.models.applications import ApplicationSection, ApplicationStep, SectionEntry

    entry = SectionEntry(application_id=application.id, section="education", position=0,
                         data={"kind": "全日制学历", "school": SCHOOLS[side], "major": "文化管理",
                               "foreign": False})
    db.session.add(entry)
    db.session.add(ApplicationSection(application_id=application.id, section="work_summary", status="filled",
                                      text=SUMMARIES[side]))
    db.session.add(ApplicationSection(application_id=application.id, section="education", status="filled"))
    db.session.flush()
    ids = {"entry": entry.id, "attachment": _attach(application.id, "other_attachments")}
    if submitted:
        now = utcnow()
        application.status, application.submitted_at, application.current_unit_id = "pending_unit", now, unit_id
        db.session.add(ApplicationStep(application_id=application.id, unit_id=unit_id, arrived_at=now))
    return ids


def build_world(app) -> World:
    from app import demo
    from app.clock import utcnow
    from app.models.accounts import Person
    from app.models.catalog import Committee, CommitteePeriod, Region, TitleLevel, TitleSeries
    from app.models.notify import Notification
    from app.models.units import FinalAuthorityApplication, ReportingPath, Unit, UnitPermissionApplication
    from tests.factories import make_application, make_backend, make_person, make_unit_account

    world = World()
    with app.app_context():
        demo.load()
        sm = app.appbuilder.sm
        by_name = lambda model, **kw: db.session.execute(select(model).filter_by(**kw)).scalar_one()  # noqa: E731
        unit_a = by_name(Unit, name="威海市环翠区文化馆")
        superior = by_name(Unit, name="威海市环翠区文化和旅游局")
        unit_a.mobile, superior.mobile = UNIT_A_MOBILE, SUPERIOR_MOBILE
        person_a = by_name(Person, user_id=sm.find_user(username="demo_person").id)
        person_a.mobile = DEMO_PERSON_MOBILE
        committee_a = by_name(Committee, name=demo.DEMO_COMMITTEE)

        person_b_user = make_person(username=APPLICANT_B[0], real_name=APPLICANT_B[1], id_number=APPLICANT_B[2])
        person_c_user = make_person(username=APPLICANT_C[0], real_name=APPLICANT_C[1], id_number=APPLICANT_C[2])
        by_name(Person, user_id=person_b_user.id).mobile = APPLICANT_B[3]
        by_name(Person, user_id=person_c_user.id).mobile = APPLICANT_C[3]
        unit_b_user = make_unit_account("sec_unit_b", name="济南市历下区文化馆", region_code="370102")
        unit_b = by_name(Unit, user_id=unit_b_user.id)
        unit_b.has_permission, unit_b.mobile = True, UNIT_B_MOBILE
        level = by_name(TitleLevel, name="初级")
        series = by_name(TitleSeries, name="群众文化")
        committee_b = Committee(name="济南市历下区群众文化专业职务资格初级评审委员会", series_id=series.id,
                                level_id=level.id, region_id=by_name(Region, code="370102").id)
        db.session.add(committee_b)
        db.session.flush()
        make_backend("sec_bureau_b", "Bureau", region_code="370100")
        make_backend("sec_committee_b", "Committee", committee=committee_b)
        world.users = {"a": {"person": "demo_person", "unit": "demo_unit", "bureau": "demo_bureau",
                             "committee": "demo_committee", "superior": "demo_superior"},
                       "b": {"person": APPLICANT_B[0], "unit": "sec_unit_b", "bureau": "sec_bureau_b",
                             "committee": "sec_committee_b"}}

        year = utcnow().year
        for side, user, unit, committee in (("a", sm.find_user(username="demo_person"), unit_a, committee_a),
                                            ("b", person_b_user, unit_b, committee_b)):
            ids = world.ids[side]
            draft = make_application(user, unit=unit, committee_id=committee.id)
            ids["draft"] = draft.id
            ids["draft_parts"] = _fill(draft, side, submitted=False, unit_id=unit.id)
            # last year's: a person holds one open application per business and year
            review = make_application(user, unit=unit, committee_id=committee.id, year=year - 1)
            ids["review"] = review.id
            ids["review_parts"] = _fill(review, side, submitted=True, unit_id=unit.id)
            # reported to the side's committee (two years ago's): what a committee sees
            reported = make_application(user, unit=unit, committee_id=committee.id, year=year - 2)
            ids["reported"] = reported.id
            ids["reported_parts"] = _fill(reported, side, submitted=True, unit_id=unit.id)
            _report_to_committee(reported)
            ids["person_id"] = draft.person_id
            ids["unit"], ids["committee"] = unit.id, committee.id
            period = db.session.execute(select(CommitteePeriod).filter_by(committee_id=committee.id, year=year)
                                        ).scalar_one_or_none()
            if period is None:
                period = CommitteePeriod(committee_id=committee.id, year=year, starts_on=dt.date(year, 1, 1),
                                         ends_on=dt.date(year, 12, 31))
                db.session.add(period)
            now = utcnow()
            permission = UnitPermissionApplication(
                unit_id=unit.id, credit_code="91371002MA3C0000X1" if side == "a" else "91370102MA3C0000X2",
                name=unit.name, region_id=unit.region_id, unit_type="事业单位", competent_department="文旅局",
                status="submitted", submitted_at=now, updated_at=now)
            authority = FinalAuthorityApplication(unit_id=unit.id, business="recognition", level_id=level.id,
                                                  organisation="文化馆", region_id=unit.region_id,
                                                  status="pending", created_at=now)
            committee_path = ReportingPath(unit_id=unit.id, business_set="review", series_id=series.id,
                                           level_id=level.id, committee_id=committee.id, status="pending",
                                           created_at=now)
            db.session.add_all([permission, authority, committee_path])
            notification = Notification(user_id=user.id, title=f"消息{side}", body="正文", created_at=now)
            db.session.add(notification)
            db.session.flush()
            ids.update(period=period.id, permission=permission.id, authority=authority.id,
                       committee_path=committee_path.id, notification=notification.id)
        # unit paths: demo_unit → demo_superior (A's to decide), sec_unit_b → demo_unit (decided by A's unit)
        for side, source, target in (("a", unit_a, superior), ("b", unit_b, unit_a)):
            path = ReportingPath(unit_id=source.id, business_set="review", series_id=series.id, level_id=level.id,
                                 target_unit_id=target.id, status="pending", created_at=utcnow())
            db.session.add(path)
            db.session.flush()
            world.ids[side]["unit_path"] = path.id
        # a second applicant under review at demo_unit: units, bureau and committee of side A see its row
        other = make_application(person_c_user, unit=unit_a, committee_id=committee_a.id)
        world.ids["a"]["review_c"] = other.id
        world.ids["a"]["review_c_parts"] = _fill(other, "a", submitted=True, unit_id=unit_a.id)
        _report_to_committee(other)  # on to committee A: the unit it passed through still sees it
        db.session.commit()
    return world


def _uses_shared_world(request) -> bool:
    """Whether the test's `world` is this module's (other test files have fixtures of that name too)."""
    definitions = request.node._fixtureinfo.name2fixturedefs.get("world") or ()
    return any(d.func.__module__ == __name__ for d in definitions[-1:])


@pytest.fixture(autouse=True)
def _fresh_data(request):
    """For the tests that use `world`, replaces tests/conftest.py's per-test clean-up: the world is built
    once per module (building it hashes a dozen passwords) and every such test leaves it as it found it —
    that is what they assert. The settings are restored after each test as there. Any other test of this
    folder gets the clean-up of tests/conftest.py unchanged."""
    if not _uses_shared_world(request):
        yield from _per_test_clean_up(request)
        return
    app = request.getfixturevalue("app")
    saved = dict(app.config)
    yield
    app.config.clear()
    app.config.update(saved)
    with app.app_context():
        db.session.remove()


def _per_test_clean_up(request):
    """tests/conftest.py's clean-up, for the tests here that do not use the shared world."""
    from tests.conftest import fresh_data

    yield from fresh_data(request)


@pytest.fixture(scope="module")
def world(app) -> World:
    from app.demo import load_regions
    from tests.conftest import _clean

    _clean(app)
    with app.app_context():
        load_regions()
        db.session.commit()
    built = build_world(app)
    yield built
    _clean(app)


@pytest.fixture(scope="module")
def clients(app, world):
    """A signed-in test client per username, made once per module (each login checks a scrypt hash)."""
    made: dict = {}

    def get(username: str):
        if username not in made:
            made[username] = signed_in(app, username)
        return made[username]

    return get


def signed_in(app, username: str):
    """A client signed in as `username` (with the login form's token when CSRF is on)."""
    client = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login/").get_data(as_text=True))
    response = client.post("/login/", data={"username": username, "password": PASSWORD, "captcha": "",
                                            **({"csrf_token": token.group(1)} if token else {})})
    assert response.status_code == 302 and "/login" not in response.headers.get("Location", ""), \
        f"login of {username} failed"
    return client
