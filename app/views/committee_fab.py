"""The committee's lists as FAB ModelViews with base filters and `@action`s: the applications reported to the
office's committee (资格复审通过, 退回, 加入会议), the expert pool (入库, 出库), the meetings, and the expert's
own tasks. FAB's `action_post` loads the selected rows by id without the base filter, so every action runs
the same command as the hand-made pages, which loads each row again through app/daos/committee.py.
Search columns are scalar: no search widget loads a related table."""
from __future__ import annotations

from flask import flash, g, redirect, url_for
from flask_appbuilder import ModelView
from flask_appbuilder.actions import action
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.commands.committee.eligibility import EligibilityPassCommand
from app.commands.committee.experts import SetPoolStatusCommand
from app.commands.errors import CommandError
from app.daos import committee as dao
from app.models.applications import Application
from app.models.committee import Assignment, Expert, Meeting
from app.security.validators import mask_id_number
from app.views.lists import EagerInterface
from app.workflow.committee_states import label
from app.workflow.states import label as status_label


class _InDao(BaseFilter):
    """Only the rows the signed-in user's DAO query returns; `value` builds that query's id column."""

    name = "Own rows"
    arg_name = None

    def apply(self, query, value):
        return query.filter(self.model.id.in_(value()))


def _arrived_ids():
    return dao.arrived(g.user).with_only_columns(Application.id)


def _pool_ids():
    return dao.pool(g.user).with_only_columns(Expert.id)


def _meeting_ids():
    return dao.meetings(g.user).with_only_columns(Meeting.id)


def _task_ids():
    return dao.own_assignments(g.user).with_only_columns(Assignment.id)


def _items(items) -> list:
    return [i for i in (items if isinstance(items, list) else [items]) if i is not None]


def _run_each(items, make, done: str, name=str):
    """Run one command per selected row; each refused row is named with its reason (its command rolled back)."""
    count = 0
    for item in _items(items):
        try:
            make(item).run()
            count += 1
        except CommandError as err:
            flash(f"{name(item)}: {err.message}", "danger")
    if count:
        flash(done % {"n": count}, "success")


class CommitteeApplicationsModelView(ModelView):
    route_base = "/committee/fab/applications"
    class_permission_name = "CommitteeApplications"
    method_permission_name = {"eligibility_pass": "write", "eligibility_return": "write", "add_to_meeting": "write"}
    datamodel = EagerInterface(Application, *dao.list_options())
    base_permissions = ["can_list", "can_show"]
    base_filters = [["id", _InDao, _arrived_ids]]
    base_order = ("submitted_at", "desc")
    list_columns = ["person.real_name", "year", "series.name", "level.name", "title.name", "specialty.name",
                    "unit.name", "status"]
    show_columns = list_columns + ["submitted_at"]
    search_columns = ["year", "status"]
    label_columns = {"person.real_name": _l("Name"), "year": _l("Year"), "series.name": _l("Series applied for"),
                     "level.name": _l("Level applied for"), "title.name": _l("Title applied for"),
                     "specialty.name": _l("Current specialty"), "unit.name": _l("Applying unit"),
                     "status": _l("Status"), "submitted_at": _l("Submitted at")}
    formatters_columns = {"status": status_label}
    list_title = show_title = _l("Applications reported to the committee")

    @action("eligibility_pass", _l("Eligibility check passed"), _l("Pass the eligibility check of the selected?"),
            "fa-check")
    def eligibility_pass(self, items):
        _run_each(items, lambda a: EligibilityPassCommand(g.user, a.id), _("Passed: %(n)d"),
                  name=lambda a: a.person.real_name)
        return redirect(url_for("CommitteeApplicationsModelView.list"))

    @action("eligibility_return", _l("Return"), "", "fa-undo", multiple=False)
    def eligibility_return(self, item):
        """A return needs a reason per section: the eligibility page, which loads the row through the DAO."""
        first = _items(item)
        return redirect(url_for("EligibilityView.show", application_id=first[0].id) if first
                        else url_for("CommitteeApplicationsModelView.list"))

    @action("add_to_meeting", _l("Add to a meeting"), "", "fa-calendar-plus-o")
    def add_to_meeting(self, items):
        ids = ",".join(str(a.id) for a in _items(items))
        return redirect(url_for("MeetingPageView.choose", ids=ids))


class ExpertPoolModelView(ModelView):
    route_base = "/committee/fab/experts"
    class_permission_name = "ExpertPoolView"
    method_permission_name = {"enroll": "write", "retire": "write"}
    datamodel = EagerInterface(Expert, joinedload(Expert.level), joinedload(Expert.specialty))
    base_permissions = ["can_list", "can_show"]
    base_filters = [["id", _InDao, _pool_ids]]
    list_columns = ["name", "id_number", "work_unit_name", "level.name", "term_start", "term_end", "status"]
    show_columns = list_columns
    search_columns = ["name", "work_unit_name", "status"]
    label_columns = {"name": _l("Name"), "id_number": _l("ID number"), "work_unit_name": _l("Work unit"),
                     "level.name": _l("Current title level"), "term_start": _l("Term starts on"),
                     "term_end": _l("Term ends on"), "status": _l("Status")}
    formatters_columns = {"id_number": mask_id_number, "status": label}
    list_title = show_title = _l("Expert pool")

    @action("enroll", _l("Put into the pool"), "", "fa-sign-in")
    def enroll(self, items):
        _run_each(items, lambda e: SetPoolStatusCommand(g.user, e.id, "enroll"), _("Put into the pool: %(n)d"))
        return redirect(url_for("ExpertPoolModelView.list"))

    @action("retire", _l("Remove from the pool"), "", "fa-sign-out")
    def retire(self, items):
        _run_each(items, lambda e: SetPoolStatusCommand(g.user, e.id, "retire"), _("Removed from the pool: %(n)d"))
        return redirect(url_for("ExpertPoolModelView.list"))


class MeetingModelView(ModelView):
    route_base = "/committee/fab/meetings"
    class_permission_name = "MeetingView"
    datamodel = SQLAInterface(Meeting)
    base_permissions = ["can_list", "can_show"]
    base_filters = [["id", _InDao, _meeting_ids]]
    base_order = ("held_on", "desc")
    list_columns = ["name", "held_on", "place", "expert_count", "status"]
    show_columns = list_columns
    search_columns = ["name", "held_on", "status"]
    label_columns = {"name": _l("Meeting name"), "held_on": _l("Meeting date"), "place": _l("Place"),
                     "expert_count": _l("Experts to draw"), "status": _l("Status")}
    formatters_columns = {"status": label}
    list_title = show_title = _l("Review meetings")


class ExpertTaskModelView(ModelView):
    """我的评审任务 as a list: the signed-in expert's assignments only."""

    route_base = "/expert/fab/tasks"
    class_permission_name = "ExpertTaskView"
    datamodel = EagerInterface(Assignment, joinedload(Assignment.meeting))
    base_permissions = ["can_list", "can_show"]
    base_filters = [["id", _InDao, _task_ids]]
    list_columns = ["meeting.name", "meeting.held_on", "meeting.place", "status"]
    show_columns = list_columns
    search_columns = ["status"]
    label_columns = {"meeting.name": _l("Meeting name"), "meeting.held_on": _l("Meeting date"),
                     "meeting.place": _l("Place"), "status": _l("My status")}
    formatters_columns = {"status": label}
    list_title = show_title = _l("My review tasks")


def register(appbuilder) -> None:
    appbuilder.add_view_no_menu(CommitteeApplicationsModelView)
    appbuilder.add_view_no_menu(ExpertPoolModelView)
    appbuilder.add_view_no_menu(MeetingModelView)
    appbuilder.add_view_no_menu(ExpertTaskModelView)
