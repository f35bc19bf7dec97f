"""Admin and bureau back-office views over catalog and log tables: audit log, outbox, regions."""
from __future__ import annotations

from flask import flash, g
from flask_appbuilder import ModelView
from flask_appbuilder.models.sqla.filters import FilterNotEqual
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from app.clock import format_local
from app.commands.base import discard
from app.commands.catalog import regions, scope
from app.models.audit import AuditLog
from app.models.catalog import Region
from app.models.notify import OutboxMessage
from app.views import labels
from app.views.catalog import CatalogModelView


def _to_the_second(value) -> str:
    return format_local(value, "%Y-%m-%d %H:%M:%S")


class _LogView(ModelView):
    """A log table of the back office: listed and shown newest first, never edited or deleted."""

    base_permissions = ["can_list", "can_show"]
    base_order = ("id", "desc")
    page_size = 50


class AuditLogView(_LogView):
    """审计日志: who did what to which object, from which state to which, from where."""

    route_base = "/admin/audit"
    datamodel = SQLAInterface(AuditLog)
    class_permission_name = "AuditLog"
    list_title = _l("Audit log")
    show_title = _l("Audit entry")
    list_columns = ["at", "actor_name", "actor_role", "action", "object_type", "object_id", "from_state",
                    "to_state", "ip"]
    search_columns = ["actor_name", "action", "object_type", "object_id"]
    formatters_columns = {"at": _to_the_second,
                          "actor_role": labels.role_list, "action": labels.audit_action,
                          "object_type": labels.object_type, "from_state": labels.audit_state,
                          "to_state": labels.audit_state}
    label_columns = {"at": _l("Time"), "actor_name": _l("Actor"), "actor_role": _l("Role"),
                     "action": _l("Action"), "object_type": _l("Object"), "object_id": _l("Object id"),
                     "from_state": _l("From"), "to_state": _l("To"), "opinion": _l("Opinion"),
                     "ip": _l("IP address"), "actor_id": _l("Actor id")}


class OutboxView(_LogView):
    """发件箱: every e-mail and SMS, as the default sender keeps them."""

    route_base = "/admin/outbox"
    datamodel = SQLAInterface(OutboxMessage)
    class_permission_name = "Outbox"
    list_title = _l("Outbox")
    show_title = _l("Message")
    list_columns = ["created_at", "channel", "recipient", "subject", "delivered_by"]
    search_columns = ["recipient", "subject", "channel"]
    # mobiles masked as on every other page; Admin searches by the full number
    formatters_columns = {"created_at": _to_the_second,
                          "channel": labels.channel, "recipient": labels.recipient,
                          "delivered_by": labels.delivered_by}
    label_columns = {"created_at": _l("Time"), "channel": _l("Channel"), "recipient": _l("Recipient"),
                     "subject": _l("Subject"), "body": _l("Content"), "delivered_by": _l("Delivered by")}


class RegionView(CatalogModelView):
    """地区: read by the bureau, changed by Admin only, every change audited (a bureau's scope is
    its region and those below it, so it must not be able to move regions)."""

    route_base = "/catalog/regions"
    datamodel = SQLAInterface(Region)
    class_permission_name = "Region"
    base_permissions = ["can_list", "can_show", "can_add", "can_edit"]
    audit_type = "region"
    base_order = ("code", "asc")
    list_title = _l("Regions")
    show_title = _l("Region")
    add_title = _l("Add region")
    edit_title = _l("Edit region")
    list_columns = ["code", "name", "level", "parent"]
    add_columns = edit_columns = ["code", "name", "level", "parent"]
    search_columns = ["code", "name", "level"]
    # parents are provinces and cities only: a bounded list, never the district table
    add_form_query_rel_fields = edit_form_query_rel_fields = {"parent": [["level", FilterNotEqual, "district"]]}
    add_form_extra_fields = edit_form_extra_fields = {
        "level": SelectField(_l("Level"), choices=[SelectChoice(v, labels.REGION_LEVELS[v]) for v in regions.LEVELS])}
    label_columns = {"code": _l("Region code"), "name": _l("Name"), "level": _l("Level"),
                     "parent": _l("Parent region")}
    formatters_columns = {"level": labels.region_level}
    page_size = 50

    def may_change(self) -> bool:
        return scope.is_admin(g.user)

    def _refuse_early(self):
        flash(str(_l("Only the administrator may change the regions")), "danger")

    def check_row(self, item) -> None:
        regions.check_region_row(g.user, item)

    def pre_update(self, item):
        try:  # before the audit text is made from a tree that may now hold a loop
            self.check_row(item)
        except Exception:
            discard()  # FAB flashes the refusal; the edited row must not be flushed by a later query
            raise
        super().pre_update(item)

    def describe(self, item) -> str:
        return f"{item.code} {item.name}"[:64]
