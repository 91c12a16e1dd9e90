"""The documents of the appraisal's transitions, declared in the paperwork table
(``paperwork.table``): the annual appraisal form when county HR confirms; when a settlement
list is settled, one document per reward by its kind (a pension line has none of its own)
and the township's pension statement for county finance."""

from appraisal.documents import (
    is_commendation,
    is_long_service,
    is_recommendation,
    issue_appraisal_form,
    issue_commendation,
    issue_long_service_approval,
    issue_pension_statement,
    issue_recommendation_letter,
)
from appraisal.kinds import (
    APPRAISAL_FORM,
    COMMENDATION,
    LONG_SERVICE_APPROVAL,
    PENSION_STATEMENT,
    RECOMMENDATION_LETTER,
)
from appraisal.models import AnnualAppraisal, Reward, RewardSettlement
from paperwork.table import PaperworkEntry, declare

declare(
    PaperworkEntry(
        AnnualAppraisal,
        "confirm",
        APPRAISAL_FORM,
        issue_appraisal_form,
        "the director, the township and the county archive",
    ),
    PaperworkEntry(
        Reward, "settle", COMMENDATION, issue_commendation, "the director", when=is_commendation
    ),
    PaperworkEntry(
        Reward,
        "settle",
        LONG_SERVICE_APPROVAL,
        issue_long_service_approval,
        "the director and county finance",
        when=is_long_service,
    ),
    PaperworkEntry(
        Reward,
        "settle",
        RECOMMENDATION_LETTER,
        issue_recommendation_letter,
        "the director and the county's public-institution recruitment office",
        when=is_recommendation,
    ),
    PaperworkEntry(
        RewardSettlement, "settle", PENSION_STATEMENT, issue_pension_statement, "county finance"
    ),
)
