"""Import titles (with their specialties) or committees (with a year's period) from a CSV file.

Every row is checked first; any error refuses the whole file (nothing saved) and lists the errors with
their line numbers. Rows already present are kept and counted as skipped, so importing the same file
again changes nothing. One transaction, with one audit row carrying the counts."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.commands.base import BaseCommand
from app.commands.catalog import scope
from app.commands.errors import Invalid
from app.extensions import db
from app.models.catalog import Committee, CommitteePeriod, Region, Specialty, Title, TitleLevel, TitleSeries
from app.services import audit

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_ERRORS_SHOWN = 100
COLUMNS = {
    "titles": ("级别", "系列", "职称名称", "专业"),
    "committees": ("名称", "系列", "级别", "地区代码", "年度", "开始日期", "结束日期"),
}
EXAMPLES = {
    "titles": ("初级", "群众文化", "助理馆员", "舞蹈；音乐"),
    "committees": ("威海市环翠区群众文化专业职务资格初级评审委员会", "群众文化", "初级", "371002", "2026",
                   "2026-03-01", "2026-04-30"),
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPECIALTY_SEPARATOR = re.compile(r"[；;]")


@dataclass
class ImportResult:
    kind: str
    added: dict[str, int] = field(default_factory=dict)
    skipped: int = 0

    @property
    def added_total(self) -> int:
        return sum(self.added.values())


def template_csv(kind: str) -> bytes:
    """The header and one example row, UTF-8 with BOM so that Excel opens it correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS[kind])
    writer.writerow(EXAMPLES[kind])
    return out.getvalue().encode("utf-8-sig")


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) or GBK/GB18030, as Excel in China saves; anything else is refused."""
    if len(raw) > MAX_BYTES:
        raise Invalid(_l("The file is larger than 2 MB"), field="file")
    if not raw.strip():
        raise Invalid(_l("The file is empty"), field="file")
    if b"\x00" in raw:
        raise Invalid(_l("This is not a CSV text file"), field="file")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            break
        return text
    raise Invalid(_l("This is not a CSV text file (UTF-8 or GBK expected)"), field="file")


def _parse_date(text: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


class ImportCatalogCsvCommand(BaseCommand):
    def __init__(self, user, kind: str, raw: bytes):
        self.user, self.kind, self.raw = user, kind, raw
        self.errors: list[str] = []
        self._levels = {r.name: r for r in db.session.execute(select(TitleLevel)).scalars()}
        self._series = {r.name: r for r in db.session.execute(select(TitleSeries)).scalars()}

    # ---- reading ----------------------------------------------------------------------------
    def _rows(self) -> list[tuple[int, list[str]]]:
        text = decode(self.raw)
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader, None)
            expected = COLUMNS[self.kind]
            if header is None or tuple(c.strip() for c in header[:len(expected)]) != expected:
                raise Invalid(_l("The first line must be the column names: %(columns)s",
                                      columns=",".join(expected)), field="file")
            rows = []
            for cells in reader:
                if not any(c.strip() for c in cells):
                    continue
                if len(rows) >= MAX_ROWS:
                    raise Invalid(_l("At most %(n)d rows may be imported at once", n=MAX_ROWS), field="file")
                cells = [c.strip() for c in cells] + [""] * len(expected)
                rows.append((reader.line_num, cells[:len(expected)]))
        except csv.Error:
            raise Invalid(_l("This is not a valid CSV file"), field="file") from None
        if not rows:
            raise Invalid(_l("The file has no data rows"), field="file")
        return rows

    def _error(self, line: int, message) -> None:
        self.errors.append(str(_l("Line %(line)d: %(message)s", line=line, message=message)))

    def _known(self, line, name, rows: dict, empty, unknown):
        """The row called `name` among `rows`; an error of the line when it is empty or not there."""
        if not name:
            self._error(line, empty)
        elif name not in rows:
            self._error(line, unknown)
        return rows.get(name)

    def _level(self, line, name):
        return self._known(line, name, self._levels, _l("the level is empty"),
                           _l("level “%(name)s” does not exist", name=name))

    def _series_of(self, line, name):
        return self._known(line, name, self._series, _l("the series is empty"),
                           _l("series “%(name)s” does not exist", name=name))

    def _name(self, line, text, label, limit):
        if not text:
            self._error(line, _l("%(column)s is empty", column=label))
        elif len(text) > limit:
            self._error(line, _l("%(column)s is longer than %(n)d characters", column=label, n=limit))

    # ---- titles -----------------------------------------------------------------------------
    def _plan_titles(self, rows):
        scope.check_province_wide(self.user)
        plan = []
        for line, (level_name, series_name, title_name, specialties) in rows:
            level, series = self._level(line, level_name), self._series_of(line, series_name)
            self._name(line, title_name, "职称名称", 32)
            names = [s.strip() for s in _SPECIALTY_SEPARATOR.split(specialties) if s.strip()]
            for name in names:
                if len(name) > 32:
                    self._error(line, _l("specialty “%(name)s” is longer than 32 characters", name=name))
            plan.append((level, series, title_name, names))
        return plan

    def _run_titles(self, plan, result: ImportResult):
        titles = {(t.series_id, t.level_id, t.name) for t in db.session.execute(select(Title)).scalars()}
        specialties = {(s.series_id, s.name) for s in db.session.execute(select(Specialty)).scalars()}
        for level, series, title_name, names in plan:
            key = (series.id, level.id, title_name)
            if key in titles:
                result.skipped += 1
            else:
                db.session.add(Title(series_id=series.id, level_id=level.id, name=title_name))
                titles.add(key)
                result.added["titles"] = result.added.get("titles", 0) + 1
            for name in names:
                if (series.id, name) in specialties:
                    result.skipped += 1
                else:
                    db.session.add(Specialty(series_id=series.id, name=name))
                    specialties.add((series.id, name))
                    result.added["specialties"] = result.added.get("specialties", 0) + 1

    # ---- committees -------------------------------------------------------------------------
    def _plan_committees(self, rows):
        allowed = scope.scope_region_ids(self.user)
        codes = {row[1][3] for row in rows}
        regions = {r.code: r for r in db.session.execute(select(Region).where(Region.code.in_(codes))).scalars()}
        names = {row[1][0] for row in rows}
        existing = {c.name: c for c in db.session.execute(select(Committee).where(Committee.name.in_(names)))
                    .scalars()}
        plan, seen = [], {}
        for line, (name, series_name, level_name, code, year_text, starts_text, ends_text) in rows:
            self._name(line, name, "名称", 128)
            series, level = self._series_of(line, series_name), self._level(line, level_name)
            region = regions.get(code)
            if region is None:
                self._error(line, _l("region code “%(code)s” does not exist", code=code))
            elif region.parent_id is None:
                self._error(line, _l("a committee sits in a city or a district, not in “%(name)s”",
                                     name=region.name))
            elif allowed is not None and region.id not in allowed:
                self._error(line, _l("region “%(name)s” is not one of your regions", name=region.name))
            year = int(year_text) if year_text.isdigit() and 1990 <= int(year_text) <= 2100 else None
            if year is None:
                self._error(line, _l("year “%(text)s” is not a year between 1990 and 2100", text=year_text))
            starts, ends = _parse_date(starts_text), _parse_date(ends_text)
            for text, value in ((starts_text, starts), (ends_text, ends)):
                if value is None:
                    self._error(line, _l("date “%(text)s” is not a date like 2026-03-01", text=text))
            if starts and ends and ends < starts:
                self._error(line, _l("the end date is earlier than the start date"))
            committee = existing.get(name)
            if committee is not None and series and level and region and (
                    committee.series_id, committee.level_id, committee.region_id) != (series.id, level.id, region.id):
                self._error(line, _l("committee “%(name)s” exists with another series, level or region", name=name))
            if committee is not None and allowed is not None and committee.region_id not in allowed:
                self._error(line, _l("committee “%(name)s” is not in your regions", name=name))
            earlier = seen.setdefault(name, (series_name, level_name, code))
            if earlier != (series_name, level_name, code):
                self._error(line, _l("committee “%(name)s” appears with different columns", name=name))
            plan.append((name, series, level, region, year, starts, ends))
        return plan

    def _run_committees(self, plan, result: ImportResult):
        names = {p[0] for p in plan}
        committees = {c.name: c for c in db.session.execute(select(Committee).where(Committee.name.in_(names)))
                      .scalars()}
        periods = {(p.committee_id, p.year) for p in db.session.execute(
            select(CommitteePeriod).where(CommitteePeriod.committee_id.in_([c.id for c in committees.values()])))
            .scalars()}
        for name, series, level, region, year, starts, ends in plan:
            committee = committees.get(name)
            if committee is None:
                committee = Committee(name=name, series_id=series.id, level_id=level.id, region_id=region.id)
                db.session.add(committee)
                db.session.flush()
                committees[name] = committee
                result.added["committees"] = result.added.get("committees", 0) + 1
            if (committee.id, year) in periods:
                result.skipped += 1
                continue
            db.session.add(CommitteePeriod(committee_id=committee.id, year=year, starts_on=starts, ends_on=ends))
            periods.add((committee.id, year))
            result.added["periods"] = result.added.get("periods", 0) + 1

    # ---- the use case -----------------------------------------------------------------------
    def validate(self):
        if self.kind not in COLUMNS:
            raise Invalid(_l("Please choose what to import"), field="kind")
        rows = self._rows()
        plan = self._plan_titles(rows) if self.kind == "titles" else self._plan_committees(rows)
        if self.errors:
            shown = self.errors[:MAX_ERRORS_SHOWN]
            if len(self.errors) > MAX_ERRORS_SHOWN:
                shown.append(str(_l("… and %(n)d more errors", n=len(self.errors) - MAX_ERRORS_SHOWN)))
            raise Invalid(_l("The file has %(n)d errors; nothing was imported", n=len(self.errors)),
                               field="file", details=shown)
        return plan

    def run(self) -> ImportResult:
        plan = self.validate()
        result = ImportResult(self.kind)
        (self._run_titles if self.kind == "titles" else self._run_committees)(plan, result)
        summary = ", ".join(f"{k}+{v}" for k, v in sorted(result.added.items()))
        audit.record("catalog_imported", actor=self.user, object_type="catalog_csv", object_id=self.kind,
                     to_state=f"added {result.added_total}, skipped {result.skipped}"[:64],
                     opinion=summary)
        return result
