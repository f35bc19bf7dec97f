"""The applicant's pages (P2, P3, P7, P8, P11): 承诺书, 我的申报信息, 新增申报信息, the application
overview with its sections, 确认申报, 取消申请 and 状态跟踪. Thin: rules live in the commands,
row access in app.daos.applications."""
from __future__ import annotations


from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.clock import utcnow
from app.commands.applications import initial
from app.commands.applications.cancel import CancelApplicationCommand
from app.commands.applications.commitment import AgreeCommitmentCommand, has_agreed
from app.commands.applications.create import (FIELDS, CreateApplicationCommand, blacklisted_until,
                                              duplicate_refusal, open_application)
from app.commands.applications.submit import SubmitCommand
from app.commands.applications.update_base import UpdateBaseCommand, base_form_editable
from app.commands.errors import CommandError
from app.daos import paging
from app.daos import certificates as certificate_daos
from app.daos.applications import get_own_or_404, own_applications, person_of
from app.extensions import db
from app.models.applications import Application, ApplicationEvent
from app.models.catalog import ApplicationMethod, ExceptionalCase, TitleLevel
from app.models.units import Unit
from app.services import catalog, pdf
from app.services.offices import accepting_offices
from app.views.register import _region_options
from app.views.forms import FlaskForm
from app.workflow import states
from app.workflow.sections import SECTIONS

STATUS_CLASSES = {"empty": "default", "filled": "primary", "rejected": "danger"}  # P6: grey, blue, red


class CsrfForm(FlaskForm):
    """The base form's fields are built from the catalog in the template; this carries the CSRF token."""


def _business_or_404(business: str) -> str:
    if business not in states.BUSINESS_LABELS:
        abort(404)
    return business


def _section_url(application_id: int, code: str) -> str:
    try:
        return url_for("SectionView.edit", application_id=application_id, code=code)
    except Exception:  # the sections pages are not registered (yet)
        return f"/applications/{application_id}/sections/{code}"


def _form_values(application: Application | None) -> dict[str, str]:
    if application is None:
        return {"is_work_unit": "1", "entrusted": "0"}
    values = {}
    for name in FIELDS:
        value = getattr(application, name)
        if isinstance(value, bool):
            value = "1" if value else "0"
        values[name] = "" if value is None else str(value)
    return values


def _int(values: dict, name: str) -> int | None:
    raw = (values.get(name) or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _choices(values: dict, year: int, business: str = "") -> dict:
    """The options of each select for the values now in the form (so a re-rendered form keeps them);
    small catalog lists only, never the units (select2 asks /pickers/units)."""
    level, series, unit_id = _int(values, "level_id"), _int(values, "series_id"), _int(values, "unit_id")
    rows = lambda query: db.session.execute(query).scalars().all()  # noqa: E731
    unit = db.session.get(Unit, unit_id) if unit_id else None
    committees = []
    if level and series and unit is not None:
        committees = rows(catalog.open_committees(level, series, unit.region_id, year, utcnow().date()))
    region_id = _int(values, "region_id")
    offices = rows(accepting_offices(region_id, series)) if region_id and series else []
    return {
        # say so instead of an empty select (seed 004: “未查到相关的评委会”)
        "no_committee": bool(level and series and unit is not None and not committees),
        "regions": _region_options(region_id) if business == "initial" else None,
        "natures": initial.WORK_UNIT_NATURES,
        "offices": offices,
        "no_office": bool(region_id and series and not offices),
        "levels": rows(select(TitleLevel).order_by(TitleLevel.rank)),
        "series": rows(catalog.series_at_level(level)) if level else [],
        "titles": rows(catalog.titles_of(level, series)) if level and series else [],
        "specialties": rows(catalog.specialties_of(series)) if series else [],
        "methods": rows(select(ApplicationMethod).order_by(ApplicationMethod.position, ApplicationMethod.id)),
        "cases": rows(select(ExceptionalCase).order_by(ExceptionalCase.id)),
        "committees": committees,
        "unit": unit,
    }


def _field_errors(err: CommandError) -> tuple[dict[str, str], str | None]:
    """({field: message} of every wrong field, message for the top of the form or None)."""
    errors = {field: str(message) for field, message in err.details if field} if err.details else {}
    if err.field and err.field not in errors:
        errors[err.field] = str(err.message)
    return errors, (None if errors else str(err.message))


def _posted() -> dict[str, str]:
    return {name: request.form.get(name, "") for name in FIELDS}


class ApplicationView(BaseView):
    route_base = "/applications"
    class_permission_name = "MyApplication"
    method_permission_name = {"list": "read", "show": "read", "timeline": "read", "choose": "write",
                              "commitment": "write", "create": "write", "edit": "write", "submit": "write",
                              "cancel": "write"}
    default_view = "list"

    # 我的申报信息 (P11)
    @expose("/")
    @has_access
    def list(self):
        page = paging.paginate(own_applications(g.user), key=Application.created_at, id_col=Application.id,
                               source=request.args,
                               options=(joinedload(Application.title), joinedload(Application.level)))
        return self.render_template("applications/list.html", rows=page.rows, page=page,
                                    businesses=states.BUSINESS_LABELS, status_label=states.label,
                                    forms_of=pdf.forms_of, form=CsrfForm(), title=_("My applications"),
                                    certificates=certificate_daos.by_application(g.user, [r.id for r in page.rows]))

    # 新增申报信息: choose the business first
    @expose("/new")
    @has_access
    def choose(self):
        return self.render_template("applications/choose.html", businesses=states.BUSINESS_LABELS,
                                    title=_("New application"))

    # 承诺书 (P2)
    @expose("/commitment/<business>", methods=["GET", "POST"])
    @has_access
    def commitment(self, business: str):
        _business_or_404(business)
        form = CsrfForm()
        if form.validate_on_submit():
            if request.form.get("choice") != "agree":
                flash(_("You can apply only after agreeing to the commitment letter"), "warning")
                return redirect(url_for("ApplicationView.list"))
            try:
                AgreeCommitmentCommand(g.user, business).run()
            except CommandError as err:
                db.session.rollback()
                flash(str(err.message), "danger")
                return redirect(url_for("ApplicationView.list"))
            return redirect(url_for("ApplicationView.create", business=business))
        return self.render_template("applications/commitment.html", form=form, business=business,
                                    business_label=states.BUSINESS_LABELS[business], title=_("Commitment letter"))

    def _render_base_form(self, form, values, errors, *, business, application=None, form_error=None):
        year = application.year if application is not None else utcnow().year
        return self.render_template(
            "applications/base_form.html", form=form, values=values, errors=errors, form_error=form_error,
            business=business, business_label=states.BUSINESS_LABELS[business], application=application,
            year=year, choices=_choices(values, year, business),
            title=_("Edit base information") if application is not None else _("New application"))

    # 新增申报信息 (P3)
    @expose("/new/<business>", methods=["GET", "POST"])
    @has_access
    def create(self, business: str):
        _business_or_404(business)
        person = person_of(g.user)
        if person is None:
            flash(_("Only an individual applicant can apply"), "warning")
            return redirect(url_for("ApplicationView.list"))
        if not has_agreed(person.id, business):
            return redirect(url_for("ApplicationView.commitment", business=business))
        until = blacklisted_until(person.id, utcnow().date())
        if until is not None:
            flash(_("You are on the blacklist until %(date)s and cannot apply before then", date=until.isoformat()),
                  "danger")
            return redirect(url_for("ApplicationView.list"))
        form = CsrfForm()
        values, errors, form_error = _form_values(None), {}, None
        existing = open_application(person.id, business, utcnow().year)
        if existing is not None and request.method == "GET":  # say so before the form is filled in
            form_error = str(duplicate_refusal(existing).message)
        if request.method == "POST":
            values = _posted()
            if form.validate_on_submit():
                try:
                    application = CreateApplicationCommand(g.user, business, values).run()
                except CommandError as err:
                    errors, form_error = _field_errors(err)
                else:
                    flash(_("The base information has been saved; now fill in each section"), "success")
                    return redirect(url_for("ApplicationView.show", application_id=application.id))
            else:
                form_error = _("The form has expired; please submit it again")
        return self._render_base_form(form, values, errors, business=business, form_error=form_error)

    @expose("/<int:application_id>/edit", methods=["GET", "POST"])
    @has_access
    def edit(self, application_id: int):
        application = get_own_or_404(g.user, application_id)
        if not base_form_editable(application):
            flash(_("The base information cannot be changed after submission"), "warning")
            return redirect(url_for("ApplicationView.show", application_id=application.id))
        form = CsrfForm()
        values, errors, form_error = _form_values(application), {}, None
        version = application.version
        if request.method == "POST":
            values, version = _posted(), request.form.get("version", "")
            if form.validate_on_submit():
                try:
                    UpdateBaseCommand(g.user, application_id, values, version).run()
                except CommandError as err:
                    application = get_own_or_404(g.user, application_id)
                    errors, form_error = _field_errors(err)
                else:
                    flash(_("Saved"), "success")
                    return redirect(url_for("ApplicationView.show", application_id=application_id))
            else:
                form_error = _("The form has expired; please submit it again")
        values["version"] = str(version)
        return self._render_base_form(form, values, errors, business=application.business, application=application,
                                      form_error=form_error)

    def _render_show(self, application: Application, problems=None, form_error=None):
        from app.workflow import sections

        rows = []
        for state in sections.section_states(application):
            code = state.code
            rows.append({"code": code, "label": state.label, "status": state.status, "reason": state.reason,
                         "required": state.required, "css": STATUS_CLASSES.get(state.status, "default"),
                         "url": _section_url(application.id, code)})
        editable = sections.editable_sections(application)
        return self.render_template(
            "applications/show.html", application=application, sections=rows, editable=editable,
            problems=problems or [], form_error=form_error, form=CsrfForm(), forms=pdf.forms_of(application.business),
            business_label=states.BUSINESS_LABELS.get(application.business, application.business),
            status_label=states.label(application.status), base_editable=base_form_editable(application),
            can_submit=application.status in (states.Status.DRAFT.value, states.Status.RETURNED.value),
            can_cancel=application.status == states.Status.DRAFT.value,
            title=_("Application details"))

    # the overview: base information, section states and the 暂存/确认申报/取消申请 buttons
    @expose("/<int:application_id>")
    @has_access
    def show(self, application_id: int):
        return self._render_show(get_own_or_404(g.user, application_id))

    # 确认申报 (P7, P9)
    @expose("/<int:application_id>/submit", methods=["POST"])
    @has_access
    def submit(self, application_id: int):
        application = get_own_or_404(g.user, application_id)
        form = CsrfForm()
        if not form.validate_on_submit():
            return self._render_show(application, form_error=_("The form has expired; please submit it again"))
        try:
            SubmitCommand(g.user, application_id).run()
        except CommandError as err:
            application = get_own_or_404(g.user, application_id)
            return self._render_show(application, problems=err.details, form_error=str(err.message))
        flash(_("Submitted: your application has been sent to the unit for review"), "success")
        return redirect(url_for("ApplicationView.timeline", application_id=application_id))

    # 取消申请 (P7)
    @expose("/<int:application_id>/cancel", methods=["POST"])
    @has_access
    def cancel(self, application_id: int):
        get_own_or_404(g.user, application_id)
        form = CsrfForm()
        if not form.validate_on_submit():
            flash(_("The form has expired; please submit it again"), "danger")
            return redirect(url_for("ApplicationView.show", application_id=application_id))
        try:
            CancelApplicationCommand(g.user, application_id).run()
        except CommandError as err:
            flash(str(err.message), "danger")
        else:
            flash(_("The application has been cancelled"), "success")
        return redirect(url_for("ApplicationView.list"))

    # 状态跟踪 (P8)
    @expose("/<int:application_id>/timeline")
    @has_access
    def timeline(self, application_id: int):
        application = get_own_or_404(g.user, application_id)
        events = db.session.execute(select(ApplicationEvent).where(ApplicationEvent.application_id == application.id)
                                    .order_by(ApplicationEvent.at, ApplicationEvent.id)).scalars().all()
        return self.render_template("applications/timeline.html", application=application, events=events,
                                    status_label=states.label, action_label=states.action_label,
                                    section_label=_section_label,
                                    business_label=states.BUSINESS_LABELS.get(application.business, ""),
                                    title=_("Status tracking"))


def _section_label(code: str) -> str:
    """The name of a section in the timeline's 退回 rows (the code itself for one no longer defined)."""
    spec = SECTIONS.get(code)
    return str(spec.label) if spec is not None else code


def register(appbuilder) -> None:
    """Add this module's views, menus and API."""
    from app.api.applications import MyApplicationApi

    menu = dict(category="Applications", category_label=_l("Professional titles"), category_icon="fa-graduation-cap")
    appbuilder.add_view(ApplicationView(), "MyApplications", label=_l("My applications"), icon="fa-list", **menu)
    appbuilder.add_link("NewApplication", label=_l("New application"), href="/applications/new", icon="fa-plus",
                        **menu)
    appbuilder.add_api(MyApplicationApi)
