"""数据上报: the unit holding applications in 通过未上报 (passed_unit) sends the selected ones along
its unique effective reporting path: to the superior unit of a 单位路径 (→ 待单位审核 there) or to the
committee of a 评委会路径 (→ 待评审). All or nothing: one wrong row or one missing path refuses the whole
selection and changes nothing.

Decisions:
- Reported to a committee, `current_unit_id` stays the reporting unit: it names the last unit of the
  chain (who reported it, and the unit that still sees it under 已上报); the status `pending_committee`
  keeps it out of every unit's review queue.
- An application without a committee takes the path's committee; one whose committee (chosen by the
  applicant) differs from the path's is refused with a message naming both — the committee is never
  changed silently.
- Messages: one in-app message per receiving unit or committee account (with the count), one per applicant.

`UpdateReportFieldsCommand` edits 是否委托评审 and 单位推荐排序 of an own passed_unit application (the
report list)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.clock import utcnow
from app.commands import cas
from app.commands.applications.create import parse_rank
from app.commands.base import BaseCommand, transactional
from app.commands.deadlines.periods import check_open, period_key
from app.commands.errors import Invalid, NotAllowed
from app.commands.review.common import reporting_unit
from app.commands.units.paths import effective_path
from app.daos import applications as daos
from app.extensions import db
from app.models.accounts import BackendBinding, Person
from app.models.applications import Application, ApplicationEvent, ApplicationStep
from app.models.audit import AuditLog
from app.models.catalog import Committee
from app.models.notify import Notification
from app.models.units import Unit
from app.security import roles
from app.services import audit, batch, notify, steps
from app.workflow import lifecycle
from app.workflow.states import BUSINESS_LABELS, Status, allowed_actions

MAX_SELECTED = 500


def _ids(values) -> list[int]:
    ids: list[int] = []
    for value in values or []:
        text = str(value).strip()
        if not text.isdigit() or len(text) > 9:
            raise Invalid(_l("Invalid application number: %(value)s", value=text[:20]))
        if int(text) not in ids:
            ids.append(int(text))
    return ids


def _not_in_queue(application_id: int) -> NotAllowed:
    return NotAllowed(_l("Application No. %(id)d is not in your unit's list of passed, not reported "
                         "applications; nothing was reported", id=application_id))


class ReportCommand(BaseCommand):
    def __init__(self, user, application_ids: list[int]):
        self.user, self.raw_ids = user, application_ids
        self.applications: list[Application] = []
        self.unit_names: set[str] = set()  # where they went, for the success message
        self.committee_names: set[str] = set()

    @property
    def target_names(self) -> list[str]:
        return sorted(self.unit_names) + sorted(self.committee_names)

    def validate(self) -> list[tuple[Application, object]]:
        unit = reporting_unit(self.user)
        ids = _ids(self.raw_ids)
        if not ids:
            raise Invalid(_l("Select at least one application"))
        if len(ids) > MAX_SELECTED:
            raise Invalid(_l("Select at most %(n)d applications at a time", n=MAX_SELECTED))
        by_id = daos.locked(ids, selectinload(Application.series), selectinload(Application.level),
                            selectinload(Application.person).selectinload(Person.user))
        paths: dict[tuple, object] = {}  # one look-up per business, series and level, not per row
        periods_checked: set[tuple] = set()
        planned = []
        for application_id in ids:
            application = by_id.get(application_id)
            # another unit's (or an unknown) application gets the same refusal and no detail about it
            if application is None or application.current_unit_id != unit.id:
                raise _not_in_queue(application_id)
            if "report" not in allowed_actions(application.status, roles.UNIT):
                raise _not_in_queue(application_id)
            period = period_key(application)
            if period not in periods_checked:  # 单位审核截止, once per period, not per row
                check_open(application, "report")
                periods_checked.add(period)
            key = (application.business, application.series_id, application.level_id)
            if key not in paths:
                paths[key] = effective_path(unit.id, *key)
            path = paths[key]
            if path is None:
                raise NotAllowed(_l(
                    "No effective reporting path yet: %(business)s %(series)s %(level)s. Apply for a unit path "
                    "or a committee path first.",
                    business=str(BUSINESS_LABELS.get(application.business, application.business)),
                    series=application.series.name, level=application.level.name))
            if path.committee_id and application.committee_id and application.committee_id != path.committee_id:
                chosen = db.session.get(Committee, application.committee_id)
                raise NotAllowed(_l(
                    "Application No. %(id)d was made to %(chosen)s, but your reporting path leads to "
                    "%(committee)s; nothing was reported", id=application.id, chosen=chosen.name if chosen else "",
                    committee=path.committee.name))
            planned.append((application, path))
        return planned

    @transactional
    def preview(self) -> list[tuple[str, int]]:
        """The 确定 step of 数据上报 (seed 000 §2.4): the same checks as `run`, nothing written; returns
        (target name, count) per unit or committee the selection would go to. The row locks taken by the
        checks end with this transaction; `run` checks again when the unit confirms."""
        counts: dict[str, int] = {}
        for _application, path in self.validate():
            name = path.target_unit.name if path.target_unit_id else path.committee.name
            counts[name] = counts.get(name, 0) + 1
        return sorted(counts.items())

    def run(self) -> list[Application]:
        """Every row the same way, written in one flush at the end (batched inserts, one compare-and-set
        UPDATE per application; a lost one refuses the whole selection)."""
        planned = self.validate()
        units: dict[int, int] = {}
        committees: dict[int, int] = {}
        reporter = reporting_unit(self.user).name
        steps.leave_reported_all([application for application, _path in planned])
        for application, path in planned:
            if path.target_unit_id:
                action, target_name = "report", path.target_unit.name
                self.unit_names.add(target_name)
                application.current_unit_id = path.target_unit_id
                steps.arrive(application, path.target_unit_id)
                units[path.target_unit_id] = units.get(path.target_unit_id, 0) + 1
            else:
                action, target_name = "report_to_committee", path.committee.name
                self.committee_names.add(target_name)
                if application.committee_id is None:
                    application.committee_id = path.committee_id
                committees[path.committee_id] = committees.get(path.committee_id, 0) + 1
            lifecycle.apply(application, action, self.user, _("Reported to %(name)s", name=target_name),
                            role=roles.UNIT, refusal=_not_in_queue(application.id).message, write=False,
                            actor_label=reporter)
            if application.person.user is not None:
                notify.notify_user(application.person.user, _("Your title application was reported"),
                                   _("Your unit reported your application to %(name)s.", name=target_name),
                                   email=False)
            self.applications.append(application)
        batch.insert_pending(ApplicationStep, ApplicationEvent, AuditLog, Notification)
        cas.write(lifecycle.CHANGED_MEANWHILE)
        self._tell_receivers(reporter, units, committees)
        return self.applications

    def _tell_receivers(self, reporter: str, units: dict[int, int], committees: dict[int, int]) -> None:
        title = _("Applications were reported to you")
        for unit_id, count in units.items():
            unit = db.session.get(Unit, unit_id)
            if unit is not None and unit.user is not None:
                notify.notify_user(unit.user, title, _("%(name)s reported %(n)d application(s) for your review.",
                                                       name=reporter, n=count), email=False)
        for committee_id, count in committees.items():
            bindings = db.session.execute(select(BackendBinding).where(
                BackendBinding.committee_id == committee_id, BackendBinding.active.is_(True))
                .options(selectinload(BackendBinding.user)).limit(50)).scalars()
            for binding in bindings:
                if roles.COMMITTEE in {r.name for r in binding.user.roles}:
                    notify.notify_user(binding.user, title,
                                       _("%(name)s reported %(n)d application(s) for your review.",
                                         name=reporter, n=count), email=False)


class UpdateReportFieldsCommand(BaseCommand):
    """是否委托评审 and 单位推荐排序 (n/m, 1 ≤ n ≤ m) of an application in the unit's report list."""

    def __init__(self, user, application_id: int, entrusted, recommendation_rank: str):
        self.user, self.application_id = user, application_id
        self.entrusted, self.rank = entrusted, recommendation_rank  # entrusted: a bool, or "1"/"0" from the form
        self.application: Application | None = None

    def validate(self) -> None:
        unit = reporting_unit(self.user)
        application = daos.locked([self.application_id]).get(self.application_id)
        if (application is None or application.current_unit_id != unit.id
                or application.status != Status.PASSED_UNIT.value):
            raise _not_in_queue(self.application_id)
        entrusted = {"1": True, "0": False}.get(self.entrusted, self.entrusted)
        if not isinstance(entrusted, bool):
            raise Invalid(_l("Choose whether the review is entrusted"), "entrusted")
        rank = parse_rank(str(self.rank or ""))
        if rank is None:
            raise Invalid(_l("Enter the rank as n/m with 1 ≤ n ≤ m, e.g. 3/5 or 1/1"), "recommendation_rank")
        self.application, self.entrusted, self.rank = application, entrusted, f"{rank[0]}/{rank[1]}"

    def run(self) -> Application:
        self.validate()
        application = self.application
        before = f"entrusted={int(application.entrusted)} rank={application.recommendation_rank}"
        application.entrusted = self.entrusted
        application.recommendation_rank = self.rank
        application.updated_at = utcnow()
        cas.bump(application)
        cas.write(lifecycle.CHANGED_MEANWHILE)
        audit.record("application.report_fields", actor=self.user, object_type="application",
                     object_id=application.id, from_state=before,
                     to_state=f"entrusted={int(self.entrusted)} rank={application.recommendation_rank}")
        return application
