"""What the admin pages show instead of stored codes: roles, permissions, audit
actions and states by their Chinese labels. The database keeps the codes (role "Bureau",
permission "can_read" on "Notification"); only the display goes through these maps."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.commands.units import authority, paths
from app.security import roles
from app.security.validators import mask_mobile
from app.workflow import committee_states, states

ROLE_LABELS = dict(roles.ROLE_LABELS, Public=_l("Anonymous visitor"))

PERMISSION_LABELS = {
    "can_read": _l("can read"), "can_write": _l("can write"), "can_list": _l("can list"),
    "can_show": _l("can show"), "can_add": _l("can add"), "can_edit": _l("can edit"),
    "can_delete": _l("can delete"), "can_download": _l("can download"), "can_get": _l("can get"),
    "can_info": _l("can info"), "can_import": _l("can import"), "menu_access": _l("menu access"),
    "can_userinfo": _l("can userinfo"), "userinfoedit": _l("userinfoedit"),
    "resetmypassword": _l("resetmypassword"), "resetpasswords": _l("resetpasswords"),
    "activate": _l("activate"), "deactivate": _l("deactivate"),
    "copyrole": _l("copyrole"), "can_this_form_get": _l("can this form get"),
    "can_this_form_post": _l("can this form post"),
}

# Resources that are views, not menu items (menu items are labelled from the menu itself).
RESOURCE_LABELS = {
    "Notification": _l("Messages"), "Password": _l("Change password"), "Catalog": _l("Catalogs"),
    "Region": _l("Regions"), "BackendAccount": _l("Backend accounts"), "MyApplication": _l("My applications"),
    "MyApplicationApi": _l("My applications (API)"), "Attachment": _l("Attachments"),
    "ApplicationForm": _l("Application forms"), "UnitPermission": _l("Permission to apply for titles"),
    "UnitPermissionReview": _l("Permission review"), "UnitRegistry": _l("Unit registry"),
    "ReportingPath": _l("Reporting paths"), "PathReview": _l("Path review"),
    "FinalAuthority": _l("Final-review authority"), "FinalAuthorityReview": _l("Final-review authority review"),
    "DataReview": _l("Data review"), "DataReport": _l("Data report"), "Picker": _l("Pickers"),
    "ProfileApi": _l("Basic information (API)"), "OpenApi": _l("API description"),
    "SwaggerView": _l("API documentation"), "MenuApi": _l("Menu (API)"),
    "AuditedUserDBModelView": _l("Users"), "RoleModelView": _l("Roles"), "UserGroupModelView": _l("Groups"),
    "PermissionModelView": _l("Base Permissions"), "ViewMenuModelView": _l("Views/Menus"),
    "PermissionViewModelView": _l("Permission on Views/Menus"), "UserInfoEditView": _l("Edit User Information"),
    "ResetPasswordView": _l("Reset Password"), "ResetMyPasswordView": _l("Reset my password"),
    "HomeIndexView": _l("Home page"), "UtilView": _l("Utilities"), "LocaleView": _l("Language"),
    "SecurityApi": _l("Security (API)"), "LoginView": _l("Sign in"), "CaptchaView": _l("Captcha"),
    "PublicView": _l("Public pages"), "RecoveryView": _l("Account recovery"), "RegisterView": _l("Registration"),
    "CommitteeOffice": _l("Eligibility check"), "CommitteePool": _l("Expert pool"),
    "CommitteeMeeting": _l("Review meetings"), "CommitteeApplications": _l("Applications reported to the committee"),
    "ExpertPoolView": _l("Expert pool"), "MeetingView": _l("Review meetings"), "ExpertTasks": _l("My review tasks"),
    "ExpertTaskView": _l("My review tasks"), "CommitteeApplicationApi": _l("Committee applications (API)"),
    "ExpertTaskApi": _l("Review tasks (API)"),
}

AUDIT_ACTIONS = {
    "login": _l("Signed in"), "logout": _l("Signed out"), "login_failed": _l("Wrong password"),
    "login_refused_locked": _l("Sign-in refused: account locked"), "account_locked": _l("Account locked"),
    "login_name_lookup": _l("Login name looked up"), "password_changed": _l("Password changed"),
    "password_reset": _l("Password reset"), "password_reset_failed": _l("Password reset failed"),
    "password_reset_requested": _l("Password reset requested"), "profile_updated": _l("Basic information saved"),
    "registered": _l("Registered"), "user_created": _l("Account created"), "user_updated": _l("Account changed"),
    "user_deleted": _l("Account deleted"), "user_deactivated": _l("Account deactivated"),
    "user_activated": _l("Account reactivated"), "roles_changed": _l("Roles changed"),
    "backend_account_created": _l("Backend account created"), "catalog_added": _l("Catalog entry added"),
    "catalog_changed": _l("Catalog entry changed"), "catalog_deleted": _l("Catalog entry deleted"),
    "catalog_imported": _l("Catalog imported"), "commitment.agree": _l("Commitment letter accepted"),
    "section_saved": _l("Section saved"), "unit_registry.import": _l("Unit registry imported"),
    "unit_permission.save": _l("Permission application saved"),
    "unit_permission.submit": _l("Permission application submitted"),
    "unit_permission.auto_grant": _l("Permission granted automatically"),
    "unit_permission.approve": _l("Permission application approved"),
    "unit_permission.reject": _l("Permission application rejected"),
    "reporting_path.create_unit": _l("Unit path applied for"),
    "reporting_path.create_committee": _l("Committee path applied for"),
    "reporting_path.approve": _l("Reporting path approved"), "reporting_path.reject": _l("Reporting path rejected"),
    "final_authority.approve": _l("Final-review authority approved"),
    "final_authority.reject": _l("Final-review authority rejected"),
    "application.create": _l("Application created"), "application.update_base": _l("Base information saved"),
    "application.report_fields": _l("Entrusted review and rank changed"),
    "expert.add": _l("Expert added to the pool"), "expert.enroll": _l("Expert put into the pool"),
    "expert.retire": _l("Expert removed from the pool"), "expert.term": _l("Expert term changed"), "meeting.create": _l("Review meeting created"),
    "meeting.add_application": _l("Applications added to a meeting"),
    "meeting.remove_application": _l("Application taken out of a meeting"), "meeting.draw": _l("Experts drawn"),
    "meeting.redraw": _l("Seat drawn again"), "meeting.draw_first": _l("First draw recorded"),
    "meeting.draw_replacement": _l("Replacement draw recorded"), "meeting.close_review": _l("Online review closed"),
    "meeting.cancel": _l("Review meeting cancelled"), "assignment.accept": _l("Discipline pledge accepted"),
    "assignment.decline": _l("Expert declined a meeting"), "assignment.declare_conflict": _l("Expert declared a conflict"),
    "assignment.score": _l("Application scored"), "assignment.conflict": _l("Conflict with an application declared"),
}
OBJECT_TYPES = {
    "user": _l("Account"), "application": _l("Application"), "ReportingPath": _l("Reporting path"),
    "FinalAuthorityApplication": _l("Final-review authority"),
    "UnitPermissionApplication": _l("Permission application"), "title_level": _l("Title level"),
    "title_series": _l("Title series"), "title": _l("Title"), "specialty": _l("Specialty"),
    "application_method": _l("Application method"), "exceptional_case": _l("Exceptional case"),
    "committee": _l("Review committee"), "committee_period": _l("Application period"),
    "business_section": _l("Business module"), "expert": _l("Review expert"), "meeting": _l("Review meeting"),
    "assignment": _l("Expert of a meeting"),
}
_UNIT_PERMISSION_STATES = {"draft": _l("Saved, not submitted"), "submitted": _l("Waiting for review"),
                           "approved": _l("Approved"), "rejected": _l("Not approved")}
# An audit row names its state without its table; a code two tables share ("pending") takes the first label.
STATE_MAPS = (
    {s.value: label for s, label in states.LABELS.items()},
    {"locked": _l("Locked"), "registered": _l("Registered"), "active": _l("Active"), "inactive": _l("Deactivated")},
    _UNIT_PERMISSION_STATES, authority.STATUS_LABELS, paths.STATUS_LABELS,
    {s.value: label for s, label in committee_states.LABELS.items()},
)

REGION_LEVELS = {"province": _l("Province"), "city": _l("City"), "district": _l("District")}
CHANNELS = {"email": _l("E-mail"), "sms": _l("SMS")}
DELIVERED_BY = {"outbox": _l("Kept in the outbox"), "smtp": _l("Sent by SMTP"), "failed": _l("Sending failed")}


def _label(mapping: dict, code) -> str:
    if code is None or code == "":
        return ""
    label = mapping.get(code)
    return str(label) if label is not None else str(code)


def role(name: str) -> str:
    return _label(ROLE_LABELS, name)


def role_list(names) -> str:
    """Roles (objects or names), comma-separated by the stored role names, as labels."""
    if names is None:
        return ""
    if isinstance(names, str):
        names = [n for n in names.split(",") if n]
    return "、".join(role(getattr(n, "name", n)) for n in names)


def permission_name(name: str) -> str:
    return _label(PERMISSION_LABELS, name)


def resource(name: str) -> str:
    label = RESOURCE_LABELS.get(name) or _menu_labels().get(name)
    return str(label) if label is not None else str(name or "")


def permission_view(pv) -> str:
    """FAB shows "can read on Notification"; we show "查看 消息"."""
    if pv is None:
        return ""
    return f"{permission_name(pv.permission.name)} {resource(pv.view_menu.name)}"


def permission_views(pvs) -> str:
    return "、".join(permission_view(pv) for pv in pvs or [])


def audit_action(code: str) -> str:
    if code in AUDIT_ACTIONS:
        return str(AUDIT_ACTIONS[code])
    prefix, _dot, rest = (code or "").partition(".")
    if prefix == "application" and rest in states.ACTION_LABELS:  # the lifecycle's own actions, as the timeline names them
        return str(states.ACTION_LABELS[rest])
    return str(code or "")


def object_type(code: str) -> str:
    return _label(OBJECT_TYPES, code)


def audit_state(value: str) -> str:
    """A from/to state of an audit row: a status of the object's table, or a list of roles."""
    if not value:
        return ""
    for mapping in STATE_MAPS:
        if value in mapping:
            return str(mapping[value])
    names = value.split(",")
    if all(n in ROLE_LABELS for n in names):
        return role_list(names)
    return value


def region_level(code: str) -> str:
    return _label(REGION_LEVELS, code)


def channel(code: str) -> str:
    return _label(CHANNELS, code)


def delivered_by(code: str) -> str:
    return _label(DELIVERED_BY, code)


def recipient(value: str) -> str:
    """E-mail addresses as they are; mobile numbers masked (X3) as on every other page."""
    if value and "@" not in value:
        return mask_mobile(value)
    return value or ""


def yes_no(value) -> str:
    return _("Yes") if value else _("No")


def _menu_labels() -> dict:
    """Menu item name → its label, read from the app's menu (categories and their items)."""
    labels = {}
    for item in current_app.appbuilder.menu.get_list():
        labels[item.name] = item.label
        for child in item.childs or []:
            if child.name != "-":
                labels[child.name] = child.label
    return labels
