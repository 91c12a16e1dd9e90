"""The documents of the early warnings, declared in the paperwork table
(``paperwork.table``): a warning opened issues the warning notice; a yellow card decided
issues the decision. ``earlywarnings.services`` calls ``issue_for`` inside its transaction."""

from earlywarnings.documents import issue_warning_notice, issue_yellow_card_decision
from earlywarnings.kinds import WARNING_NOTICE, YELLOW_CARD_DECISION
from earlywarnings.models import Warning, YellowCard
from paperwork.table import PaperworkEntry, declare

declare(
    PaperworkEntry(
        Warning,
        "open",
        WARNING_NOTICE,
        issue_warning_notice,
        "the director and the township committee",
    ),
    PaperworkEntry(
        YellowCard,
        "decide",
        YELLOW_CARD_DECISION,
        issue_yellow_card_decision,
        "the township or the director, and the county archive",
    ),
)
