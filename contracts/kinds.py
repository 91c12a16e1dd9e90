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

# Seed 001, 空岗: the township designates at once who acts for a vacant post
# (contracts.services.vacancies.vacancy_designate_acting).
ACTING_DESIGNATION = Kind(
    "acting_designation",
    printed_title="关于指定村级人口主任代行职责人员的通知",
    label=_("Acting designation"),
    template="paperwork/contracts/acting_designation.html",
    version=1,
)

RENEWAL_NOTICE = Kind(
    "renewal_notice",
    printed_title="村级人口主任续聘通知书",
    label=_("Renewal notice"),
    template="paperwork/contracts/renewal_notice.html",
    version=1,
)

register(CONTRACT, ACTING_DESIGNATION, RENEWAL_NOTICE)
