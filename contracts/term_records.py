"""The records of a term that a renewal review weighs: the annual appraisal grades and the
training compliance of the director over the contract's term.

Those records come with the next issue (training, monthly scoring and appraisal). Until then
the provider answers ``None`` — "no records" — and the review page says so (暂无记录); it
never makes a value up. The training and appraisal module registers its own provider with
``register_term_records``.
"""

from typing import Protocol


class TermRecords(Protocol):
    """Where a renewal review reads the term's records from. Each method answers ``None``
    when no records exist, or a list of rows, one per year of the term, as plain JSON values
    (stored in ``RenewalReview.facts`` as they stood when the review opened):

    - ``appraisal_grades``: ``{"year": 2027, "grade": "合格"}``
    - ``training_compliance``: ``{"year": 2027, "attended": True, "note": "知识更新培训3天"}``
    """

    def appraisal_grades(self, contract) -> list[dict] | None: ...

    def training_compliance(self, contract) -> list[dict] | None: ...


class NoTermRecords:
    """No appraisal or training records are kept yet."""

    def appraisal_grades(self, contract) -> list[dict] | None:
        return None

    def training_compliance(self, contract) -> list[dict] | None:
        return None


_provider: TermRecords = NoTermRecords()


def register_term_records(provider: TermRecords) -> TermRecords:
    """Make ``provider`` the source of the term's records; returns the previous one."""
    global _provider
    previous, _provider = _provider, provider
    return previous


def term_records() -> TermRecords:
    return _provider
