"""The review queues of the unit records as FAB ModelViews: the rows come from the reviewer's rule in
app/daos/units.py (`base_filters`), a tab per state, and 审核通过 / 审核不通过 both as list `@action`s on the
chosen rows and as buttons on each row. Every way in ends in the kind's one decision command, which loads
each row again through the same rule: FAB's `action_post` loads rows by id without the base filters.

审核不通过 needs a reason, which FAB's action form cannot carry: the action opens a small confirm page
(the chosen rows and the reason field) that posts to the command."""
from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import ModelView, expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.widgets import ListWidget
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.commands.errors import CommandError, NotFound
from app.commands.units.decide import MAX_ROWS, row_ids
from app.views.answers import answer, field_errors
from app.views.lists import SignedInRows
from app.workflow.unit_states import waiting


class Where(BaseFilter):
    """A condition of the page shown (its tab, its kind); never a search field."""

    name = "Where"
    arg_name = None

    def apply(self, query, value):
        return query.filter(value)


class QueueListWidget(ListWidget):
    """The list's table: a row per record (`data-id`), FAB's checkboxes for the list actions, and on a
    queue the row's own 审核通过 / 审核不通过 while it waits for a decision."""

    template = "units/queue_widget.html"


def status_cell(labels: dict):
    css = {"draft": "default", "submitted": "info", "pending": "warning", "approved": "success",
           "effective": "success", "rejected": "danger"}

    def format_(status) -> Markup:
        return Markup('<span class="label label-{}">{}</span>').format(css.get(status, "default"),
                                                                        labels.get(status, status))
    return format_


def name_of(attribute: str):
    def format_(row) -> str:
        return getattr(row, attribute, "") or "" if row is not None else ""
    return format_


class RowsView(ModelView):
    """A list of unit records as a FAB ModelView: the rows of `rule` (app/daos/units.py, the base filter)
    with a tab per state of `labels`. Subclasses set datamodel, route_base, class_permission_name and the
    columns; only the routes named in `include_route_methods` exist."""

    rule = None  # (user) → the condition of the rows the user may see here
    labels: dict = {}
    table_id = ""
    list_template = "units/queue_list.html"
    list_widget = QueueListWidget
    base_permissions = ["can_read", "can_write"]
    method_permission_name = {"list": "read"}
    include_route_methods = {"list"}
    page_size = 20

    def __init__(self, **kwargs):
        self.base_filters = [["id", SignedInRows, type(self).rule]]
        super().__init__(**kwargs)

    @expose("/")
    @has_access
    def list(self):
        return super().list()

    def default_status(self) -> str:
        return ""  # every state

    def _status(self) -> str:
        status = request.args.get("status")
        if status is None:
            return self.default_status()
        return status if status in self.labels else ""

    def conditions(self) -> list:
        """The conditions of the page asked for besides the rule (its tab)."""
        status = self._status()
        return [self.datamodel.obj.status == status] if status else []

    def list_args(self) -> dict:
        """What the table template needs besides FAB's own arguments."""
        return {"table_id": self.table_id, "hidden": ()}

    def page_args(self) -> dict:
        """What the page template needs besides the widgets."""
        return {"tabs": self.labels, "status": self._status(), "endpoint": f"{type(self).__name__}.list",
                "tab_args": {}}

    def _get_list_widget(self, filters, **kwargs):
        filters = filters.copy()
        for condition in self.conditions():
            filters.add_filter("id", Where, condition)
        return super()._get_list_widget(filters, queue=self.list_args(), **kwargs)

    def render_template(self, template, **kwargs):
        if template == self.list_template:
            kwargs.update(self.page_args())
        return super().render_template(template, **kwargs)


class QueueView(RowsView):
    """A review queue: RowsView plus the decisions. Subclasses also set `find`, `transitions` (app/workflow/
    unit_states.py) and `command` (the kind's decision command)."""

    find = None  # (user, row id) → the row through the same rule, or None
    transitions: tuple = ()
    command = None
    method_permission_name = {"list": "read", "approve": "write", "reject": "write", "approve_row": "write",
                              "reject_row": "write", "reject_chosen": "write"}
    include_route_methods = {"list", "action_post", "approve_row", "reject_row", "reject_chosen"}
    approved_message = _l("Approved")
    rejected_message = _l("Not approved; the unit sees the reason")
    approve_word = None  # the row's buttons and the confirm page, when a queue names them otherwise
    reject_words = None  # (button, reason label)

    def default_status(self) -> str:
        return waiting(self.transitions)

    def list_args(self) -> dict:
        name = type(self).__name__
        return dict(super().list_args(), waiting=waiting(self.transitions), approve_endpoint=f"{name}.approve_row",
                    reject_endpoint=f"{name}.reject_row", detail_endpoint=getattr(self, "detail_endpoint", None),
                    approve_word=self.approve_word, reject_words=self.reject_words)

    # ---------------------------------------------------------------- deciding
    def _decide(self, ids, approve: bool, reason: str | None = None):
        """Run the kind's decision command; a refusal is the command's message (404 for a foreign row)."""
        try:
            self.command(g.user, ids, approve, reason).run()
        except CommandError as err:
            answer(err)
            return None
        flash(str(self.approved_message if approve else self.rejected_message), "success")
        return redirect(url_for(f"{type(self).__name__}.list"))

    def _back(self):
        return redirect(url_for(f"{type(self).__name__}.list"))

    @action("approve", _l("Approve"), _l("Approve the chosen rows?"), "fa-check")
    def approve(self, items):
        ids = [getattr(item, "id", None) for item in (items if isinstance(items, list) else [items])]
        if None in ids:
            abort(404)  # a posted id with no row behind it
        return self._decide(ids, True) or self._back()

    @action("reject", _l("Not approved"), None, "fa-times")
    def reject(self, items):
        ids = [getattr(item, "id", None) for item in (items if isinstance(items, list) else [items])]
        if None in ids:
            abort(404)
        return redirect(url_for(f"{type(self).__name__}.reject_chosen", rowid=ids))

    @expose("/reject", methods=["GET", "POST"])
    @has_access
    def reject_chosen(self):
        """The confirm page of 审核不通过 on the chosen rows: their list and the reason, then the command."""
        source = request.form if request.method == "POST" else request.args
        try:
            ids = row_ids(source.getlist("rowid"))
        except NotFound:
            abort(404)
        if len(ids) > MAX_ROWS:
            abort(400)
        errors, form_error = {}, None
        if request.method == "POST":
            try:
                self.command(g.user, ids, False, request.form.get("reason")).run()
            except CommandError as err:
                errors, form_error = field_errors(err)
            else:
                flash(str(self.rejected_message), "success")
                return self._back()
        # a row the reviewer may not decide is a 404 here too, before any reason is typed
        rows = [self.load_row(row_id) for row_id in dict.fromkeys(ids)]
        if not rows or None in rows:
            abort(404)
        return self.render_template("units/reject_confirm.html", rows=rows, errors=errors, form_error=form_error,
                                    reason=request.form.get("reason", ""), describe=self.describe,
                                    list_endpoint=f"{type(self).__name__}.list",
                                    post_endpoint=f"{type(self).__name__}.reject_chosen",
                                    words=self.reject_words,
                                    title=self.reject_words[0] if self.reject_words else _l("Not approved"))

    def load_row(self, row_id: int):
        """The row through the reviewer's rule (None when it is not the reviewer's)."""
        return type(self).find(g.user, row_id)

    def describe(self, row) -> str:
        return str(row)

    @expose("/<int:row_id>/approve", methods=["POST"])
    @has_access
    def approve_row(self, row_id: int):
        return self._decide([row_id], True) or self._back()

    @expose("/<int:row_id>/reject", methods=["POST"])
    @has_access
    def reject_row(self, row_id: int):
        return self._decide([row_id], False, request.form.get("reason")) or self._back()
