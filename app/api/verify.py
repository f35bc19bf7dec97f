"""证书查询 as JSON (Z5), public like the page: POST /api/v1/verify/ with {"name", "id_number", "key"} or
{"number", "code"}; the same look-up, log, limit (429) and masked answer as /verify."""
from __future__ import annotations

from flask import request
from flask_appbuilder.api import BaseApi, expose
from flask_babel import gettext as _

from app.commands.certificates.verify import VerifyCertificatesCommand
from app.commands.errors import CommandError
from app.security import ratelimit
from app.views.answers import api_answer

FIELDS = ("name", "id_number", "key", "number", "code")


class VerifyApi(BaseApi):
    resource_name = "verify"
    openapi_spec_tag = "Certificate verification"

    @expose("/", methods=["POST"])
    def look_up(self):
        """Look up certificates, as the public page does.
        ---
        post:
          description: >-
            name + id_number lists the person's certificates; with key (verification code or certificate
            number) the one; number + code alone is the QR code's look-up. ID numbers are masked.
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    name: {type: string, maxLength: 64}
                    id_number: {type: string, maxLength: 32}
                    key: {type: string, maxLength: 32}
                    number: {type: string, maxLength: 32}
                    code: {type: string, maxLength: 32}
          responses:
            200:
              description: found is false when nothing matched (the same answer for every mismatch)
            400:
              description: a required value is missing
            429:
              description: too many look-ups from this address
        """
        from app.views.verify import present

        data = request.get_json(silent=True) if request.is_json else None
        if not isinstance(data, dict):
            return self.response_400(message=_("Send the query as a JSON object"))
        values = {k: data[k] if isinstance(data.get(k), str) else "" for k in FIELDS}
        if not ratelimit.allowed("verify_per_address", ratelimit.address()):
            return self.response(429, message={"_": [_("Too many tries; please wait a while before trying again")]})
        try:
            found = VerifyCertificatesCommand(channel="api", address=ratelimit.address(), **values).run()
        except CommandError as err:
            return api_answer(err)
        if not found:
            return self.response(200, found=False, message=_("No matching certificate was found"), certificates=[])
        return self.response(200, found=True, certificates=[present(c) for c in found])
