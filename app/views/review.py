"""数据审核: the unit's queue of applications addressed to it (待审核 / 通过未上报 / 审核不通过) and the
review page (the whole application, a verdict per section, 退回 / 通过 or 终审通过 / 加入黑名单; 退回 alone
while 通过未上报). Thin: the queries live in app/daos (unit_queue, application_content), the row check, the
state check and the writes in app/commands/review (PassCommand, ReturnCommand, FinalPassCommand,
BlacklistCommand); the page offers the actions the lifecycle table allows (app/workflow/states.py)."""
from __future__ import annotations

import functools

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.commands.errors import CommandError, NotAllowed, NotFound
from app.commands.review.blacklist import BlacklistCommand
from app.commands.review.common import load_for_unit
from app.commands.review.final import FinalPassCommand, may_final_pass
from app.commands.review.pass_ import PassCommand
from app.commands.review.return_ import ReturnCommand
from app.daos import application_content, unit_queue
from app.daos import units as units_dao
from app.daos.actors import unit_of
from app.daos.applications import find_visible
from app.models.applications import Application
from app.security import roles
from app.services import entry_order, steps
from app.services.pdf import forms_of
from app.views.acting import or_home
from app.views.answers import field_errors, raise_http
from app.workflow.sections import SECTIONS, configured_for
from app.workflow.states import BUSINESS_LABELS, allowed_actions, label

TABS = {"pending_unit": _l("Pending review"), "passed_unit": _l("Passed, not reported"),
        "returned": _l("Review not passed")}
# a command's field name → the input of this page that shows its message
FORM_FIELDS = {"reason": "blacklist_reason"}
# the manuals' own entries for the same queue, pre-filtered (seed 001 §2.3 职称认定审核, 002 §2.2 外地调入审核)
QUEUE_TITLES = {"recognition": _l("Recognition review"), "transfer": _l("Transfer-in review")}


def _int_arg(name: str) -> int | None:
    return request.args.get(name, type=int) or None


def may_review(status: str) -> bool:
    """Whether a row of the queue opens for a decision (审核) rather than for reading (查看)."""
    return "pass" in allowed_actions(status, roles.UNIT)


def offered_actions(application: Application, unit, lower_unit_id: int | None) -> frozenset[str]:
    """The decisions the review page offers: those the lifecycle table gives a unit in the row's state,
    to the unit holding it only (others read); 终审通过 in place of 通过 where the unit has the authority."""
    if unit is None or application.current_unit_id != unit.id:
        return frozenset()
    allowed = set(allowed_actions(application.status, roles.UNIT))
    offered = set()
    if ("return_to_unit" if lower_unit_id is not None else "return") in allowed:
        offered.add("return")
    if "pass" in allowed:
        offered.add("pass")
    if "final_pass" in allowed and may_final_pass(application.current_unit_id, application):
        offered.add("final_pass")
    if "blacklist" in allowed:
        offered.add("blacklist")
    return frozenset(offered)


class DataReviewView(BaseView):
    """数据审核: the queue and the review page of the signed-in unit."""

    route_base = "/review"
    class_permission_name = "DataReview"
    method_permission_name = {"list": "read", "show": "read", "decide": "write"}
    default_view = "list"

    @expose("/")
    @has_access
    def list(self):
        unit = or_home(unit_of(g.user), _("Only a unit account can do this"))
        status = request.args.get("status", "")
        status = status if status in TABS else "pending_unit"
        sort = request.args.get("sort", "")
        sort = sort if sort in unit_queue.REVIEW_SORTS else "submitted"
        business = request.args.get("business", "")
        business = business if business in BUSINESS_LABELS else ""
        year, level_id, title_name = _int_arg("year"), _int_arg("level"), unit_queue.title_arg(request.args)
        page = unit_queue.review_page(unit.id, status, sort=sort, source=request.args, business=business,
                                      year=year, level_id=level_id, title_name=title_name)
        rows = page.rows
        args = {"status": status, "sort": sort, "business": business, "year": year or "", "level": level_id or "",
                "title": title_name or "", "per_page": page.per_page}
        levels = unit_queue.levels()
        returned_count, senders = unit_queue.queue_figures(unit.id, business or None, [a.id for a in rows])
        # the labels translated once per request, not once per row
        businesses = {code: str(text) for code, text in BUSINESS_LABELS.items()}
        status_label = functools.cache(label)
        return self.render_template(
            "review/list.html", rows=rows, page=page, status=status, tabs=TABS, levels=levels,
            level_names={level.id: level.name for level in levels},
            # the review page's address with the id left off, completed per row (one url_for, not one a row)
            show_url=url_for("DataReviewView.show", application_id=0).removesuffix("0"),
            sort=sort, year=year, level_id=level_id, title_name=title_name,
            titles=unit_queue.title_names(level_id), args=args, years=unit_queue.year_choices(),
            business=business, businesses=businesses, senders=senders,
            returned_count=returned_count, may_review=may_review,
            this_year=unit_queue.this_year(), label=status_label, title=QUEUE_TITLES.get(business) or _("Data review"))

    def _load(self, application_id: int) -> Application:
        """The application in this unit's queue; anything else is a 404, whoever's it is."""
        try:
            return load_for_unit(g.user, application_id)
        except NotAllowed as err:
            raise_http(NotFound(err.message))

    def _render(self, application, values=None, errors=None, form_error=None, status_code=200):
        configs = configured_for(application)
        rows = application_content.section_rows(application.id)
        sections = [SECTIONS[c.section] for c in configs if c.section in SECTIONS]
        if values is None:  # a superior's marks (a return to this unit) are the starting verdicts
            values = {}
            for code, row in rows.items():
                if row.status == "rejected":
                    values[f"verdict_{code}"], values[f"reason_{code}"] = "fail", row.reason
        lower_id = steps.lower_unit_id(application)
        return self.render_template(
            "review/show.html", application=application, sections=sections, rows=rows,
            entries=application_content.entries_by_section(application.id),
            files=application_content.attachments_by_section(application.id),
            forms=forms_of(application.business), business_label=BUSINESS_LABELS.get(application.business, ""),
            status_label=label(application.status), values=values or {}, errors=errors or {},
            form_error=form_error, actions=offered_actions(application, unit_of(g.user), lower_id),
            is_open_end=entry_order.is_open_end,
            return_to=units_dao.find_unit(lower_id), title=_("Data review")), status_code

    @expose("/<int:application_id>")
    @has_access
    def show(self, application_id: int):
        """Read-only for a unit the application has passed through (已上报); the decision form only for the
        unit holding it."""
        application = find_visible(g.user, application_id) if unit_of(g.user) is not None else None
        if application is None:
            raise_http(NotFound(_l("No such application")))
        return self._render(application)

    @expose("/<int:application_id>/decide", methods=["POST"])
    @has_access
    def decide(self, application_id: int):
        application = self._load(application_id)
        codes = [c.section for c in configured_for(application)]
        values = {key: request.form.get(key, "") for code in codes for key in (f"verdict_{code}", f"reason_{code}")}
        seen = request.form.get("seen_status") or None  # the status the reviewer's page showed (R6)
        for key in ("opinion", "until", "blacklist_reason"):
            values[key] = request.form.get(key, "")
        errors, rejected = {}, {}
        for code in codes:
            if values[f"verdict_{code}"] == "fail":
                reason = values[f"reason_{code}"].strip()
                if not reason:
                    errors[f"reason_{code}"] = _("Give the reason why this section did not pass")
                else:
                    rejected[code] = reason
        action = request.form.get("action", "")
        if errors and action != "blacklist":  # a blacklist does not depend on the section verdicts
            return self._render(application, values, errors, _("Please correct the marked fields"))
        try:
            if action == "pass":
                PassCommand(g.user, application_id, rejected, values["opinion"], seen_status=seen).run()
                flash(_("The application passed the data review"), "success")
            elif action == "final_pass":
                FinalPassCommand(g.user, application_id, values["opinion"], seen_status=seen,
                                 section_verdicts=rejected).run()
                flash(_("The application passed the final review"), "success")
            elif action == "return":
                command = ReturnCommand(g.user, application_id, rejected, values["opinion"], seen_status=seen)
                command.run()
                if command.lower_unit is not None:
                    flash(_("The application was returned to %(name)s", name=command.lower_unit.name), "success")
                else:
                    flash(_("The application was returned to the applicant"), "success")
            elif action == "blacklist":
                BlacklistCommand(g.user, application_id, values["until"], values["blacklist_reason"],
                                 seen_status=seen).run()
                flash(_("The applicant was added to the blacklist"), "success")
            else:
                abort(400)
        except CommandError as err:
            by_field, message = field_errors(err)  # the command's transaction is rolled back already
            try:
                application = load_for_unit(g.user, application_id)
            except NotAllowed:  # someone else moved it out of this unit's queue meanwhile
                flash(str(err.message), "warning")
                return redirect(url_for("DataReviewView.list"))
            for field, messages in by_field.items():
                if field == "sections":  # the verdicts as a whole: said at the top of the form
                    message = messages[0]
                else:
                    errors[FORM_FIELDS.get(field, field)] = messages[0]
            return self._render(application, values, errors, message or _("Please correct the marked fields"))
        return redirect(url_for("DataReviewView.list"))


def register(appbuilder) -> None:
    """Add this module's views and menus."""
    appbuilder.add_view(DataReviewView, "DataReview", label=_l("Data review"), icon="fa-check-square-o",
                        category="UnitAffairs", category_label=_l("Unit affairs"), category_icon="fa-building-o")
    # 【职称认定和外地调入】 of seeds 001/002: the same queue and page, filtered by business
    chain = dict(category="RecognitionTransfer", category_label=_l("Recognition and transfer-in"),
                 category_icon="fa-exchange")
    appbuilder.add_link("RecognitionReview", label=QUEUE_TITLES["recognition"], href="/review/?business=recognition",
                        icon="fa-check-square-o", **chain)
    appbuilder.add_link("TransferReview", label=QUEUE_TITLES["transfer"], href="/review/?business=transfer",
                        icon="fa-check-square-o", **chain)
