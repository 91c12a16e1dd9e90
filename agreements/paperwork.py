"""The documents of the agreement's steps, declared in the paperwork table
(``paperwork.table``): the agreement printed on drafting, on each adjustment of its values and
on signing (``agreements.documents``); each supersedes the print before it."""

from agreements.documents import (
    issue_adjusted_agreement,
    issue_drafted_agreement,
    issue_signed_agreement,
)
from agreements.kinds import TARGET_AGREEMENT
from agreements.models import TargetAgreement
from paperwork.table import PaperworkEntry, declare

RECIPIENTS = "the township office, the village committee and the director"

declare(
    PaperworkEntry(TargetAgreement, "draft", TARGET_AGREEMENT, issue_drafted_agreement, RECIPIENTS),
    PaperworkEntry(
        TargetAgreement, "set_values", TARGET_AGREEMENT, issue_adjusted_agreement, RECIPIENTS
    ),
    PaperworkEntry(TargetAgreement, "sign", TARGET_AGREEMENT, issue_signed_agreement, RECIPIENTS),
)
