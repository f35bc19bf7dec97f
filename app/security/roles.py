"""The six roles as data: each is a list of (permission, resource) pairs, synced to FAB's tables
by `flask sync-roles` and at start (`make run`). Admin gets every permission FAB knows.

Resources are our views' `class_permission_name`s and menu names; a menu shown is a convenience,
never the protection: each view checks its permission and each command checks the row.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

ADMIN = "Admin"
INDIVIDUAL = "Individual"
UNIT = "Unit"
BUREAU = "Bureau"
COMMITTEE = "Committee"
EXPERT = "Expert"

ROLE_LABELS = {
    INDIVIDUAL: _l("Individual"),
    UNIT: _l("Unit"),
    BUREAU: _l("HR Bureau"),
    COMMITTEE: _l("Review Committee"),
    EXPERT: _l("Review expert"),
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

# Certificates (Z1–Z4, Z8): reading one's own or managed certificates and the API; the library for the issuers
_CERTIFICATE_READ = [("can_read", "Certificate"), ("can_get", "CertificateApi"), ("can_info", "CertificateApi")]
_CERTIFICATE_LIBRARY = _CERTIFICATE_READ + [
    ("can_read", "CertificateLibrary"), ("can_write", "CertificateLibrary"), ("menu_access", "CertificateLibrary"),
    ("menu_access", "RecognitionIssue"), ("menu_access", "CertificateManagement"), ("menu_access", "IssuerSeal")]

# The uploaded files and the printed forms of the applications a role may see (each checks the row)
_APPLICATION_FILES = [("can_read", "Attachment"), ("can_read", "ApplicationForm")]

# Bureau and committee accounts: their own account page, what Admin bound them to
_BACKEND = [("can_read", "BackendProfile"), ("menu_access", "BackendProfile")] + _APPLICATION_FILES


def _own_profile(page: str) -> list[tuple[str, str]]:
    """基本信息 of an individual or a unit: its page `page` and the same over the API."""
    return [("can_read", page), ("can_write", page), ("menu_access", page), ("can_read", "ProfileApi"),
            ("can_write", "ProfileApi")]


# M1: the committees' 资格复审 and vote results and the applications reported to them, read only (the
# bureau of their region); the committee office adds its decisions
_COMMITTEE_READ = [
    ("can_read", "CommitteeOffice"), ("menu_access", "CommitteeReview"), ("menu_access", "EligibilityReview"),
    ("menu_access", "VoteResults"), ("can_list", "CommitteeApplications"), ("can_show", "CommitteeApplications"),
    ("can_get", "CommitteeApplicationApi"), ("can_info", "CommitteeApplicationApi")]

ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    INDIVIDUAL: _ACCOUNT + [
        # 专业技术职称: the applicant's own applications (P1–P12)
        ("can_read", "MyApplication"),
        ("can_write", "MyApplication"),
        ("menu_access", "Applications"),
        ("menu_access", "MyApplications"),
        ("menu_access", "NewApplication"),
        ("can_read", "Picker"),
        ("can_write", "Attachment"),
        ("can_get", "MyApplicationApi"),
        ("can_info", "MyApplicationApi"),
        # 历史职称数据登记, 职称证书在线补办 and who verified my certificates (app/views/certificate_requests.py)
        ("can_read", "CertificateRequest"), ("can_write", "CertificateRequest"),
        ("menu_access", "HistoricalRegistration"), ("menu_access", "CertificateReissue"),
        ("menu_access", "CertificateVerifications"),
    ] + _APPLICATION_FILES + _own_profile("PersonProfile") + _CERTIFICATE_READ + [
        ("can_read", "MyCertificate"), ("menu_access", "MyCertificates")],
    UNIT: _ACCOUNT + _APPLICATION_FILES + _own_profile("UnitProfile") + _CERTIFICATE_LIBRARY + [
        ("can_read", "Picker"),
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
    BUREAU: _ACCOUNT + _BACKEND + _CERTIFICATE_LIBRARY + _COMMITTEE_READ + [
        # regions are read only: they define the bureau's own scope, so only Admin changes them (C3)
        ("can_list", "Region"),
        ("can_show", "Region"),
        ("menu_access", "Regions"),
        ("can_read", "Picker"),
        # U1, U5: permission and final-review authority of the units of its region; the unit registry
        ("can_read", "UnitPermissionReview"), ("can_write", "UnitPermissionReview"),
        ("can_read", "FinalAuthorityReview"), ("can_write", "FinalAuthorityReview"),
        ("can_read", "UnitRegistry"), ("can_write", "UnitRegistry"), ("menu_access", "PermissionManagement"),
        ("menu_access", "PermissionReview"), ("menu_access", "FinalAuthorityReviews"), ("menu_access", "UnitRegistry"),
        # 历史职称数据登记 and 证书补办（换发） of its region (app/views/certificate_reviews.py)
        ("can_read", "CertificateRequestReview"), ("can_write", "CertificateRequestReview"),
        ("menu_access", "CertificateRequests"), ("menu_access", "HistoricalReview"), ("menu_access", "ReissueReview"),
        # 职称初定: 初定审核 and 证书入库 for the 报送受理部门 of its region (app/views/office_review.py)
        ("can_read", "OfficeReview"), ("can_write", "OfficeReview"), ("menu_access", "OfficeAffairs"),
        ("menu_access", "InitialReview"), ("menu_access", "InitialIssue"),
        # 统计 and 超期未办 with 催办 (the bureau's region)
        ("can_read", "Overview"), ("can_read", "OverdueWork"), ("can_write", "OverdueWork"),
        ("menu_access", "Statistics"), ("menu_access", "Overview"), ("menu_access", "OverdueWork"),
    ] + _CATALOG,
    COMMITTEE: _ACCOUNT + _BACKEND + _CERTIFICATE_READ + _COMMITTEE_READ + [
        # U4: 评委会路径审核 of the paths addressed to its committee
        ("can_read", "PathReview"), ("can_write", "PathReview"), ("menu_access", "CommitteeAffairs"),
        ("menu_access", "CommitteePathReview"),
        # M1–M1c: 资格复审, 评委管理, 评审会议 of its own committee
        ("can_write", "CommitteeOffice"), ("can_write", "CommitteePool"), ("can_write", "CommitteeMeeting"),
        ("menu_access", "ExpertPool"), ("menu_access", "Meetings"), ("can_write", "CommitteeApplications"),
        ("can_write", "ExpertPoolView"), ("can_list", "ExpertPoolView"), ("can_show", "ExpertPoolView"),
        ("can_list", "MeetingView"), ("can_show", "MeetingView"), ("can_post", "CommitteeApplicationApi"),
    ],
    EXPERT: _ACCOUNT + [
        # M1c 信息评审: the meetings the expert was drawn for, and nothing else
        ("can_read", "ExpertTasks"), ("can_write", "ExpertTasks"), ("menu_access", "ExpertReview"),
        ("menu_access", "MyReviewTasks"), ("can_list", "ExpertTaskView"), ("can_show", "ExpertTaskView"),
        ("can_get", "ExpertTaskApi"), ("can_post", "ExpertTaskApi"), ("can_read", "Attachment"),
    ],
    ADMIN: [],  # every permission, granted in sync_roles
}
