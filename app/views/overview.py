"""统计: the bureau's overview of its region for a year (counts by status, business, series, level and
unit; the progress of each open period) as server-drawn SVG bars and tables, every table and the list
behind them as Excel; and the unit's 一览表 of the applicants it reported (seed 003)."""
from __future__ import annotations


from flask import Response, current_app, flash, g, redirect, request
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.clock import format_local, to_local
from app.commands.catalog.scope import bureau_region
from app.daos import deadlines as deadline_dao
from app.daos import overview as dao
from app.daos.applications import unit_of
from app.daos.unit_queue import this_year, year_choices
from app.security.validators import mask_id_number
from app.services import excel, periods
from app.views.acting import or_home
from app.workflow.states import BUSINESS_LABELS, label

PROGRESS = (("submitted", _l("Submitted")), ("reviewed", _l("Passed unit review")),
            ("reported", _l("Reported to the committee")), ("at_committee", _l("At the committee")),
            ("passed", _l("Passed")))


def _year() -> int:
    raw = str(request.args.get("year", "")).strip()
    return int(raw) if raw.isdigit() and 1990 <= int(raw) <= 2100 else this_year()


def _tables(counts: dict) -> list[tuple[str, str, list[tuple[str, int]]]]:
    """(key, heading, [(label, count)]) of each table, labels in Chinese."""
    return [("status", _("By status"), [(label(k), n) for k, n in counts["status"]]),
            ("business", _("By business"), [(str(BUSINESS_LABELS.get(k, k)), n) for k, n in counts["business"]]),
            ("series", _("By title series"), list(counts["series"])),
            ("level", _("By level"), list(counts["level"])),
            ("unit", _("By unit"), list(counts["unit"]))]


class OverviewView(BaseView):
    route_base = "/overview"
    class_permission_name = "Overview"
    method_permission_name = {"index": "read", "export": "read"}
    default_view = "index"

    def _region(self):
        region = bureau_region(g.user)
        if region is None:
            flash(_("Only a bureau account bound to a region can see this"), "warning")
        return region

    @expose("/")
    @has_access
    def index(self):
        region = self._region()
        if region is None:
            return redirect("/")
        year = _year()
        progress = dao.open_periods_progress(region.id, periods.today())
        counts, counted_at = dao.counts_as_of(region.id, year)
        return self.render_template("overview/index.html", region=region, year=year, years=year_choices(),
                                    tables=_tables(counts), counted_at=counted_at, progress=progress,
                                    progress_columns=PROGRESS, title=_("Statistics overview"),
                                    kept_seconds=int(current_app.config.get("OVERVIEW_CACHE_SECONDS", 60)))

    @expose("/export/<table>.xlsx")
    @has_access
    def export(self, table: str):
        region = self._region()
        if region is None:
            return redirect("/")
        year = _year()
        if table in {"status", "business", "series", "level", "unit"}:
            key, heading, rows = next(t for t in _tables(dao.counts_as_of(region.id, year)[0]) if t[0] == table)
            data = excel.workbook(f"{region.full_name} {year} {heading}", [heading, _("Number of applicants")], rows)
            name = f"{year}{heading}.xlsx"
        elif table == "periods":
            rows = [[name, p.starts_on, p.ends_on, *[counts[k] for k, _label in PROGRESS]]
                    for name, p, counts in dao.open_periods_progress(region.id, periods.today())]
            data = excel.workbook(_("Open periods"), [_("Period"), _("Application starts on"),
                                                      _("Application ends on"), *[str(t) for _k, t in PROGRESS]], rows)
            name = f"{_('Open periods')}.xlsx"
        elif table == "applications":
            limit = int(current_app.config["EXPORT_MAX_ROWS"])
            rows = [[i, r[1], mask_id_number(r[2]), r[4] or r[3], r[5], r[6], str(BUSINESS_LABELS.get(r[7], r[7])),
                     label(r[8]), format_local(r[9])]
                    for i, r in enumerate(dao.application_rows(dao.scope(region.id, year), limit), 1)]
            data = excel.workbook(f"{region.full_name} {year} {_('List of applications')}",
                                  [_("No."), _("Name"), _("ID number"), _("Work unit"), _("Title applied for"),
                                   _("Level applied for"), _("Business"), _("Status"), _("Submitted at")], rows)
            name = f"{year}{_('List of applications')}.xlsx"
        elif table == "overdue":
            today = periods.today()
            rows = [[i, r[4], r[5], r[3], r[7], (today - to_local(r[1]).date()).days] for i, r in enumerate(
                deadline_dao.overdue_in_region(region.id, int(current_app.config["EXPORT_MAX_ROWS"])), 1)]
            data = excel.workbook(_("Overdue work"), [_("No."), _("Name"), _("Title applied for"), _("Year"),
                                                      _("Unit"), _("Days waited")], rows)
            name = f"{_('Overdue work')}.xlsx"
        else:
            return Response(_("Not found"), status=404)
        return Response(data, mimetype=excel.MIME, headers={"Content-Disposition": excel.disposition(name)})


def _rank_key(rank: str):
    head = (rank or "").split("/")[0]
    return (int(head) if head.isdigit() else 10 ** 6, rank or "")


class ReportedListView(BaseView):
    """The unit's 一览表 of the applicants it reported in a year (序号, 姓名, 工作单位, 申报职称, 单位推荐排序,
    是否委托评审), as in seed 003."""

    route_base = "/report/applicant-list"
    class_permission_name = "ReportedList"
    method_permission_name = {"download": "read"}
    default_view = "download"

    @expose("/")
    @has_access
    def download(self):
        unit = or_home(unit_of(g.user), _("Only a unit account can do this"))
        year = _year()
        rows = sorted(dao.reported_by_unit(unit.id, year, int(current_app.config["EXPORT_MAX_ROWS"])),
                      key=lambda r: _rank_key(r[5]))
        data = excel.workbook(
            _("%(unit)s: list of applicants reported in %(year)d", unit=unit.name, year=year),
            [_("No."), _("Name"), _("Work unit"), _("Title applied for"), _("Unit recommendation rank"),
             _("Entrusted review")],
            [[i, r[0], r[1] if r[3] else (r[2] or r[1]), r[4], r[5], _("Yes") if r[6] else _("No")]
             for i, r in enumerate(rows, 1)], sheet=_("List"))
        name = f"{year}{_('List of reported applicants')}.xlsx"
        return Response(data, mimetype=excel.MIME, headers={"Content-Disposition": excel.disposition(name)})


def register(appbuilder) -> None:
    stats = dict(category="Statistics", category_label=_l("Statistics"), category_icon="fa-bar-chart")
    appbuilder.add_view(OverviewView(), "Overview", label=_l("Statistics overview"), icon="fa-pie-chart", **stats)
    appbuilder.add_view(ReportedListView(), "ReportedList", label=_l("List of reported applicants"),
                        icon="fa-file-excel-o", category="UnitAffairs", category_label=_l("Unit affairs"),
                        category_icon="fa-building-o")


