"""The document of the target-responsibility agreement, issued by ``agreements.services``
(declared in ``agreements.paperwork``)."""

from django.utils.translation import gettext_lazy as _

from paperwork.kinds import Kind, register

# Seed 001: 由乡计生办与村居(社区)两委会共同与村级人口主任签订年度计划生育工作目标管理责任书.
TARGET_AGREEMENT = Kind(
    "target_agreement",
    printed_title="年度计划生育工作目标管理责任书",
    label=_("Annual target-responsibility agreement"),
    template="paperwork/agreements/target_agreement.html",
    version=1,
    tells_person=True,
)

register(TARGET_AGREEMENT)
