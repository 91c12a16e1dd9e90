"""The printed inspection record of a day (月督查检查记录): the draw (candidates, seed,
algorithm, result and its reproduction) and every signed record with its corrections.
Issued when the day ends; a correction signed after the end issues a new version that
supersedes it. Declared in ``inspections.paperwork``."""

from inspections.kinds import INSPECTION_RECORD
from inspections.models import InspectionDay, SpotCheckDraw
from inspections.selectors import day_chains
from paperwork.models import Document
from paperwork.selectors import document_current
from paperwork.services import document_issue


def inspection_record_context(day: InspectionDay) -> dict:
    draw = SpotCheckDraw.objects.select_related("drawn_by").get(day=day)
    chains = day_chains(day)
    return {
        "day": day,
        "township": day.township,
        "draw": draw,
        "drawn": draw.drawn_villages(),
        "reproduces": draw.reproduces(),
        "chains": [chains[pk] for pk in draw.result if pk in chains],
        "missing": [v["name"] for v in draw.drawn_villages() if v["id"] not in chains],
    }


def issue_inspection_record(day: InspectionDay, *, by) -> Document:
    return document_issue(
        kind=INSPECTION_RECORD,
        context=inspection_record_context(day),
        subject=day,
        by=by,
        county=day.township.county,
        township=day.township,
        policy=SpotCheckDraw.objects.get(day=day).policy,
        issuing_body=day.township.issuing_body,
        transition="end",
        supersedes=document_current(kind=INSPECTION_RECORD, subject=day),
    )
