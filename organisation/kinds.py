"""The documents the organisation app issues (``organisation.documents``)."""

from django.utils.translation import gettext_lazy as _

from paperwork.kinds import Kind, register

VILLAGE_POST_REGISTER = Kind(
    "village_post_register",
    printed_title="村级人口主任岗位登记表",
    label=_("Village post register"),
    template="paperwork/village_post_register.html",
    version=2,
)

register(VILLAGE_POST_REGISTER)
