"""Small JSON pickers for the application form: the title cascade, the unit picker and the
committees open to a unit. Each answers a page of rows, never a whole table."""
from __future__ import annotations

from flask import jsonify, request
from flask_appbuilder import BaseView, expose, has_access

from app.clock import utcnow
from app.daos import catalog_choices as choices
from app.daos import paging, unit_picker
from app.daos import units as units_dao

UNITS_PER_PAGE = 20
MAX_PAGE = 500


def _int_arg(name: str, default: int | None = None, low: int = 1, high: int = 2**31 - 1) -> int | None:
    try:
        value = int(request.args.get(name, ""))
    except ValueError:
        return default
    return value if low <= value <= high else default


def _rows(rows) -> list[dict]:
    return [{"id": row.id, "name": row.name} for row in rows]


def _catalog(load, *names: str):
    """[{id, name}] of the catalog rows load(*ids) gives, when every one of the named ids is in the request
    (a positive whole number); else []."""
    ids = [_int_arg(name) for name in names]
    return jsonify(_rows(load(*ids)) if all(ids) else [])


class PickerView(BaseView):
    route_base = "/pickers"
    class_permission_name = "Picker"
    method_permission_name = {"series": "read", "titles": "read", "specialties": "read", "units": "read",
                              "committees": "read", "offices": "read"}
    default_view = "units"

    @expose("/series")
    @has_access
    def series(self):
        return _catalog(choices.series_at_level, "level")

    @expose("/titles")
    @has_access
    def titles(self):
        return _catalog(choices.titles_of, "level", "series")

    @expose("/specialties")
    @has_access
    def specialties(self):
        return _catalog(choices.specialties_of, "series")

    @expose("/units")
    @has_access
    def units(self):
        """Units with 职称申报权限 whose name contains q, 20 a page, in select2's format."""
        text = (request.args.get("q") or "").strip()[:64]
        page = _int_arg("page", 1, high=MAX_PAGE)
        rows, more = paging.numbered_slice(unit_picker.permitted_units(text), page, UNITS_PER_PAGE)
        results = [{"id": r.id, "text": f"{r.name}（{r.parent or ''}{r.region}）"} for r in rows]
        return jsonify({"results": results, "more": more})

    @expose("/committees")
    @has_access
    def committees(self):
        level, series, unit_id = _int_arg("level"), _int_arg("series"), _int_arg("unit")
        today = utcnow().date()
        year = _int_arg("year", today.year, low=1950, high=2100)
        unit = units_dao.find_unit(unit_id)
        if not (level and series and unit):
            return jsonify([])
        return jsonify(_rows(choices.open_committees(level, series, unit.region_id, year, today)))

    @expose("/offices")
    @has_access
    def offices(self):
        """报送受理部门 of 职称初定 serving ?region= for ?series= (seed 004 ch. 2)."""
        region, series = _int_arg("region"), _int_arg("series")
        return jsonify(_rows(choices.offices_for(region, series)) if region and series else [])
