"""The documents of the inspection days, declared in the paperwork table
(``paperwork.table``): the inspection record when a day ends, and its new version when a
record of an ended day is corrected (``inspections.documents``)."""

from inspections.documents import issue_inspection_record
from inspections.kinds import INSPECTION_RECORD
from inspections.models import InspectionDay
from paperwork.table import PaperworkEntry, declare

declare(
    PaperworkEntry(
        InspectionDay,
        "end",
        INSPECTION_RECORD,
        issue_inspection_record,
        "the township office and the county",
    ),
    PaperworkEntry(
        InspectionDay,
        "correct_record",
        INSPECTION_RECORD,
        issue_inspection_record,
        "the township office and the county",
    ),
)
