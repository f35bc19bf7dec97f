"""Deadline pages: the message centre's 全部标为已读 and the navbar's unread count, the bureau's list of
overdue work with 催办, the periods of the businesses without a committee, and the marks (days left,
overdue) the applicant's and the unit's lists show."""
from __future__ import annotations

import datetime as dt

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from app.clock import to_local
from app.commands.base import transaction
from app.commands.catalog.scope import bureau_region
from app.commands.deadlines.overdue import UrgeUnitCommand
from app.commands.errors import CommandError
from app.daos import deadlines as dao
from app.models.deadlines import BusinessPeriod
from app.services import notify, periods
from app.views import labels
from app.views.acting import or_home
from app.views.answers import answer
from app.views.catalog.base import (YEAR_RANGE, CatalogModelView, EagerInterface, EndsNotBeforeStart, FilterInScope,
                                    UniqueTogether, regions_in)
from app.views.period_fields import PERIOD_LABELS, PERIOD_VALIDATORS
from app.workflow.states import BUSINESS_LABELS

PAGE = 50


class CsrfForm(FlaskForm):
    pass


class MessageCentreView(BaseView):
    """消息: 全部标为已读 (the list itself is the Notification view of the account menu)."""

    route_base = "/account/messages-all"
    class_permission_name = "Notification"
    method_permission_name = {"read_all": "write"}

    @expose("/read", methods=["POST"])
    @has_access
    def read_all(self):
        if not CsrfForm().validate_on_submit():
            abort(400)
        with transaction():
            count = notify.mark_all_read(g.user.id)
        flash(_("%(n)d message(s) marked as read", n=count), "success")
        return redirect(url_for("NotificationView.list"))


def _cursor(raw: str | None):
    """`after=<arrived ISO time>_<step id>` of the overdue list's next page; anything else is the first."""
    try:
        stamp, step_id = (raw or "").rsplit("_", 1)
        return dt.datetime.fromisoformat(stamp), int(step_id)
    except ValueError:
        return None


class OverdueWorkView(BaseView):
    """超期未办: the applications of the bureau's region waiting at one unit longer than OVERDUE_DAYS, and
    催办 to a unit."""

    route_base = "/deadlines/overdue"
    class_permission_name = "OverdueWork"
    method_permission_name = {"list": "read", "urge": "write"}
    default_view = "list"

    @expose("/")
    @has_access
    def list(self):
        region = or_home(bureau_region(g.user), _("Only a bureau account bound to a region can see this"))
        after = _cursor(request.args.get("after"))
        rows = dao.overdue_in_region(region.id, PAGE + 1, after)
        more = len(rows) > PAGE
        rows = rows[:PAGE]
        today = periods.today()
        items = [dict(application_id=r[2], year=r[3], name=r[4], title=r[5], unit_id=r[6], unit=r[7],
                      waited=(today - to_local(r[1]).date()).days) for r in rows]
        next_after = f"{rows[-1][1].isoformat()}_{rows[-1][0]}" if more else None
        units = [dict(id=u[0], name=u[1], count=u[2], waited=(today - to_local(u[3]).date()).days,
                      last_urge=u[4]) for u in dao.overdue_units_in_region(region.id)]
        return self.render_template("deadlines/overdue.html", items=items, units=units, next_after=next_after,
                                    form=CsrfForm(), region=region, title=_("Overdue work"))

    @expose("/urge", methods=["POST"])
    @has_access
    def urge(self):
        if not CsrfForm().validate_on_submit():
            abort(400)
        try:
            urge = UrgeUnitCommand(g.user, request.form.get("unit_id"), request.form.get("note", "")).run()
        except CommandError as err:
            answer(err)
        else:
            flash(_("Reminder sent to %(unit)s (%(n)d overdue)", unit=urge.unit.name, n=urge.overdue_count),
                  "success")
        return redirect(url_for("OverdueWorkView.list"))


def _business_field():
    return SelectField(_l("Business"), choices=[SelectChoice(k, v) for k, v in BUSINESS_LABELS.items()
                                                if k != "review"],
                       validators=[UniqueTogether(BusinessPeriod, "business", "region", "year")])


class BusinessPeriodView(CatalogModelView):
    """The periods of 认定, 调入 and 初定 per region and year (no committee applies)."""

    route_base = "/catalog/business-periods"
    datamodel = EagerInterface(BusinessPeriod, joinedload(BusinessPeriod.region))
    audit_type = "business_period"
    province_wide = False
    list_title = show_title = add_title = edit_title = _l("Business application periods")
    base_order = ("id", "desc")
    base_filters = [["region_id", FilterInScope, lambda ids: BusinessPeriod.region_id.in_(ids)]]
    list_columns = add_columns = edit_columns = show_columns = ["business", "region", "year", "starts_on", "ends_on",
                                                                "unit_review_ends_on", "resubmit_ends_on"]
    search_columns = ["year", "starts_on", "ends_on"]
    label_columns = {"business": _l("Business"), "region": _l("Region"), "year": _l("Year"),
                     "starts_on": _l("Application starts on"), "ends_on": _l("Application ends on"), **PERIOD_LABELS}
    formatters_columns = {"business": lambda v: BUSINESS_LABELS.get(v, v)}
    validators_columns = {"ends_on": [EndsNotBeforeStart()], "year": [YEAR_RANGE], **PERIOD_VALIDATORS}
    add_form_extra_fields = edit_form_extra_fields = {"business": _business_field()}
    add_form_query_rel_fields = edit_form_query_rel_fields = {"region": [["id", FilterInScope, regions_in]]}

    def check_row(self, item) -> None:
        from app.commands.catalog import scope

        scope.check_region(g.user, item.region.id if item.region is not None else None)
        if item.starts_on and item.ends_on and item.ends_on < item.starts_on:
            raise CommandError(_l("The end date may not be earlier than the start date"), field="ends_on")

    def describe(self, item) -> str:
        return f"{item.business}/{item.year}/{item.region_id}"


def deadline_marks(rows) -> dict:
    """{application id: Mark} for the rows of a list page (two or three queries whatever the rows)."""
    return periods.marks_for([r for r in rows or [] if r is not None])


def unread_messages() -> int:
    user = getattr(g, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return notify.unread_count(user.id)


def register(appbuilder) -> None:
    """Add this module's views, menus and the template helpers."""
    from flask import current_app

    current_app.jinja_env.globals.update(deadline_marks=deadline_marks, unread_messages=unread_messages)
    appbuilder.add_view_no_menu(MessageCentreView())
    appbuilder.add_view(OverdueWorkView(), "OverdueWork", label=_l("Overdue work"), icon="fa-clock-o",
                        category="Statistics", category_label=_l("Statistics"), category_icon="fa-bar-chart")
    appbuilder.add_view(BusinessPeriodView(), "BusinessPeriods", label=_l("Business application periods"),
                        icon="fa-calendar-o", category="Catalogs", category_label=_l("Catalogs"),
                        category_icon="fa-book")
    # how the audit list and the role pages name what this module adds (labels.py keeps the shared maps)
    labels.AUDIT_ACTIONS.update({"unit.urge": _l("Reminder sent to the unit"),
                                 "application.overdue_marked": _l("Overdue applications marked")})
    labels.OBJECT_TYPES.update({"unit": _l("Unit"), "application_step": _l("Application step"),
                                "business_period": _l("Business application period")})
    labels.RESOURCE_LABELS.update({"OverdueWork": _l("Overdue work"), "Overview": _l("Statistics overview"),
                                   "ReportedList": _l("List of reported applicants")})
