"""上报路径 (U3/U4): the requesting unit's 单位路径申请 (?kind=unit) and 评委会路径申请 (?kind=committee) with
新增路径, and 单位路径审核 / 评委会路径审核 of the paths addressed to the signed-in unit or committee."""
from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.clock import format_local
from app.commands.units import paths
from app.daos import catalog_choices
from app.daos import units as units_dao
from app.daos.actors import unit_account_of
from app.models.units import ReportingPath
from app.views.catalog.base import EagerInterface
from app.views.units.forms import post, typed
from app.views.units.queues import QueueView, RowsView, name_of, status_cell
from app.workflow.unit_states import PATH_LABELS, PATH_TRANSITIONS

PATH_FIELDS = ("business_set", "series_id", "level_id", "target_unit_id", "committee_id")


def _kind(kind: str | None) -> str:
    kind = kind or "unit"
    if kind not in paths.KINDS:
        abort(404)
    return kind


class ReportingPathView(RowsView):
    """单位路径申请 (?kind=unit) and 评委会路径申请 (?kind=committee): the unit's own paths by status, 新增路径."""

    route_base = "/units/paths"
    class_permission_name = "ReportingPath"
    datamodel = EagerInterface(ReportingPath, joinedload(ReportingPath.series), joinedload(ReportingPath.level),
                               joinedload(ReportingPath.target_unit), joinedload(ReportingPath.committee))
    rule = staticmethod(units_dao.own_path_rule)
    labels = PATH_LABELS
    table_id = "paths"
    method_permission_name = {"list": "read", "create": "write"}
    include_route_methods = {"list", "create"}
    list_template = "units/paths.html"
    list_title = _l("Unit path applications")
    list_columns = ["business_set", "series", "level", "target_unit", "committee", "status", "reason", "created_at"]
    search_columns = ["business_set"]
    base_order = ("created_at", "desc")
    label_columns = {"business_set": _l("Business"), "series": _l("Professional title series"),
                     "level": _l("Professional title level"), "target_unit": _l("Superior unit"),
                     "committee": _l("Committee"), "status": _l("Status"), "reason": _l("Reason for not approving"),
                     "created_at": _l("Applied at")}
    formatters_columns = {"series": name_of("name"), "level": name_of("name"), "target_unit": name_of("name"),
                          "committee": name_of("name"),
                          "business_set": lambda code: paths.BUSINESS_SETS.get(code, code),
                          "status": status_cell(PATH_LABELS), "created_at": format_local}

    def conditions(self) -> list:
        return [*super().conditions(), units_dao.path_kind_rule(_kind(request.args.get("kind")))]

    def list_args(self) -> dict:
        kind = _kind(request.args.get("kind"))
        return dict(super().list_args(), hidden=("target_unit",) if kind == "committee" else ("committee",))

    def page_args(self) -> dict:
        kind = _kind(request.args.get("kind"))
        return dict(super().page_args(), kind=kind, tab_args={"kind": kind}, unit=unit_account_of(g.user),
                    title=_("Committee path applications") if kind == "committee" else _("Unit path applications"))

    @expose("/new/<kind>", methods=["GET", "POST"])
    @has_access
    def create(self, kind: str):
        kind = _kind(kind)
        values = typed(PATH_FIELDS)
        posted = post(lambda: paths.CreatePathCommand(g.user, kind, values).run())
        if posted.done:
            flash(_("The path has been saved and sent to its target for approval; it is not effective "
                    "until approved"), "success")
            return redirect(url_for("ReportingPathView.list", kind=kind))
        return self.render_template(
            "units/path_form.html", kind=kind, values=values, errors=posted.errors, form_error=posted.form_error,
            sets=paths.BUSINESS_SETS, chosen_unit=units_dao.unit_by_id(values["target_unit_id"]),
            committees=units_dao.committee_choices() if kind == "committee" else [],
            series=catalog_choices.all_series(), levels=catalog_choices.levels(),
            title=_("New committee path") if kind == "committee" else _("New unit path"))


class PathReviewView(QueueView):
    """单位路径审核 / 评委会路径审核: the paths addressed to this unit or committee, by status."""

    route_base = "/units/path-review"
    class_permission_name = "PathReview"
    datamodel = EagerInterface(ReportingPath, joinedload(ReportingPath.unit), joinedload(ReportingPath.series),
                               joinedload(ReportingPath.level))
    rule = staticmethod(units_dao.path_review_rule)
    find = staticmethod(units_dao.path_review_row)
    transitions, labels, command = PATH_TRANSITIONS, PATH_LABELS, paths.DecidePathCommand
    table_id = "path-review"
    list_title = _l("Unit path review")
    list_columns = ["unit", "business_set", "series", "level", "status", "created_at", "reason"]
    search_columns = ["business_set"]
    base_order = ("created_at", "desc")
    label_columns = {"unit": _l("Applying unit"), "business_set": _l("Business"),
                     "series": _l("Professional title series"), "level": _l("Professional title level"),
                     "status": _l("Status"), "created_at": _l("Applied at"), "reason": _l("Reason for not approving")}
    formatters_columns = {"unit": name_of("name"), "series": name_of("name"), "level": name_of("name"),
                          "business_set": lambda code: paths.BUSINESS_SETS.get(code, code),
                          "status": status_cell(PATH_LABELS), "created_at": format_local}
    approved_message = _l("The path is now effective")
    rejected_message = _l("The path was not approved; the unit sees the reason")

    def render_template(self, template, **kwargs):
        if template == self.list_template and unit_account_of(g.user) is None:
            kwargs["title"] = _("Committee path review")
        return super().render_template(template, **kwargs)

    def describe(self, row) -> str:
        return f"{row.unit.name}：{paths.BUSINESS_SETS.get(row.business_set, row.business_set)} · " \
               f"{row.series.name} · {row.level.name}"
