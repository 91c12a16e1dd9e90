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

register(CONTRACT)

# The end of a contract (contracts.services.endings): a resignation accepted, or a township
# decision to terminate (解聘) for change of post, health or the renewal age.
TERMINATION_CERTIFICATE = Kind(
    "termination_certificate",
    printed_title="解除聘用合同证明书",
    label=_("Termination certificate"),
    template="paperwork/contracts/termination_certificate.html",
    version=1,
)

# A dismissal case decided to dismiss (contracts.services.dismissal.case_decide).
DISMISSAL_NOTICE = Kind(
    "dismissal_notice",
    printed_title="辞退通知书",
    label=_("Dismissal notice"),
    template="paperwork/contracts/dismissal_notice.html",
    version=1,
)

register(TERMINATION_CERTIFICATE)
register(DISMISSAL_NOTICE)
