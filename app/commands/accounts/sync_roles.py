"""Make the roles in the database exactly the ones declared in app/security/roles.py: create missing
roles, grant the declared (permission, view) pairs, take away any other; the Admin role gets every
permission. Idempotent; run on start-up and by `flask sync-roles`."""
from __future__ import annotations

from app.commands.base import transactional
from app.security.roles import ADMIN, ROLE_PERMISSIONS


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
