"""The documents the policy app issues (``policy.documents``)."""

from django.utils.translation import gettext_lazy as _

from paperwork.kinds import Kind, register

POLICY_SHEET = Kind(
    "policy_sheet",
    printed_title="村级人口主任管理政策要点",
    label=_("Policy sheet"),
    template="paperwork/policy_sheet.html",
    version=6,
)

register(POLICY_SHEET)
