"""Create an ab_user row with one role; shared by registration, demo data and Admin."""
from __future__ import annotations

from flask import current_app

from app.commands.accounts.password import set_password
from app.extensions import db


def new_user(*, username: str, real_name: str, email: str, role_name: str, password: str):
    sm = current_app.appbuilder.sm
    role = sm.find_role(role_name)
    if role is None:
        raise RuntimeError(f"role {role_name} is missing: run `flask sync-roles`")
    user = sm.user_model()
    user.username = username
    # FAB splits names in two; a Chinese name is kept whole in first_name
    user.first_name, user.last_name = real_name, ""
    user.email = email
    user.active = True
    user.roles = [role]
    set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user
