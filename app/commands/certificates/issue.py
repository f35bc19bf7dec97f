"""证书入库: issue the electronic certificates of applications that reached the end of their road, all
of them or none. One command for every path: 职称认定 (the unit with final-review authority, or the bureau
of its region, after 终审通过), 职称初定 (the receiving office) and the committee's 评审通过 results (the
committee command passes its own `issuer` and calls this inside its transaction).

Each application is loaded under a lock through the issuer's row filter, moved to 已发证 by
app.workflow.lifecycle.apply() (compare-and-set, timeline, audit) and given a certificate with a number
from the region's counter and a random verification code."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.clock import to_local, utcnow
from app.commands.base import BaseCommand
from app.commands.certificates.numbers import new_verify_code, next_number
from app.commands.errors import Forbidden, Invalid, NotAllowed
from app.commands.units.authority import AUTHORITY_BUSINESSES, has_final_authority
from app.daos.actors import unit_of
from app.daos.actors import bureau_region_id, role_names
from app.extensions import db
from app.models.applications import Application
from app.models.catalog import Region
from app.models.certificates import Certificate
from app.models.units import Unit
from app.security import roles
from app.services import audit
from app.services.catalog import region_and_below
from app.workflow.certificate_states import CertificateStatus
from app.workflow.lifecycle import apply
from app.workflow.states import TransitionNotAllowed, transition

# transfer-in keeps its 转入表 and gets no new certificate
ISSUED_BUSINESSES = ("recognition", "initial", "review")


@dataclass(frozen=True)
class Issuer:
    """Who issues: kind (bureau | committee | unit | office | historical), its id, the name printed, its
    region, and the role it acts in on the application lifecycle."""
    kind: str
    id: int
    name: str
    region_id: int
    role: str = ""


def new_certificate(issuer: Issuer, actor, now, *, published_on: dt.date, number: str | None = None,
                    number_year: int | None = None, year: int | None = None, **holder_and_title) -> Certificate:
    """A valid certificate of `issuer` for the holder and title given, with a random verification code and,
    unless `number` is given, the next number of the issuer's region for `number_year` (the year published)."""
    if number is None:
        region = db.session.get(Region, issuer.region_id)
        number = next_number(region.code, number_year or published_on.year)
    certificate = Certificate(
        number=number, verify_code=new_verify_code(), issuer_kind=issuer.kind, issuer_id=issuer.id,
        issuer_name=issuer.name, region_id=issuer.region_id, published_on=published_on,
        year=year or published_on.year, issued_at=now, issued_by_id=getattr(actor, "id", None),
        status=CertificateStatus.VALID.value, version=1, **holder_and_title)
    db.session.add(certificate)
    return certificate


def application_title(application: Application) -> dict:
    """The holder and the title of an application, as a certificate prints them."""
    return dict(person_id=application.person_id, holder_name=application.person.real_name,
                holder_id_number=application.person.id_number, business=application.business,
                series_id=application.series_id, series_name=application.series.name,
                level_id=application.level_id, level_name=application.level.name,
                title_id=application.title_id, title_name=application.title.name,
                specialty_id=application.specialty_id, specialty_name=application.specialty.name,
                application_id=application.id)


def bureau_name(region: Region) -> str:
    """The bureau's printed name: 威海市人力资源和社会保障局; a province's is a 厅."""
    return f"{region.name}人力资源和社会保障{'厅' if region.parent_id is None else '局'}"


def issuer_for(actor) -> Issuer | None:
    """The issuer a signed-in account acts as: its unit, or the bureau of its region; None for others."""
    names = role_names(actor)
    if roles.UNIT in names:
        unit = unit_of(actor)
        if unit is not None:
            return Issuer("unit", unit.id, unit.name, unit.region_id, roles.UNIT)
    if roles.BUREAU in names:
        region_id = bureau_region_id(actor)
        if region_id is not None:
            region = db.session.get(Region, region_id)
            return Issuer("bureau", region.id, bureau_name(region), region.id, roles.BUREAU)
    return None


def issuable_applications(issuer: Issuer):
    """SELECT of the applications this issuer may issue for (whatever their status; the lifecycle says
    which status may be certified): the unit's own queue, the units of the bureau's region and below,
    the committee's applications, the office's 职称初定 applications."""
    query = select(Application).where(Application.business.in_(ISSUED_BUSINESSES))
    if issuer.kind == "unit":
        return query.where(Application.current_unit_id == issuer.id)
    if issuer.kind == "bureau":
        units = select(Unit.id).where(Unit.region_id.in_(region_and_below(issuer.region_id)))
        return query.where(Application.current_unit_id.in_(units))
    if issuer.kind == "committee":
        return query.where(Application.committee_id == issuer.id)
    if issuer.kind == "office":
        return query.where(Application.accepting_office_id == issuer.id)
    return query.where(False)


def parse_published_on(value) -> dt.date:
    """公布时间 from a form value (YYYY-MM-DD) or a date; Invalid at the field otherwise."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        text = (value or "").strip() if isinstance(value, str) else ""
        if not text:
            raise Invalid(_l("Enter the publication date"), "published_on")
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            raise Invalid(_l("Enter the publication date as YYYY-MM-DD"), "published_on") from None
    today = to_local(utcnow()).date()
    if value > today:
        raise Invalid(_l("The publication date cannot be in the future"), "published_on")
    if value.year < 1950:
        raise Invalid(_l("Enter the publication date as YYYY-MM-DD"), "published_on")
    return value


class IssueCertificatesCommand(BaseCommand):
    def __init__(self, actor, application_ids, published_on, issuer: Issuer | None = None):
        self.actor = actor
        self.raw_ids = application_ids
        self.raw_published_on = published_on
        self.issuer = issuer
        self.applications: list[Application] = []

    def validate(self) -> None:
        self.published_on = parse_published_on(self.raw_published_on)
        try:
            ids = sorted({int(i) for i in (self.raw_ids or [])})
        except (TypeError, ValueError):
            raise Invalid(_l("Select the applicants to issue certificates to"), "application_ids") from None
        if not ids:
            raise Invalid(_l("Select the applicants to issue certificates to"), "application_ids")
        if len(ids) > current_app.config["CERT_ISSUE_MAX"]:
            raise Invalid(_l("At most %(n)d applicants at once", n=current_app.config["CERT_ISSUE_MAX"]),
                          "application_ids")
        self.issuer = self.issuer or issuer_for(self.actor)
        if self.issuer is None:
            raise Forbidden(_l("Only the issuing body can issue certificates"))
        # locked in id order, so two issues of overlapping selections wait instead of deadlocking
        stmt = (issuable_applications(self.issuer).where(Application.id.in_(ids)).order_by(Application.id)
                .options(joinedload(Application.person), joinedload(Application.series),
                         joinedload(Application.level), joinedload(Application.title),
                         joinedload(Application.specialty))
                .with_for_update(of=Application).execution_options(populate_existing=True))
        self.applications = list(db.session.execute(stmt).unique().scalars())
        if len(self.applications) != len(ids):
            raise NotAllowed(_l("Some of the selected applicants are not yours to issue certificates to; "
                                "nothing was issued"))
        for application in self.applications:
            if (self.issuer.kind == "unit" and application.business in AUTHORITY_BUSINESSES
                    and not has_final_authority(self.issuer.id, application.business, application.level_id)):
                raise NotAllowed(_l("Your unit has no certificate issuing authority for the level of %(name)s; "
                                    "nothing was issued", name=application.person.real_name))
            try:
                transition("certify", application.status, self.issuer.role)
            except TransitionNotAllowed:
                raise NotAllowed(_l("%(name)s cannot be given a certificate in the current state; "
                                    "nothing was issued", name=application.person.real_name)) from None

    def run(self) -> list[Certificate]:
        self.validate()
        now = utcnow()
        issued = []
        for application in self.applications:
            certificate = new_certificate(self.issuer, self.actor, now, published_on=self.published_on,
                                          **application_title(application))
            apply(application, "certify", self.actor, role=self.issuer.role,
                  refusal=_l("%(name)s cannot be given a certificate in the current state; nothing was issued",
                             name=application.person.real_name))
            db.session.flush()
            audit.record("certificate.issue", actor=self.actor, object_type="certificate",
                         object_id=certificate.id, to_state=CertificateStatus.VALID.value,
                         opinion=f"{certificate.number} {certificate.holder_name}")
            issued.append(certificate)
        return issued
