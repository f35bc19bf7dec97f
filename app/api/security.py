"""FAB's /api/v1/security endpoints with our rules (tokens that end with their session, no password
login unless switched on).

- Password login is off unless API_PASSWORD_LOGIN is set; integrations use API keys. When on,
  it goes through the page's lockout (AuthenticateCommand) and a per-address rate limit.
- Every token carries the sid of a server-side session row of kind "api": logout, a password
  change or reset, and deactivation end the row or the account, and the tokens stop working.
"""
from __future__ import annotations

from flask import current_app, g, request
from flask_appbuilder.api import safe
from flask_appbuilder.const import API_SECURITY_ACCESS_TOKEN_KEY, API_SECURITY_REFRESH_TOKEN_KEY
from flask_appbuilder.security.api import SecurityApi as FabSecurityApi
from flask_appbuilder.security.schemas import login_post
from flask_appbuilder.views import expose
from flask_babel import gettext as _
from flask_jwt_extended import create_access_token, create_refresh_token, get_jwt, jwt_required
from marshmallow import ValidationError

from app.commands.accounts.signout import SignOutCommand
from app.security import ratelimit, sessions


class SecurityApi(FabSecurityApi):  # the same class name keeps FAB's endpoint names
    @expose("/login", methods=["POST"])
    @safe
    def login(self):
        if not current_app.config["API_PASSWORD_LOGIN"]:
            return self.response(404, message=_("Password login through the API is switched off; "
                                                "ask the administrator for an API key"))
        if not ratelimit.allowed("api_login_per_address", ratelimit.address()):
            return self.response(429, message=_("Too many sign-in attempts from this address; "
                                                "please wait a few minutes"))
        if not request.is_json:
            return self.response_400(message=_("Send the login name and password as JSON"))
        try:
            payload = login_post.load(request.json)
        except ValidationError as error:
            return self.response_400(message=error.messages)
        if payload["provider"] != "db":
            return self.response_401()
        user = self.appbuilder.sm.auth_user_db(payload["username"], payload["password"])
        if not user:
            return self.response_401()
        sid = sessions.start_api(user)
        claims = {"sid": sid}
        resp = {API_SECURITY_ACCESS_TOKEN_KEY: create_access_token(identity=str(user.id), fresh=True,
                                                                   additional_claims=claims)}
        if payload.get("refresh"):
            resp[API_SECURITY_REFRESH_TOKEN_KEY] = create_refresh_token(identity=str(user.id),
                                                                        additional_claims=claims)
        return self.response(200, **resp)

    @expose("/refresh", methods=["POST"])
    @jwt_required(refresh=True)
    @safe
    def refresh(self):
        token = get_jwt()
        return self.response(200, **{API_SECURITY_ACCESS_TOKEN_KEY: create_access_token(
            identity=token["sub"], fresh=False, additional_claims={"sid": token.get("sid")})})

    @expose("/logout", methods=["POST"])
    @jwt_required(verify_type=False)
    @safe
    def logout(self):
        """End the API session of this token: its access and refresh tokens stop working."""
        token = get_jwt()
        SignOutCommand(g.get("user"), token["sid"], api_subject=token["sub"]).run()
        return self.response(200, message=_("Signed out"))


def register_token_rules(jwt_manager) -> None:
    """A token counts only while its session row is live and its account active."""

    @jwt_manager.token_in_blocklist_loader
    def _revoked(_header, payload) -> bool:
        user = current_app.appbuilder.sm.get_user_by_id(int(payload["sub"])) if str(
            payload.get("sub", "")).isdigit() else None
        if user is None or not user.is_active:
            return True
        return not sessions.api_session_is_live(payload.get("sid"), user.id)

    @jwt_manager.revoked_token_loader
    def _revoked_answer(_header, _payload):
        return {"message": _("The sign-in has ended; please sign in again")}, 401
