"""终审权限 (U5): the unit's 终审权限申请 for 职称认定证书发放 and 外地调入终审, one per 证书等级, and the
bureau's 终审权限审核 of its region and the regions below."""
from __future__ import annotations

from flask import abort, flash, g, redirect, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.clock import format_local
from app.commands.units import authority
from app.daos import catalog_choices
from app.daos import units as units_dao
from app.daos.actors import unit_account_of
from app.models.units import FinalAuthorityApplication
from app.views.catalog.base import EagerInterface
from app.views.units.forms import post, typed
from app.views.units.queues import QueueView, name_of, status_cell
from app.workflow.unit_states import AUTHORITY_LABELS, AUTHORITY_TRANSITIONS

HISTORY_ROWS = 20


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
        unit = unit_account_of(g.user)
        history, states = [], {}
        if unit is not None:  # per business its pending and approved levels; the button greys out when all are
            states = {b: units_dao.open_authorities(unit.id, b) for b in authority.AUTHORITY_BUSINESSES}
            history = units_dao.own_authorities(unit.id, HISTORY_ROWS)
        return self.render_template("units/final_authority.html", unit=unit, states=states, history=history,
                                    level_count=units_dao.level_count(), businesses=authority.AUTHORITY_BUSINESSES,
                                    labels=AUTHORITY_LABELS, title=_("Final review authority"))

    @expose("/apply/<business>", methods=["GET", "POST"])
    @has_access
    def apply(self, business: str):
        if business not in authority.AUTHORITY_BUSINESSES:
            abort(404)
        values = typed(("level_id", "organisation"))
        posted = post(lambda: authority.ApplyFinalAuthorityCommand(g.user, business, values).run())
        if posted.done:
            flash(_("The application has been submitted to the HR bureau of your region for review"), "success")
            return redirect(url_for("FinalAuthorityView.index"))
        unit = unit_account_of(g.user)
        taken = {row.level_id: row.status for row in units_dao.open_authorities(unit.id, business)} if unit else {}
        return self.render_template(
            "units/final_authority_form.html", values=values, errors=posted.errors, form_error=posted.form_error,
            taken=taken, labels=AUTHORITY_LABELS,
            business=business, business_label=authority.AUTHORITY_BUSINESSES[business],
            levels=catalog_choices.levels(),
            title=_("Final review authority"))


class FinalAuthorityReviewView(QueueView):
    """终审权限审核 by the bureau of the unit's region."""

    route_base = "/units/final-authority-review"
    class_permission_name = "FinalAuthorityReview"
    datamodel = EagerInterface(FinalAuthorityApplication, joinedload(FinalAuthorityApplication.unit),
                               joinedload(FinalAuthorityApplication.level),
                               joinedload(FinalAuthorityApplication.region))
    rule = staticmethod(units_dao.authority_review_rule)
    find = staticmethod(units_dao.authority_review_row)
    transitions, labels = AUTHORITY_TRANSITIONS, AUTHORITY_LABELS
    command = authority.DecideFinalAuthorityCommand
    table_id = "authority-queue"
    list_title = _l("Review of final review authority")
    list_columns = ["unit", "region", "business", "level", "organisation", "status", "created_at", "reason"]
    search_columns = ["organisation"]
    base_order = ("created_at", "desc")
    label_columns = {"unit": _l("Unit name"), "region": _l("Region"), "business": _l("Business"),
                     "level": _l("Certificate level"), "organisation": _l("Organisation"), "status": _l("Status"),
                     "created_at": _l("Applied at"), "reason": _l("Reason for not approving")}
    formatters_columns = {"unit": name_of("name"), "region": name_of("full_name"), "level": name_of("name"),
                          "business": lambda code: authority.AUTHORITY_BUSINESSES.get(code, code),
                          "status": status_cell(AUTHORITY_LABELS), "created_at": format_local}

    def describe(self, row) -> str:
        return f"{row.unit.name}：{authority.AUTHORITY_BUSINESSES.get(row.business, row.business)} · {row.level.name}"
