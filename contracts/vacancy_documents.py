"""The paperwork of a vacancy: the acting designation (代行职责通知), issued by the township
when it names who acts for a vacant post. Declared in ``contracts.paperwork``."""

from django.utils import translation

from contracts.dates import refill_rule_text
from contracts.documents import issue_in_township
from contracts.kinds import ACTING_DESIGNATION
from contracts.models import Vacancy
from paperwork.models import Document


def acting_designation_context(vacancy: Vacancy) -> dict:
    township = vacancy.township
    person = vacancy.acting_person
    assert person is not None, "designate the acting person first"
    ended = vacancy.ended_contract
    previous = ended.person if ended is not None else None
    # The document is Chinese whatever language the clerk's screen is in.
    with translation.override("zh-hans"):
        rule = refill_rule_text(vacancy.policy.vacancy_refill_months)
    return {
        "vacancy": vacancy,
        "township": township,
        "county": township.county,
        "village": vacancy.post.village,
        "post": vacancy.post,
        "person": person,
        "masked_id": person.masked_id_number,
        "previous": previous,
        "refill_rule": rule,
    }


def issue_acting_designation(vacancy: Vacancy, *, by) -> Document:
    """The acting designation, to the acting person and the village; a new designation
    supersedes the previous one."""
    return issue_in_township(
        kind=ACTING_DESIGNATION,
        context=acting_designation_context(vacancy),
        subject=vacancy,
        by=by,
        township=vacancy.township,
        person=vacancy.acting_person,
        policy=vacancy.policy,
        transition="designate_acting",
        supersede=True,
    )
