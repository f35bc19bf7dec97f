from tests.integration.matrix_parts import ADM, ADMIN_ONLY, ANON, BUR, COM, EVERYONE, IND, NOBODY, SIGNED_IN, UNIT  # noqa: F401

MATRIX: dict[str, set[str]] = {
    # 用户信息 in the navbar: every signed-in role is sent to its own account page (Admin: FAB's page)
    "AuditedUserDBModelView.userinfo": SIGNED_IN,
}
