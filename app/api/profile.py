"""The signed-in account's own basic information over JSON, through the same command
as the page, so fixed fields are refused here too."""
from __future__ import annotations

from flask import g, request
from flask_appbuilder.api import BaseApi, expose, safe
from flask_appbuilder.security.decorators import protect

from app.commands.accounts.profile import UpdatePersonProfileCommand, UpdateUnitProfileCommand
from app.commands.errors import CommandError
from app.daos.actors import person_of, unit_of
from app.models.accounts import Person
from app.models.units import Unit
from app.security.profile_rules import profile_errors
from app.security.validators import mask_id_number
from app.views.answers import api_answer


def _person_json(person: Person, user) -> dict:
    return {"kind": "person", "real_name": person.real_name, "id_number": mask_id_number(person.id_number),
            "gender": person.gender, "birth_date": person.birth_date.isoformat() if person.birth_date else None,
            "ethnicity": person.ethnicity, "email": user.email, "mobile": person.mobile, "phone": person.phone,
            "wechat": person.wechat}


def _unit_json(unit: Unit, user) -> dict:
    return {"kind": "unit", "name": unit.name, "region": unit.region.full_name, "contact_name": unit.contact_name,
            "email": user.email, "mobile": unit.mobile, "phone": unit.phone}


class ProfileApi(BaseApi):
    resource_name = "profile"
    class_permission_name = "ProfileApi"
    method_permission_name = {"get_profile": "read", "put_profile": "write"}
    allow_browser_login = True

    def _own(self):
        person = person_of(g.user)
        if person is not None:
            return person, UpdatePersonProfileCommand, _person_json
        unit = unit_of(g.user)
        if unit is not None:
            return unit, UpdateUnitProfileCommand, _unit_json
        return None, None, None

    @expose("/", methods=["GET"])
    @protect()
    @safe
    def get_profile(self):
        """Basic information of the signed-in individual or unit.
        ---
        get:
          responses:
            200:
              description: the profile, with the ID number masked
            404:
              description: this account has no profile
        """
        profile, _command, to_json = self._own()
        if profile is None:
            return self.response_404()
        return self.response(200, result=to_json(profile, g.user))

    @expose("/", methods=["PUT"])
    @protect()
    @safe
    def put_profile(self):
        """Change the editable fields; name and ID number are refused.
        ---
        put:
          responses:
            200:
              description: saved
            400:
              description: a field was refused
        """
        profile, command, to_json = self._own()
        if profile is None:
            return self.response_404()
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return self.response_400(message="JSON object expected")
        errors = profile_errors("person" if command is UpdatePersonProfileCommand else "unit", data)
        if errors:  # the page's rules; nothing is saved
            return self.response_400(message={field: [str(message)] for field, message in errors.items()})
        try:
            saved = command(g.user, {k: v if v is None else str(v) for k, v in data.items()}).run()
        except CommandError as err:
            return api_answer(err)
        return self.response(200, result=to_json(saved, g.user))
