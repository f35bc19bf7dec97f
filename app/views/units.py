"""Unit pages (SPEC §4): 职称申报权限申请 and its bureau review with the unit registry (U1), 单位路径申请 /
评委会路径申请 and their review by the target (U3, U4), 终审权限申请 and its bureau review (U5).
Thin: rules and row checks live in app/commands/units; every list is served page by page."""
from __future__ import annotations


from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app.commands.errors import CommandError
from app.commands.units import authority, paths, permission, registry
from app.commands.units.scope import NotFound, unit_of
from app.daos import paging
from app.extensions import db
from app.models.catalog import Committee, Region, TitleLevel, TitleSeries
from app.models.units import (FinalAuthorityApplication, ReportingPath, Unit, UnitPermissionApplication,
                              UnitRegistryEntry)
from app.views.forms import FlaskForm

PER_PAGE = 20
PERMISSION_LABELS = {"draft": _l("Saved, not submitted"), "submitted": _l("Waiting for review"),
                     "approved": _l("Approved"), "rejected": _l("Not approved")}


class CsrfForm(FlaskForm):
    """The fields are plain inputs in the templates; this carries the CSRF token."""


def _page(query, *options, key, id_col, ascending: bool = False) -> paging.Page:
    """One page of `query` in ORDER BY key, id (app/daos/paging.py: ?per_page=, 首页 … 末页, a bounded count)."""
    return paging.paginate(query, key=key, id_col=id_col, ascending=ascending, source=request.args, options=options)


def _status_arg(allowed) -> str:
    status = request.args.get("status", "")
    return status if status in allowed else ""


def _fail(err: CommandError, endpoint: str, **values):
    if isinstance(err, NotFound):
        abort(404)
    flash(str(err.message), "danger")
    return redirect(url_for(endpoint, **values))


def _regions_near(region: Region | None) -> list[Region]:
    """The regions of the unit's province (the province and everything below it): a few hundred at most."""
    if region is None:
        return []
    top = region
    while top.parent is not None:
        top = top.parent
    ids, frontier = [top.id], [top.id]
    while frontier:
        frontier = list(db.session.execute(select(Region.id).where(Region.parent_id.in_(frontier))).scalars())
        ids.extend(frontier)
    return db.session.execute(select(Region).where(Region.id.in_(ids)).options(joinedload(Region.parent))
                              .order_by(Region.code)).scalars().all()


# ---------------------------------------------------------------- U1: the unit's own application
class UnitPermissionView(BaseView):
    """职称申报权限申请: 保存申请 / 提交申请; read-only once submitted; the reason after 不通过."""

    route_base = "/units/permission"
    class_permission_name = "UnitPermission"
    method_permission_name = {"index": "write"}
    default_view = "index"

    @expose("/", methods=["GET", "POST"])
    @has_access
    def index(self):
        unit = unit_of(g.user)
        if unit is None:
            flash(_("Only a unit account can do this"), "warning")
            return redirect("/")
        application = permission.own_application(unit)
        form, errors, form_error = CsrfForm(), {}, None
        values = {"name": unit.name, "region_id": str(unit.region_id), "credit_code": unit.credit_code or "",
                  "unit_type": "", "competent_department": ""}
        if application is not None:
            values.update({name: str(getattr(application, name) or "") for name in permission.FIELDS})
        values["name"] = unit.name  # never typed: the registered name (U1)
        if request.method == "POST":
            values = {name: request.form.get(name, "") for name in permission.FORM_FIELDS}
            values["name"] = unit.name
            if not form.validate_on_submit():
                form_error = _("The form has expired; please submit it again")
            else:
                submit = request.form.get("action") == "submit"
                command = permission.SubmitPermissionCommand if submit else permission.SavePermissionCommand
                try:
                    saved = command(g.user, values).run()
                except CommandError as err:
                    if err.field:
                        errors[err.field] = str(err.message)
                    else:
                        form_error = str(err.message)
                else:
                    if not submit:
                        flash(_("The application has been saved; click Submit application when it is complete"),
                              "success")
                    elif saved.status == "approved":
                        flash(_("The automatic check passed: the unit may now apply for titles"), "success")
                    else:
                        flash(_("The application has been submitted to the HR bureau of your region for review"),
                              "success")
                    return redirect(url_for("UnitPermissionView.index"))
        editable = not unit.has_permission and (application is None or application.status in permission.EDITABLE)
        return self.render_template(
            "units/permission.html", form=form, unit=unit, application=application, values=values, errors=errors,
            form_error=form_error, editable=editable, regions=_regions_near(unit.region),
            unit_types=permission.UNIT_TYPES, labels=PERMISSION_LABELS, title=_("Permission to apply for titles"))


# ---------------------------------------------------------------- U1: the bureau's side
class UnitPermissionReviewView(BaseView):
    """职称申报权限审核: the applications of the bureau's region and the regions below it."""

    route_base = "/units/permission-review"
    class_permission_name = "UnitPermissionReview"
    method_permission_name = {"list": "read", "show": "read", "approve": "write", "reject": "write"}
    default_view = "list"

    @expose("/")
    @has_access
    def list(self):
        status = _status_arg(PERMISSION_LABELS) or ("" if "status" in request.args else "submitted")
        query = permission.bureau_queue(g.user).where(UnitPermissionApplication.status != "draft")
        if status:
            query = query.where(UnitPermissionApplication.status == status)
        page = _page(query, joinedload(UnitPermissionApplication.region),
                     key=UnitPermissionApplication.submitted_at, id_col=UnitPermissionApplication.id)
        return self.render_template("units/permission_review.html", rows=page.rows, page=page,
                                    status=status, labels=PERMISSION_LABELS, form=CsrfForm(),
                                    title=_("Review of permission applications"))

    def _row(self, application_id: int) -> UnitPermissionApplication:
        row = db.session.execute(permission.bureau_queue(g.user).where(
            UnitPermissionApplication.id == application_id,
            UnitPermissionApplication.status != "draft")).scalar_one_or_none()
        if row is None:
            abort(404)
        return row

    @expose("/<int:application_id>")
    @has_access
    def show(self, application_id: int):
        row = self._row(application_id)
        entry = db.session.execute(select(UnitRegistryEntry).where(
            UnitRegistryEntry.credit_code == row.credit_code)).scalar_one_or_none()
        return self.render_template("units/permission_show.html", row=row, entry=entry, labels=PERMISSION_LABELS,
                                    holder=permission.credit_code_holder(row),
                                    form=CsrfForm(), title=_("Permission application"))

    def _decide(self, application_id: int, approve: bool):
        if not CsrfForm().validate_on_submit():
            flash(_("The form has expired; please submit it again"), "danger")
            return redirect(url_for("UnitPermissionReviewView.list"))
        try:
            permission.DecidePermissionCommand(g.user, application_id, approve, request.form.get("reason")).run()
        except CommandError as err:
            return _fail(err, "UnitPermissionReviewView.show", application_id=application_id)
        flash(_("Approved") if approve else _("Not approved; the unit sees the reason"), "success")
        return redirect(url_for("UnitPermissionReviewView.list"))

    @expose("/<int:application_id>/approve", methods=["POST"])
    @has_access
    def approve(self, application_id: int):
        return self._decide(application_id, True)

    @expose("/<int:application_id>/reject", methods=["POST"])
    @has_access
    def reject(self, application_id: int):
        return self._decide(application_id, False)


class UnitRegistryView(BaseView):
    """单位名录: search page by page and import a CSV (统一社会信用代码,单位名称)."""

    route_base = "/units/registry"
    class_permission_name = "UnitRegistry"
    method_permission_name = {"list": "read", "import_csv": "write"}
    default_view = "list"

    def _render(self, form, errors=None, details=None):
        text = (request.args.get("q") or "").strip()[:64]
        query = select(UnitRegistryEntry)
        if text:
            pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            query = query.where(or_(UnitRegistryEntry.name.like(pattern, escape="\\"),
                                    UnitRegistryEntry.credit_code.like(pattern, escape="\\")))
        page = _page(query, key=UnitRegistryEntry.name, id_col=UnitRegistryEntry.id, ascending=True)
        return self.render_template("units/registry.html", rows=page.rows, page=page, q=text,
                                    form=form, errors=errors or {}, details=details or [],
                                    title=_("Unit registry"))

    @expose("/")
    @has_access
    def list(self):
        return self._render(CsrfForm())

    @expose("/import", methods=["POST"])
    @has_access
    def import_csv(self):
        form = CsrfForm()
        if not form.validate_on_submit():
            return self._render(form, {"file": _("The form has expired; please submit it again")})
        upload = request.files.get("file")
        raw = upload.read(registry.MAX_BYTES + 1) if upload is not None else b""
        try:
            count = registry.ImportRegistryCommand(g.user, raw).run()
        except CommandError as err:
            return self._render(form, {"file": str(err.message)}, err.details)
        flash(_("%(n)d registry rows imported", n=count), "success")
        return redirect(url_for("UnitRegistryView.list"))


# ---------------------------------------------------------------- U3: the requesting unit
class ReportingPathView(BaseView):
    """单位路径申请 (?kind=unit) and 评委会路径申请 (?kind=committee): the unit's paths by status, 新增路径."""

    route_base = "/units/paths"
    class_permission_name = "ReportingPath"
    method_permission_name = {"list": "read", "create": "write"}
    default_view = "list"

    @staticmethod
    def _kind(kind: str | None) -> str:
        kind = kind or "unit"
        if kind not in ("unit", "committee"):
            abort(404)
        return kind

    @expose("/")
    @has_access
    def list(self):
        kind = self._kind(request.args.get("kind"))
        status = _status_arg(paths.STATUS_LABELS)
        query = paths.own_paths(g.user, kind)
        if status:
            query = query.where(ReportingPath.status == status)
        page = _page(
            query, joinedload(ReportingPath.series), joinedload(ReportingPath.level),
            joinedload(ReportingPath.target_unit), joinedload(ReportingPath.committee),
            key=ReportingPath.created_at, id_col=ReportingPath.id)
        unit = unit_of(g.user)
        return self.render_template(
            "units/paths.html", rows=page.rows, page=page, kind=kind, status=status,
            labels=paths.STATUS_LABELS, sets=paths.BUSINESS_SETS, unit=unit,
            title=_("Committee path applications") if kind == "committee" else _("Unit path applications"))

    @expose("/new/<kind>", methods=["GET", "POST"])
    @has_access
    def create(self, kind: str):
        kind = self._kind(kind)
        form, errors, form_error = CsrfForm(), {}, None
        fields = ("business_set", "series_id", "level_id", "target_unit_id", "committee_id")
        values = {name: request.form.get(name, "") for name in fields}
        if request.method == "POST":
            if not form.validate_on_submit():
                form_error = _("The form has expired; please submit it again")
            else:
                try:
                    paths.CreatePathCommand(g.user, kind, values).run()
                except CommandError as err:
                    if isinstance(err, NotFound):
                        abort(404)
                    if err.field:
                        errors[err.field] = str(err.message)
                    else:
                        form_error = str(err.message)
                else:
                    flash(_("The path has been saved and sent to its target for approval; it is not effective "
                            "until approved"), "success")
                    return redirect(url_for("ReportingPathView.list", kind=kind))
        target = values["target_unit_id"]
        chosen_unit = db.session.get(Unit, int(target)) if target.isdigit() and len(target) < 10 else None
        committees = []
        if kind == "committee":
            committees = db.session.execute(select(Committee).options(
                joinedload(Committee.series), joinedload(Committee.level), joinedload(Committee.region))
                .order_by(Committee.name).limit(500)).scalars().all()
        return self.render_template(
            "units/path_form.html", form=form, kind=kind, values=values, errors=errors, form_error=form_error,
            sets=paths.BUSINESS_SETS, chosen_unit=chosen_unit, committees=committees,
            series=db.session.execute(select(TitleSeries).order_by(TitleSeries.id)).scalars().all(),
            levels=db.session.execute(select(TitleLevel).order_by(TitleLevel.rank)).scalars().all(),
            title=_("New committee path") if kind == "committee" else _("New unit path"))


# ---------------------------------------------------------------- U4: the target unit or committee
class PathReviewView(BaseView):
    """单位路径审核 / 评委会路径审核: the paths addressed to this unit or committee, by status."""

    route_base = "/units/path-review"
    class_permission_name = "PathReview"
    method_permission_name = {"list": "read", "approve": "write", "reject": "write"}
    default_view = "list"

    @expose("/")
    @has_access
    def list(self):
        status = _status_arg(paths.STATUS_LABELS) or ("" if "status" in request.args else "pending")
        query = paths.addressed_to(g.user)
        if status:
            query = query.where(ReportingPath.status == status)
        page = _page(
            query, joinedload(ReportingPath.unit), joinedload(ReportingPath.series), joinedload(ReportingPath.level),
            key=ReportingPath.created_at, id_col=ReportingPath.id)
        committee_side = unit_of(g.user) is None
        return self.render_template(
            "units/path_review.html", rows=page.rows, page=page, status=status,
            labels=paths.STATUS_LABELS, sets=paths.BUSINESS_SETS, form=CsrfForm(),
            title=_("Committee path review") if committee_side else _("Unit path review"))

    def _decide(self, path_id: int, approve: bool):
        if not CsrfForm().validate_on_submit():
            flash(_("The form has expired; please submit it again"), "danger")
            return redirect(url_for("PathReviewView.list"))
        try:
            paths.DecidePathCommand(g.user, path_id, approve, request.form.get("reason")).run()
        except CommandError as err:
            return _fail(err, "PathReviewView.list")
        flash(_("The path is now effective") if approve else _("The path was not approved; the unit sees the reason"),
              "success")
        return redirect(url_for("PathReviewView.list"))

    @expose("/<int:path_id>/approve", methods=["POST"])
    @has_access
    def approve(self, path_id: int):
        return self._decide(path_id, True)

    @expose("/<int:path_id>/reject", methods=["POST"])
    @has_access
    def reject(self, path_id: int):
        return self._decide(path_id, False)


# ---------------------------------------------------------------- U5
class FinalAuthorityView(BaseView):
    """终审权限申请: 职称认定证书发放 and 外地调入终审, one per 证书等级; the button is greyed out once every
    level is granted or pending."""

    route_base = "/units/final-authority"
    class_permission_name = "FinalAuthority"
    method_permission_name = {"index": "read", "apply": "write"}
    default_view = "index"

    @expose("/")
    @has_access
    def index(self):
        unit = unit_of(g.user)
        history, states = [], {}
        levels = db.session.execute(select(func.count()).select_from(TitleLevel)).scalar_one()
        if unit is not None:  # per business its pending and approved levels; the button greys out when all are
            states = {b: authority.open_applications(unit.id, b) for b in authority.AUTHORITY_BUSINESSES}
            history = db.session.execute(
                select(FinalAuthorityApplication).where(FinalAuthorityApplication.unit_id == unit.id)
                .options(joinedload(FinalAuthorityApplication.level))
                .order_by(FinalAuthorityApplication.created_at.desc()).limit(PER_PAGE)).scalars().all()
        return self.render_template("units/final_authority.html", unit=unit, states=states, history=history,
                                    level_count=levels,
                                    businesses=authority.AUTHORITY_BUSINESSES, labels=authority.STATUS_LABELS,
                                    title=_("Final review authority"))

    @expose("/apply/<business>", methods=["GET", "POST"])
    @has_access
    def apply(self, business: str):
        if business not in authority.AUTHORITY_BUSINESSES:
            abort(404)
        form, errors, form_error = CsrfForm(), {}, None
        values = {name: request.form.get(name, "") for name in ("level_id", "organisation")}
        if request.method == "POST":
            if not form.validate_on_submit():
                form_error = _("The form has expired; please submit it again")
            else:
                try:
                    authority.ApplyFinalAuthorityCommand(g.user, business, values).run()
                except CommandError as err:
                    if err.field:
                        errors[err.field] = str(err.message)
                    else:
                        form_error = str(err.message)
                else:
                    flash(_("The application has been submitted to the HR bureau of your region for review"),
                          "success")
                    return redirect(url_for("FinalAuthorityView.index"))
        unit = unit_of(g.user)
        taken = {row.level_id: row.status for row in authority.open_applications(unit.id, business)} if unit else {}
        return self.render_template(
            "units/final_authority_form.html", form=form, values=values, errors=errors, form_error=form_error,
            taken=taken, labels=authority.STATUS_LABELS,
            business=business, business_label=authority.AUTHORITY_BUSINESSES[business],
            levels=db.session.execute(select(TitleLevel).order_by(TitleLevel.rank)).scalars().all(),
            title=_("Final review authority"))


class FinalAuthorityReviewView(BaseView):
    """终审权限审核 by the bureau of the unit's region."""

    route_base = "/units/final-authority-review"
    class_permission_name = "FinalAuthorityReview"
    method_permission_name = {"list": "read", "approve": "write", "reject": "write"}
    default_view = "list"

    @expose("/")
    @has_access
    def list(self):
        status = _status_arg(authority.STATUS_LABELS) or ("" if "status" in request.args else "pending")
        query = authority.bureau_queue(g.user)
        if status:
            query = query.where(FinalAuthorityApplication.status == status)
        page = _page(
            query, joinedload(FinalAuthorityApplication.unit), joinedload(FinalAuthorityApplication.level),
            joinedload(FinalAuthorityApplication.region),
            key=FinalAuthorityApplication.created_at, id_col=FinalAuthorityApplication.id)
        return self.render_template("units/final_authority_review.html", rows=page.rows, page=page,
                                    status=status, labels=authority.STATUS_LABELS,
                                    businesses=authority.AUTHORITY_BUSINESSES, form=CsrfForm(),
                                    title=_("Review of final review authority"))

    def _decide(self, application_id: int, approve: bool):
        if not CsrfForm().validate_on_submit():
            flash(_("The form has expired; please submit it again"), "danger")
            return redirect(url_for("FinalAuthorityReviewView.list"))
        try:
            authority.DecideFinalAuthorityCommand(g.user, application_id, approve, request.form.get("reason")).run()
        except CommandError as err:
            return _fail(err, "FinalAuthorityReviewView.list")
        flash(_("Approved") if approve else _("Not approved; the unit sees the reason"), "success")
        return redirect(url_for("FinalAuthorityReviewView.list"))

    @expose("/<int:application_id>/approve", methods=["POST"])
    @has_access
    def approve(self, application_id: int):
        return self._decide(application_id, True)

    @expose("/<int:application_id>/reject", methods=["POST"])
    @has_access
    def reject(self, application_id: int):
        return self._decide(application_id, False)


def register(appbuilder) -> None:
    """Add this module's views and menus (menu names are `menu_access` resources in roles.py)."""
    for view in (UnitPermissionView, UnitPermissionReviewView, UnitRegistryView, ReportingPathView, PathReviewView,
                 FinalAuthorityView, FinalAuthorityReviewView):
        appbuilder.add_view_no_menu(view())

    unit = dict(category="UnitAffairs", category_label=_l("Unit affairs"), category_icon="fa-building-o")
    appbuilder.add_link("PermissionApplication", label=_l("Permission to apply for titles"),
                        href="/units/permission/", icon="fa-key", **unit)
    appbuilder.add_link("UnitPaths", label=_l("Unit path applications"), href="/units/paths/?kind=unit",
                        icon="fa-sitemap", **unit)
    appbuilder.add_link("CommitteePaths", label=_l("Committee path applications"),
                        href="/units/paths/?kind=committee", icon="fa-university", **unit)
    appbuilder.add_link("UnitPathReview", label=_l("Unit path review"), href="/units/path-review/",
                        icon="fa-check-square-o", **unit)
    appbuilder.add_link("FinalAuthority", label=_l("Final review authority"), href="/units/final-authority/",
                        icon="fa-certificate", **unit)

    bureau = dict(category="PermissionManagement", category_label=_l("Permission management"),
                  category_icon="fa-shield")
    appbuilder.add_link("PermissionReview", label=_l("Review of permission applications"),
                        href="/units/permission-review/", icon="fa-check", **bureau)
    appbuilder.add_link("FinalAuthorityReviews", label=_l("Review of final review authority"),
                        href="/units/final-authority-review/", icon="fa-certificate", **bureau)
    appbuilder.add_link("UnitRegistry", label=_l("Unit registry"), href="/units/registry/", icon="fa-list", **bureau)

    committee = dict(category="CommitteeAffairs", category_label=_l("Committee affairs"), category_icon="fa-gavel")
    appbuilder.add_link("CommitteePathReview", label=_l("Committee path review"), href="/units/path-review/",
                        icon="fa-check-square-o", **committee)
