"""Accounts as the account pages and Admin's security views read them: the roles stored for a user, the
roles and permissions to choose from, and the binding a backend account shows on its own page."""
from __future__ import annotations

from flask_appbuilder.security.sqla.models import PermissionView, Role, assoc_user_role
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models.accounts import BackendBinding


def stored_role_names(user_id: int) -> list[str]:
    """The names of the roles the database holds for the user, not those of an edit not yet flushed."""
    with db.session.no_autoflush:
        return db.session.execute(
            select(Role.name).join(assoc_user_role, assoc_user_role.c.role_id == Role.id)
            .where(assoc_user_role.c.user_id == user_id)
        ).scalars().all()


def all_roles() -> list[Role]:
    """Every role, in the order they were made (Admin's role pickers)."""
    return db.session.execute(select(Role).order_by(Role.id)).scalars().all()


def all_permission_views() -> list[PermissionView]:
    """Every (permission, resource) pair with both names loaded (Admin's role editor)."""
    return db.session.execute(select(PermissionView).options(
        joinedload(PermissionView.permission), joinedload(PermissionView.view_menu))
        .order_by(PermissionView.id)).scalars().all()


def own_binding(user) -> BackendBinding | None:
    """The signed-in backend account's own binding (region or committee), active or not; None for others."""
    return db.session.get(BackendBinding, user.id)
