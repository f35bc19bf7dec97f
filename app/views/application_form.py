"""The base form of an application (P2, P3): 承诺书, 新增申报信息 and 修改基本信息, as pages of
ApplicationView (app/views/applications.py). Thin: the rules are app/commands/applications/create.py's;
this module parses the request, fills the selects and renders."""
from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _

from app.clock import utcnow
from app.commands.applications import initial
from app.commands.applications.commitment import AgreeCommitmentCommand, has_agreed
from app.commands.applications.create import (FIELDS, CreateApplicationCommand, blacklisted_until,
                                              duplicate_refusal, open_application)
from app.commands.applications.update_base import UpdateBaseCommand, base_form_editable
from app.commands.errors import CommandError
from app.daos import catalog_choices as choices
from app.daos import units as units_dao
from app.daos.actors import person_of
from app.daos.applications import get_own_or_404
from app.models.applications import Application
from app.views.answers import answer
from app.views.forms import form_errors
from app.views.register import _region_options
from app.workflow import states


def business_or_404(business: str) -> str:
    if business not in states.BUSINESS_LABELS:
        abort(404)
    return business


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
    unit = units_dao.find_unit(unit_id)
    committees = []
    if level and series and unit is not None:
        committees = choices.open_committees(level, series, unit.region_id, year, utcnow().date())
    region_id = _int(values, "region_id")
    offices = choices.offices_for(region_id, series) if region_id and series else []
    return {
        # say so instead of an empty select (seed 004: “未查到相关的评委会”)
        "no_committee": bool(level and series and unit is not None and not committees),
        "regions": _region_options(region_id) if business == "initial" else None,
        "natures": initial.WORK_UNIT_NATURES,
        "offices": offices,
        "no_office": bool(region_id and series and not offices),
        "levels": choices.levels(),
        "series": choices.series_at_level(level) if level else [],
        "titles": choices.titles_of(level, series) if level and series else [],
        "specialties": choices.specialties_of(series) if series else [],
        "methods": choices.methods(),
        "cases": choices.exceptional_cases(),
        "committees": committees,
        "unit": unit,
    }


def _posted() -> dict[str, str]:
    return {name: request.form.get(name, "") for name in FIELDS}


class BaseFormPages:
    """承诺书, 新增申报信息 and 修改基本信息; mixed into ApplicationView (its routes and permissions)."""

    # 承诺书 (P2)
    @expose("/commitment/<business>", methods=["GET", "POST"])
    @has_access
    def commitment(self, business: str):
        business_or_404(business)
        if request.method == "POST":
            if request.form.get("choice") != "agree":
                flash(_("You can apply only after agreeing to the commitment letter"), "warning")
                return redirect(url_for("ApplicationView.list"))
            try:
                AgreeCommitmentCommand(g.user, business).run()
            except CommandError as err:
                answer(err)
                return redirect(url_for("ApplicationView.list"))
            return redirect(url_for("ApplicationView.create", business=business))
        return self.render_template("applications/commitment.html", business=business,
                                    business_label=states.BUSINESS_LABELS[business], title=_("Commitment letter"))

    def _render_base_form(self, values, errors, *, business, application=None, form_error=None):
        year = application.year if application is not None else utcnow().year
        return self.render_template(
            "applications/base_form.html", values=values, errors=errors, form_error=form_error,
            business=business, business_label=states.BUSINESS_LABELS[business], application=application,
            year=year, choices=_choices(values, year, business),
            title=_("Edit base information") if application is not None else _("New application"))

    # 新增申报信息 (P3)
    @expose("/new/<business>", methods=["GET", "POST"])
    @has_access
    def create(self, business: str):
        business_or_404(business)
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
        values, errors, form_error = _form_values(None), {}, None
        if request.method == "POST":
            values = _posted()
            try:
                application = CreateApplicationCommand(g.user, business, values).run()
            except CommandError as err:
                errors, form_error = form_errors(err)
            else:
                flash(_("The base information has been saved; now fill in each section"), "success")
                return redirect(url_for("ApplicationView.show", application_id=application.id))
        else:
            existing = open_application(person.id, business, utcnow().year)
            if existing is not None:  # say so before the form is filled in
                form_error = str(duplicate_refusal(existing).message)
        return self._render_base_form(values, errors, business=business, form_error=form_error)

    @expose("/<int:application_id>/edit", methods=["GET", "POST"])
    @has_access
    def edit(self, application_id: int):
        application = get_own_or_404(g.user, application_id)
        if not base_form_editable(application):
            flash(_("The base information cannot be changed after submission"), "warning")
            return redirect(url_for("ApplicationView.show", application_id=application.id))
        values, errors, form_error = _form_values(application), {}, None
        version = application.version
        if request.method == "POST":
            values, version = _posted(), request.form.get("version", "")
            try:
                UpdateBaseCommand(g.user, application_id, values, version).run()
            except CommandError as err:
                application = get_own_or_404(g.user, application_id)
                errors, form_error = form_errors(err)
            else:
                flash(_("Saved"), "success")
                return redirect(url_for("ApplicationView.show", application_id=application_id))
        values["version"] = str(version)
        return self._render_base_form(values, errors, business=application.business, application=application,
                                      form_error=form_error)
