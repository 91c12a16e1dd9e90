"""The documents about a director's contract. The drafted contract is printed when a hire is
confirmed (``recruitment.documents.campaign.issue_contract``); the signed contract, the county
filing form and the induction certificate by the signing services
(``contracts.documents``, declared in ``contracts.paperwork``)."""

from django.utils.translation import gettext_lazy as _

from paperwork.kinds import Kind, register

# The contract is an instrument between two parties: it carries the director's full ID number.
CONTRACT = Kind(
    "contract",
    printed_title="村级人口主任聘用合同",
    label=_("Contract"),
    template="paperwork/contracts/contract.html",
    version=5,
    carries_full_id=True,
    tells_person=True,
)

# Seed 001, 空岗: the township designates at once who acts for a vacant post
# (contracts.services.vacancies.vacancy_designate_acting).
ACTING_DESIGNATION = Kind(
    "acting_designation",
    printed_title="关于指定村级人口主任代行职责人员的通知",
    label=_("Acting designation"),
    template="paperwork/contracts/acting_designation.html",
    version=1,
    tells_person=True,
)

RENEWAL_NOTICE = Kind(
    "renewal_notice",
    printed_title="村级人口主任续聘通知书",
    label=_("Renewal notice"),
    template="paperwork/contracts/renewal_notice.html",
    version=1,
    tells_person=True,
)

COUNTY_FILING_FORM = Kind(
    "county_filing_form",
    printed_title="村级人口主任聘用合同备案表",
    label=_("County filing form"),
    template="paperwork/contracts/county_filing_form.html",
    version=1,
    tells_person=True,
)

INDUCTION_CERTIFICATE = Kind(
    "induction_certificate",
    printed_title="村级人口主任初任培训证明",
    label=_("Induction certificate"),
    template="paperwork/contracts/induction_certificate.html",
    version=1,
    tells_person=True,
)

# The end of a contract (contracts.services.endings): a resignation accepted, or a township
# decision to terminate (解聘) for change of post, health or the renewal age.
TERMINATION_CERTIFICATE = Kind(
    "termination_certificate",
    printed_title="解除聘用合同证明书",
    label=_("Termination certificate"),
    template="paperwork/contracts/termination_certificate.html",
    version=1,
    tells_person=True,
)

# A dismissal case decided to dismiss (contracts.services.dismissal.case_decide).
DISMISSAL_NOTICE = Kind(
    "dismissal_notice",
    printed_title="辞退通知书",
    label=_("Dismissal notice"),
    template="paperwork/contracts/dismissal_notice.html",
    version=1,
    tells_person=True,
)

register(
    CONTRACT,
    COUNTY_FILING_FORM,
    INDUCTION_CERTIFICATE,
    ACTING_DESIGNATION,
    RENEWAL_NOTICE,
    TERMINATION_CERTIFICATE,
    DISMISSAL_NOTICE,
)
