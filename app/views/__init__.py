"""Register every view and menu. Menu names double as `menu_access` resources in roles.py."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l


def register_views(appbuilder) -> None:
    from app.views import fab_patches

    fab_patches.install()
    from app.views.account import (BackendProfileView, NotificationView, PasswordView,
                                   PersonProfileView, UnitProfileView)
    from app.views.admin import AuditLogView, OutboxView, RegionView
    from app.views.auth import CaptchaView
    from app.views.public import PublicView
    from app.views.recovery import RecoveryView
    from app.views.register import RegisterView

    appbuilder.add_view_no_menu(CaptchaView())
    appbuilder.add_view_no_menu(PublicView())
    appbuilder.add_view_no_menu(RegisterView())
    appbuilder.add_view_no_menu(RecoveryView())
    from app.views.pickers import PickerView

    appbuilder.add_view_no_menu(PickerView())

    account = dict(category="Account", category_label=_l("My account"), category_icon="fa-user")
    appbuilder.add_view(PersonProfileView(), "PersonProfile", label=_l("Basic information"),
                        icon="fa-id-card", **account)
    appbuilder.add_view(UnitProfileView(), "UnitProfile", label=_l("Unit information"),
                        icon="fa-building", **account)
    appbuilder.add_view(BackendProfileView(), "BackendProfile", label=_l("Account information"),
                        icon="fa-id-badge", **account)
    appbuilder.add_view(NotificationView(), "Messages", label=_l("Messages"), icon="fa-envelope", **account)
    appbuilder.add_view(PasswordView(), "ChangePassword", label=_l("Change password"), icon="fa-key", **account)

    catalogs = dict(category="Catalogs", category_label=_l("Catalogs"), category_icon="fa-book")
    appbuilder.add_view(RegionView(), "Regions", label=_l("Regions"), icon="fa-map", **catalogs)

    from app.api.profile import ProfileApi

    appbuilder.add_api(ProfileApi)

    system = dict(category="System", category_label=_l("System"), category_icon="fa-cogs")
    appbuilder.add_view(AuditLogView(), "AuditLog", label=_l("Audit log"), icon="fa-history", **system)
    appbuilder.add_view(OutboxView(), "Outbox", label=_l("Outbox"), icon="fa-paper-plane", **system)
    from app.views.backend_accounts import BackendAccountView

    appbuilder.add_view(BackendAccountView(), "BackendAccounts", label=_l("Backend accounts"), icon="fa-users",
                        **system)
    appbuilder.add_link("NewBackendAccount", label=_l("New backend account"), href="/admin/backend-accounts/create",
                        icon="fa-user-plus", **system)

    # Feature modules of the application journey (docs/applications.md): each registers its own
    # views and menus, so they can grow without touching this file.
    from app.views import (applications, catalog, certificates, committee, deadlines, documents, office_review,
                           overview, report, review, sections, units)

    for module in (catalog, applications, sections, documents, units, review, report, certificates, committee,
                   deadlines, overview, office_review):
        module.register(appbuilder)

    # certificates, the public side: 证书查询 (no login) and the holder's requests with their bureau review
    from app.views import certificate_reviews, verify

    for module in (verify, certificate_reviews):
        module.register(appbuilder)
