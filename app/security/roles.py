"""The five roles as data: each is a list of (permission, resource) pairs, synced to FAB's tables
by `flask sync-roles` and at start (`make run`). Admin gets every permission FAB knows.

Resources are our views' `class_permission_name`s and menu names; a menu shown is a convenience,
never the protection: each view checks its permission and each command checks the row.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.commands.base import transactional

ADMIN = "Admin"
INDIVIDUAL = "Individual"
UNIT = "Unit"
BUREAU = "Bureau"
COMMITTEE = "Committee"

ROLE_LABELS = {
    INDIVIDUAL: _l("Individual"),
    UNIT: _l("Unit"),
    BUREAU: _l("HR Bureau"),
    COMMITTEE: _l("Review Committee"),
    ADMIN: _l("Administrator"),
}

# Every signed-in account: its messages, its password, the account menu.
_ACCOUNT = [
    ("can_read", "Notification"),
    ("can_write", "Notification"),
    ("menu_access", "Messages"),
    ("can_write", "Password"),
    ("menu_access", "ChangePassword"),
    ("menu_access", "Account"),
    ("can_get", "OpenApi"),  # X5: the API description is served to every signed-in role
    ("can_show", "SwaggerView"),
    ("can_get", "MenuApi"),
]

# Catalogs (C1–C4, C6) and the business configuration (P1): maintained by Admin and the bureau.
CATALOG_MENUS = ("TitleLevels", "TitleSeries", "Titles", "Specialties", "ApplicationMethods", "ExceptionalCases",
                 "Committees", "CommitteePeriods", "BusinessPeriods", "BusinessSections", "CatalogImport")
_CATALOG = [(perm, "Catalog") for perm in ("can_list", "can_show", "can_add", "can_edit", "can_delete")] + [
    ("can_import", "CatalogImport"), ("menu_access", "Catalogs")] + [("menu_access", m) for m in CATALOG_MENUS]

ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    INDIVIDUAL: _ACCOUNT + [
        # 专业技术职称: the applicant's own applications (P1–P12)
        ("can_read", "MyApplication"),
        ("can_write", "MyApplication"),
        ("menu_access", "Applications"),
        ("menu_access", "MyApplications"),
        ("menu_access", "NewApplication"),
        ("can_read", "Picker"),
        ("can_read", "Attachment"),
        ("can_write", "Attachment"),
        ("can_get", "MyApplicationApi"),
        ("can_info", "MyApplicationApi"),
        ("can_read", "ApplicationForm"),
        ("can_read", "PersonProfile"),
        ("can_write", "PersonProfile"),
        ("menu_access", "PersonProfile"),
        ("can_read", "ProfileApi"),
        ("can_write", "ProfileApi"),
    ],
    UNIT: _ACCOUNT + [
        ("can_read", "Picker"),
        ("can_read", "Attachment"),
        ("can_read", "ApplicationForm"),
        ("can_read", "UnitProfile"),
        ("can_write", "UnitProfile"),
        ("menu_access", "UnitProfile"),
        ("can_read", "ProfileApi"),
        ("can_write", "ProfileApi"),
        # U1, U3–U5: permission, reporting paths (own and addressed to it), final-review authority
        ("can_write", "UnitPermission"), ("can_read", "ReportingPath"), ("can_write", "ReportingPath"),
        ("can_read", "PathReview"), ("can_write", "PathReview"), ("can_read", "FinalAuthority"),
        ("can_write", "FinalAuthority"), ("menu_access", "UnitAffairs"), ("menu_access", "PermissionApplication"),
        ("menu_access", "UnitPaths"), ("menu_access", "CommitteePaths"), ("menu_access", "UnitPathReview"),
        ("menu_access", "FinalAuthority"),
        # R1/R2 数据审核 and R3 数据上报: the applications addressed to the unit
        ("can_read", "DataReview"), ("can_write", "DataReview"), ("menu_access", "DataReview"),
        ("can_read", "DataReport"), ("can_write", "DataReport"), ("menu_access", "DataReport"),
        # 职称认定审核 / 外地调入审核 (seeds 001 §2.3, 002 §2.2): the 数据审核 queue filtered by business
        ("menu_access", "RecognitionTransfer"), ("menu_access", "RecognitionReview"),
        ("menu_access", "TransferReview"),
        # seed 003's 一览表 of the applicants the unit reported
        ("can_read", "ReportedList"), ("menu_access", "ReportedList"),
    ],
    BUREAU: _ACCOUNT + [
        ("can_read", "BackendProfile"),
        ("menu_access", "BackendProfile"),
        # regions are read only: they define the bureau's own scope, so only Admin changes them (C3)
        ("can_list", "Region"),
        ("can_show", "Region"),
        ("menu_access", "Regions"),
        ("can_read", "Picker"),
        ("can_read", "Attachment"),
        ("can_read", "ApplicationForm"),
        # U1, U5: permission and final-review authority of the units of its region; the unit registry
        ("can_read", "UnitPermissionReview"), ("can_write", "UnitPermissionReview"),
        ("can_read", "FinalAuthorityReview"), ("can_write", "FinalAuthorityReview"),
        ("can_read", "UnitRegistry"), ("can_write", "UnitRegistry"), ("menu_access", "PermissionManagement"),
        ("menu_access", "PermissionReview"), ("menu_access", "FinalAuthorityReviews"), ("menu_access", "UnitRegistry"),
        # 统计 and 超期未办 with 催办 (the bureau's region)
        ("can_read", "Overview"), ("can_read", "OverdueWork"), ("can_write", "OverdueWork"),
        ("menu_access", "Statistics"), ("menu_access", "Overview"), ("menu_access", "OverdueWork"),
    ] + _CATALOG,
    COMMITTEE: _ACCOUNT + [
        ("can_read", "Attachment"),
        ("can_read", "ApplicationForm"),
        ("can_read", "BackendProfile"),
        ("menu_access", "BackendProfile"),
        # U4: 评委会路径审核 of the paths addressed to its committee
        ("can_read", "PathReview"), ("can_write", "PathReview"), ("menu_access", "CommitteeAffairs"),
        ("menu_access", "CommitteePathReview"),
    ],
    ADMIN: [],  # every permission, granted in sync_roles
}


@transactional
def sync_roles(sm) -> None:
    """Create the roles and make their permissions exactly the declared ones (idempotent)."""
    admin = sm.add_role(ADMIN)
    for role_name, pairs in ROLE_PERMISSIONS.items():
        role = sm.add_role(role_name)
        if role_name == ADMIN:
            continue
        wanted = [sm.add_permission_view_menu(perm, resource) for perm, resource in pairs]
        wanted_ids = {pv.id for pv in wanted}
        for pv in list(role.permissions):
            if pv.id not in wanted_ids:
                sm.del_permission_role(role, pv)
        for pv in wanted:
            if pv not in role.permissions:
                sm.add_permission_role(role, pv)
    all_pvs = sm.session.query(sm.permissionview_model).all()
    admin.permissions = list(all_pvs)
