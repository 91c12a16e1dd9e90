"""The documents about a director's contract. The drafted contract is printed when a hire is
confirmed (``recruitment.documents.campaign.issue_contract``)."""

from django.utils.translation import gettext_lazy as _

from paperwork.kinds import Kind, register

CONTRACT = Kind(
    "contract",
    printed_title="村级人口主任聘用合同",
    label=_("Contract"),
    template="paperwork/contracts/contract.html",
    version=2,
)

RENEWAL_NOTICE = Kind(
    "renewal_notice",
    printed_title="村级人口主任续聘通知书",
    label=_("Renewal notice"),
    template="paperwork/contracts/renewal_notice.html",
    version=1,
)

register(CONTRACT, RENEWAL_NOTICE)
