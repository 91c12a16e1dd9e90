"""The OpenAPI schema (drf-spectacular) with every refusal documented: each operation lists
the error responses it may give, in the one shape of ``api.errors``, so that a client (and
the schemathesis test) knows every status it can meet."""

from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(
        help_text=gettext_lazy("What is wrong, in the interface language")
    )
    code = serializers.CharField(help_text=gettext_lazy("The error's code, for programs"))
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=gettext_lazy(
            "Invalid input: the messages of each field (non_field_errors: the request's)"
        ),
    )

    class Meta:
        ref_name = "Error"


ERROR_DESCRIPTIONS = {
    "400": gettext_lazy(
        "Invalid input (a wrong type, an unknown field, a value against the rules)"
    ),
    "401": gettext_lazy("Not signed in: no token, or an invalid one"),
    "403": gettext_lazy("Not permitted"),
    "404": gettext_lazy("Not found, or outside what you may see"),
    "409": gettext_lazy("The record's present state does not allow this step"),
    "503": gettext_lazy(
        "A technical failure (a document that could not be issued): nothing was changed"
    ),
}


class AutoSchema(SpectacularAutoSchema):
    def error_codes(self) -> list[str]:
        codes = ["400", "401", "403", "404"]
        if self.method == "POST":
            codes += ["409", "503"]
        return codes

    def map_parsers(self):
        # The schema documents JSON; forms are accepted as on the pages but not advertised.
        return ["application/json"]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.error_codes():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        return responses


class TokenScheme(OpenApiAuthenticationExtension):
    """``Authorization: Token <key>`` (``api.authentication``) in the schema."""

    target_class = "api.authentication.HashedTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": gettext_lazy(
                "A token: `Token <key>` (issued by `manage.py api_token USERNAME`)"
            ),
        }
