"""数据上报: the signed-in unit's report list — tabs 委托评审人员未上报 / 非委托评审人员未上报 (its
`passed_unit` applications split by 是否委托评审) and 已上报, filters, sorting, paging — with 数据上报 of the
selected rows and the per-row edit of 是否委托评审 and 单位推荐排序. Thin: the rows come from
app/daos/unit_queue.py, the row check, the state check and the writes live in app/commands/review/report.py."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.commands.errors import CommandError
from app.commands.review.report import ReportCommand, UpdateReportFieldsCommand
from app.daos.actors import unit_of
from app.daos import paging, unit_queue
from app.models.applications import Application
from app.models.units import Unit
from app.views.acting import or_home
from app.views.answers import field_errors
from app.workflow.states import REPORTED_TO_COMMITTEE, Status, label

TABS = {"entrusted": _l("Entrusted review, not reported"), "not_entrusted": _l("Not entrusted review, not reported"),
        "reported": _l("Already reported")}
MAX_UNIT_NAME = 64


def _int(source, name: str) -> int | None:
    value = str(source.get(name, "") or "").strip()
    return int(value) if value.isdigit() and len(value) <= 9 and int(value) > 0 else None


def _filters(source) -> dict:
    """Tab, filters, sort and page of the list, from the query string (GET) or the hidden fields (POST)."""
    tab = source.get("tab", "")
    sort = source.get("sort", "")
    direction = source.get("dir", "")
    return {"tab": tab if tab in TABS else "entrusted", "sort": sort if sort in unit_queue.REPORT_SORTS else "submitted",
            "dir": direction if direction in ("asc", "desc") else "desc", "year": _int(source, "year"),
            "level": _int(source, "level"), "title": unit_queue.title_arg(source),
            "unit_name": str(source.get("unit_name", "") or "").strip()[:MAX_UNIT_NAME],
            "per_page": paging.per_page_arg(source), "position": paging.position_args(source)}


def _url_args(f: dict) -> dict:
    return {key: ("" if f[key] is None else f[key]) for key in
            ("tab", "sort", "dir", "year", "level", "title", "unit_name", "per_page")}


def _back(f: dict) -> str:
    """The list as it was shown: its filters, sort, page size and place."""
    return url_for("DataReportView.list", **dict(_url_args(f), **f["position"]))


# where an application is now, by its status: a unit's queue, a committee, or back with the applicant
AT_UNIT = {Status.PENDING_UNIT.value, Status.PASSED_UNIT.value, Status.FINAL_PASSED.value,
           Status.BLACKLISTED.value}


def where_now(application: Application) -> str:
    """已上报: who holds the application now; current_unit and committee are eager-loaded."""
    if application.status in AT_UNIT and application.current_unit is not None:
        return application.current_unit.name
    if application.status in REPORTED_TO_COMMITTEE and application.committee is not None:
        return application.committee.name
    return _("The applicant")


def _plan_key(plan: list[tuple[str, int]]) -> str:
    """What the confirmation page showed, sent back with 确定 to tell a changed plan."""
    return "|".join(f"{name}:{n}" for name, n in plan)


class DataReportView(BaseView):
    """数据上报: the report list of the signed-in unit."""

    route_base = "/report"
    class_permission_name = "DataReport"
    method_permission_name = {"list": "read", "report": "write", "fields": "write"}
    default_view = "list"

    def _unit(self) -> Unit:
        """The signed-in unit, or home with a warning for an account of another kind."""
        return or_home(unit_of(g.user), _("Only a unit account can do this"))

    def _render(self, unit: Unit, f: dict, *, form_error: str | None = None, selected=(), row_errors=None,
                row_values=None, status_code: int = 200):
        page = unit_queue.report_page(unit.id, f["tab"], sort=f["sort"], ascending=f["dir"] == "asc",
                                      source=dict(f["position"], per_page=f["per_page"]), year=f["year"],
                                      level_id=f["level"], title_name=f["title"], unit_name=f["unit_name"])
        rows = page.rows
        shown = {row.id for row in rows}
        for application_id, messages in (row_errors or {}).items():
            if application_id not in shown and not form_error:  # the row is not on this page: say it on top
                form_error = next(iter(messages.values()))
        return self.render_template(
            "report/list.html", rows=rows, page=page, tabs=TABS, f=f, position=f["position"],
            args=_url_args(f), levels=unit_queue.levels(), titles=unit_queue.title_names(f["level"]),
            years=unit_queue.year_choices(), where_now=where_now,
            form_error=form_error, selected={str(x) for x in selected},
            row_errors=row_errors or {}, row_values=row_values or {}, label=label,
            editable=f["tab"] != "reported", unit_id=unit.id, title=_("Data report")), status_code

    @expose("/")
    @has_access
    def list(self):
        unit = self._unit()
        return self._render(unit, _filters(request.args))

    @expose("/report", methods=["POST"])
    @has_access
    def report(self):
        unit = self._unit()
        f = _filters(request.form)
        ids = request.form.getlist("ids")
        command = ReportCommand(g.user, ids)
        try:
            plan = command.preview()
            shown = request.form.get("plan")
            if request.form.get("confirm") != "1" or shown != _plan_key(plan):
                # the 确定 step (seed 000 §2.4): nothing is sent before the unit confirms count and target;
                # a plan that changed since the page was shown (a path changed) is shown again
                return self.render_template(
                    "report/confirm.html", f=f, args=_url_args(f), back=_back(f), position=f["position"], ids=ids, plan=plan,
                    plan_key=_plan_key(plan), total=sum(n for _name, n in plan),
                    changed=request.form.get("confirm") == "1", title=_("Data report"))
            reported = command.run()
        except CommandError as err:  # the command's transaction is rolled back already
            by_field, message = field_errors(err)
            return self._render(unit, f, form_error=message or next(iter(by_field.values()))[0], selected=ids)
        flash(_("%(n)d application(s) reported to %(target)s", n=len(reported),
                target="、".join(command.target_names)), "success")
        return redirect(_back(f))

    @expose("/<int:application_id>/fields", methods=["POST"])
    @has_access
    def fields(self, application_id: int):
        unit = self._unit()
        f = _filters(request.form)
        values = {"entrusted": request.form.get("entrusted", ""),
                  "recommendation_rank": request.form.get("recommendation_rank", "").strip()[:16]}
        row_values = {application_id: values}
        try:
            UpdateReportFieldsCommand(g.user, application_id, values["entrusted"],
                                      values["recommendation_rank"]).run()
        except CommandError as err:  # the command's transaction is rolled back already
            by_field, message = field_errors(err)
            row_fields = {field: messages[0] for field, messages in by_field.items()
                          if field in ("entrusted", "recommendation_rank")}
            if row_fields:
                return self._render(unit, f, row_values=row_values, row_errors={application_id: row_fields})
            return self._render(unit, f, form_error=message or next(iter(by_field.values()))[0])
        flash(_("Saved"), "success")
        return redirect(_back(f))


def register(appbuilder) -> None:
    """Add this module's views and menus."""
    appbuilder.add_view(DataReportView, "DataReport", label=_l("Data report"), icon="fa-upload",
                        category="UnitAffairs", category_label=_l("Unit affairs"), category_icon="fa-building-o")
