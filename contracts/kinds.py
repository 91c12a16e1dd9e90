"""The documents about a director's contract. The drafted contract is printed when a hire is
confirmed (``recruitment.documents.campaign.issue_contract``); the signed contract, the county
filing form and the induction certificate by the signing services
(``contracts.documents``, declared in ``contracts.paperwork.PAPERWORK``)."""

from django.utils.translation import gettext_lazy as _

from paperwork.kinds import Kind, register

# The contract is an instrument between two parties: it carries the director's full ID number.
CONTRACT = Kind(
    "contract",
    printed_title="村级人口主任聘用合同",
    label=_("Contract"),
    template="paperwork/contracts/contract.html",
    version=3,
    carries_full_id=True,
)

COUNTY_FILING_FORM = Kind(
    "county_filing_form",
    printed_title="村级人口主任聘用合同备案表",
    label=_("County filing form"),
    template="paperwork/contracts/county_filing_form.html",
    version=1,
)

INDUCTION_CERTIFICATE = Kind(
    "induction_certificate",
    printed_title="村级人口主任初任培训证明",
    label=_("Induction certificate"),
    template="paperwork/contracts/induction_certificate.html",
    version=1,
)

register(CONTRACT, COUNTY_FILING_FORM, INDUCTION_CERTIFICATE)
