"""Writes of the monthly assessment: the scoring scheme (``schemes``), the month
(``months``) and the county bulletin (``county``)."""

from assessment.services.county import county_bulletin_issue
from assessment.services.months import (
    month_documents_job,
    month_documents_submit,
    month_finish_scoring,
    month_open,
    month_publish,
    month_reopen,
    month_resume_scoring,
    month_settle,
    score_record,
    scores_record,
)
from assessment.services.schemes import scheme_copy, scheme_save

__all__ = [
    "county_bulletin_issue",
    "month_documents_job",
    "month_documents_submit",
    "month_finish_scoring",
    "month_open",
    "month_publish",
    "month_reopen",
    "month_resume_scoring",
    "month_settle",
    "scheme_copy",
    "scheme_save",
    "score_record",
    "scores_record",
]
