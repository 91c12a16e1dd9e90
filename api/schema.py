"""The OpenAPI schema (drf-spectacular) with every refusal documented: each operation lists
the error responses it may give, in the one shape of ``api.errors``, so that a client (and
the schemathesis test) knows every status it can meet."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="说明（界面语言）")
    code = serializers.CharField(help_text="机器可读的错误代码")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="输入有误时：每个字段的错误信息（non_field_errors 为整体的错误）",
    )

    class Meta:
        ref_name = "Error"


ERROR_DESCRIPTIONS = {
    "400": "输入有误（字段类型、未知字段、取值不合规则）",
    "401": "未登录：缺少或无效的令牌",
    "403": "无此权限",
    "404": "不存在，或不在您的数据范围内",
    "409": "记录当前状态下不能进行此步骤",
    "503": "技术故障（如文书无法生成），未作任何更改",
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
            "description": "令牌：`Token <密钥>`（由 `manage.py api_token 用户名` 签发）",
        }
