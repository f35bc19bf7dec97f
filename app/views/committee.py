"""M1 资格复审: the applications reported to the committee (by status, year, series, level, specialty and
reporting unit, a page at a time) and the whole application read-only with its attachments and forms,
with 通过 / 退回 (a reason per section not passed) for the office. The bureau of the committee's region
reads the same pages. Thin: the row and state checks live in app/commands/committee/eligibility.py."""
from __future__ import annotations

from flask import flash, g, jsonify, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.commands.committee.numbers import is_number
from app.commands.committee.eligibility import EligibilityPassCommand, EligibilityReturnCommand
from app.commands.errors import CommandError
from app.daos import catalog_choices
from app.daos import committee as dao
from app.daos.actors import committee_id_of
from app.daos import paging, unit_queue
from app.models.applications import Application
from app.services import entry_order
from app.services.pdf import forms_of
from app.views.answers import raise_http
from app.views.forms import FlaskForm
from app.workflow.sections import SECTIONS, configured_for
from app.workflow.states import BUSINESS_LABELS, Status, label

TABS = {"pending_committee": _l("Pending eligibility check"), "eligible": _l("Eligibility check passed"),
        "in_meeting": _l("In a review meeting"), "review_passed": _l("Review passed"),
        "review_failed": _l("Review failed")}
UNITS_PER_PAGE = 20
DECIDABLE = (Status.PENDING_COMMITTEE.value, Status.ELIGIBLE.value)


class CsrfForm(FlaskForm):
    """The fields are plain inputs in the templates; this carries the CSRF token."""


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if is_number(value) and len(value) < 10 else None


def application_context(application: Application) -> dict:
    """What committee/_application.html needs to show an application read-only."""
    parts = dao.application_parts(application)
    for code in parts["entries"]:
        parts["entries"][code] = entry_order.in_print_order(code, parts["entries"][code])
    sections = [SECTIONS[c.section] for c in configured_for(application) if c.section in SECTIONS]
    return dict(application=application, sections=sections, is_open_end=entry_order.is_open_end,
                business_label=BUSINESS_LABELS.get(application.business, ""), status_label=label(application.status),
                **parts)


class EligibilityView(BaseView):
    """资格复审: the office's list and page; the bureau reads them."""

    route_base = "/committee"
    class_permission_name = "CommitteeOffice"
    method_permission_name = {"list": "read", "show": "read", "units": "read", "decide": "write"}
    default_view = "list"

    @expose("/units")
    @has_access
    def units(self):
        """The 呈报单位 picker (select2's format): 20 units a page, only those that reported to these committees."""
        text = (request.args.get("q") or "").strip()[:64]
        page = _int_arg("page") or 1
        rows = dao.reporting_units(g.user, text, min(page, 500), UNITS_PER_PAGE)
        return jsonify({"results": [{"id": r.id, "text": r.name} for r in rows[:UNITS_PER_PAGE]],
                        "more": len(rows) > UNITS_PER_PAGE})

    @expose("/")
    @has_access
    def list(self):
        status = request.args.get("status", "")
        status = status if status in TABS else "pending_committee"
        filters = dict(year=_int_arg("year"), series_id=_int_arg("series"), level_id=_int_arg("level"),
                       specialty_id=_int_arg("specialty"), unit_id=_int_arg("unit"))
        query = dao.arrived(g.user, status=status, **filters)
        page = paging.paginate(query, key=Application.submitted_at, id_col=Application.id, ascending=False,
                               source=request.args, options=dao.page_options())
        specialties = dao.series_specialties(filters["series_id"]) if filters["series_id"] else []
        unit = dao.filter_unit(filters["unit_id"]) if filters["unit_id"] else None
        args = {"status": status, "year": filters["year"] or "", "series": filters["series_id"] or "",
                "level": filters["level_id"] or "", "specialty": filters["specialty_id"] or "",
                "unit": filters["unit_id"] or "", "per_page": page.per_page}
        return self.render_template(
            "committee/list.html", rows=page.rows, page=page, status=status, tabs=TABS, args=args,
            filters=filters, series=catalog_choices.all_series(), levels=catalog_choices.levels(),
            specialties=specialties,
            unit=unit, years=unit_queue.year_choices(), reporters=unit_queue.senders([a.id for a in page.rows]),
            office=committee_id_of(g.user) is not None, label=label, title=_("Eligibility check"))

    def _render(self, application, values=None, errors=None, form_error=None, status_code=200):
        office = committee_id_of(g.user) is not None
        reporter = unit_queue.senders([application.id]).get(application.id)
        return self.render_template(
            "committee/show.html", forms=forms_of(application.business), values=values or {}, errors=errors or {},
            form_error=form_error, form=CsrfForm(), can_decide=office and application.status in DECIDABLE,
            can_pass=office and application.status == Status.PENDING_COMMITTEE.value, reporter=reporter,
            title=_("Eligibility check"), **application_context(application)), status_code

    def _load(self, application_id: int) -> Application:
        try:
            return dao.arrived_one(g.user, application_id)
        except CommandError as err:
            raise_http(err)
            raise

    @expose("/<int:application_id>")
    @has_access
    def show(self, application_id: int):
        return self._render(self._load(application_id))

    @expose("/<int:application_id>/decide", methods=["POST"])
    @has_access
    def decide(self, application_id: int):
        application = self._load(application_id)
        if not CsrfForm().validate_on_submit():
            return self._render(application, form_error=_("The form has expired; please submit it again"),
                                status_code=400)
        codes = [c.section for c in configured_for(application)]
        values = {key: request.form.get(key, "") for code in codes for key in (f"verdict_{code}", f"reason_{code}")}
        values["opinion"] = request.form.get("opinion", "")
        seen = request.form.get("seen_status") or None
        errors, rejected = {}, {}
        for code in codes:
            if values[f"verdict_{code}"] == "fail":
                reason = values[f"reason_{code}"].strip()
                if reason:
                    rejected[code] = reason
                else:
                    errors[f"reason_{code}"] = _("Give the reason why this section did not pass")
        if errors:
            return self._render(application, values, errors, _("Please correct the marked fields"))
        action = request.form.get("action", "")
        try:
            if action == "pass":
                if rejected:
                    return self._render(application, values, errors,
                                        _("A section is marked not passed: use Return instead"))
                EligibilityPassCommand(g.user, application_id, values["opinion"], seen_status=seen).run()
                flash(_("The application passed the eligibility check"), "success")
            elif action == "return":
                command = EligibilityReturnCommand(g.user, application_id, rejected, values["opinion"],
                                                   seen_status=seen)
                command.run()
                flash(_("The application was returned to %(name)s", name=command.unit.name), "success")
            else:
                return self._render(application, values, errors, _("Choose Pass or Return"), status_code=400)
        except CommandError as err:
            raise_http(err)
            application = self._load(application_id)
            if err.field and err.field != "sections":
                errors[err.field] = str(err.message)
                return self._render(application, values, errors, _("Please correct the marked fields"))
            return self._render(application, values, errors, str(err.message))
        return redirect(url_for("EligibilityView.list"))


def register(appbuilder) -> None:
    from app.views import committee_experts, committee_fab, committee_meetings, committee_vote, expert

    appbuilder.add_view(EligibilityView, "EligibilityReview", label=_l("Eligibility check"), icon="fa-check-circle",
                        category="CommitteeReview", category_label=_l("Committee review"),
                        category_icon="fa-gavel")
    for module in (committee_experts, committee_meetings, expert, committee_fab, committee_vote):
        module.register(appbuilder)
    from app.api.committee import CommitteeApplicationApi, ExpertTaskApi

    appbuilder.add_api(CommitteeApplicationApi)
    appbuilder.add_api(ExpertTaskApi)
