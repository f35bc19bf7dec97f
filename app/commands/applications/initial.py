"""职称初定 (seed 004 ch. 2): the base-form fields only this business has — 所属行政区划 (the region of the
work unit), 工作单位性质, 行政主管部门 (a department or 无) and 报送受理部门 (an office serving that region
and series). Called by `create.clean_base_form`, so creating and editing check the same rules."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.commands.errors import CommandError
from app.extensions import db
from app.models.catalog import Region
from app.models.offices import AcceptingOffice
from app.services.offices import accepting_offices

WORK_UNIT_NATURES = ("企业单位", "事业单位", "机关", "社会团体", "民办非企业单位", "其他")
DEPARTMENT_MAX = 128
FIELDS = ("region_id", "work_unit_nature", "competent_department", "accepting_office_id")
EMPTY = dict.fromkeys(FIELDS)


def _text(data: dict, name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value).strip())


def clean_initial(data: dict, series_id: int) -> dict:
    """The column values of the 职称初定 fields, or CommandError at the first wrong field."""
    raw = _text(data, "region_id")
    region = db.session.get(Region, int(raw)) if raw.isdigit() and len(raw) < 10 else None
    if not raw:
        raise CommandError(_l("Choose the administrative region of your work unit"), "region_id")
    if region is None or region.parent_id is None:  # a city or a district, not a province
        raise CommandError(_l("Choose a city or a district"), "region_id")
    nature = _text(data, "work_unit_nature")
    if nature not in WORK_UNIT_NATURES:
        raise CommandError(_l("Choose the nature of your work unit"), "work_unit_nature")
    department = _text(data, "competent_department")
    if not department:
        raise CommandError(_l("Enter the competent administrative department, or 无 if there is none"),
                           "competent_department")
    if len(department) > DEPARTMENT_MAX:
        raise CommandError(_l("At most %(n)d characters", n=DEPARTMENT_MAX), "competent_department")
    offices = set(db.session.execute(accepting_offices(region.id, series_id)
                                      .with_only_columns(AcceptingOffice.id)).scalars())
    office = _text(data, "accepting_office_id")
    if not offices:
        raise CommandError(_l("No matching accepting office found"), "accepting_office_id")
    if not office:
        raise CommandError(_l("Choose the accepting office"), "accepting_office_id")
    if not office.isdigit() or int(office) not in offices:
        raise CommandError(_l("This office does not accept this series from this region"), "accepting_office_id")
    return {"region_id": region.id, "work_unit_nature": nature, "competent_department": department,
            "accepting_office_id": int(office)}

