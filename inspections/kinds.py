"""The document of a monthly inspection day: the inspection record (月督查检查记录), issued
when the day ends (``inspections.documents``, declared in ``inspections.paperwork``)."""

from django.utils.translation import gettext_lazy as _

from paperwork.kinds import Kind, register

INSPECTION_RECORD = Kind(
    "inspection_record",
    printed_title="月督查检查记录",
    label=_("Inspection record"),
    template="paperwork/inspections/inspection_record.html",
    version=1,
)

register(INSPECTION_RECORD)
