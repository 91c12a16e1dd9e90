"""The renewal notice (续聘通知书), issued when the township committee decides to renew."""

from contracts.documents import issue_in_township
from contracts.kinds import RENEWAL_NOTICE
from contracts.models import RenewalReview
from paperwork.models import Document


def renewal_notice_context(review: RenewalReview) -> dict:
    old = review.contract
    township = old.township
    return {
        "review": review,
        "old": old,
        "new": review.new_contract,
        "person": old.person,
        "masked_id": old.person.masked_id_number,
        "township": township,
        "county": township.county,
        "village": old.post.village,
        "post": old.post,
    }


def issue_renewal_notice(review: RenewalReview, *, by) -> Document:
    """The notice to the director, printed when the renewal is decided."""
    contract = review.contract
    return issue_in_township(
        kind=RENEWAL_NOTICE,
        context=renewal_notice_context(review),
        subject=review,
        by=by,
        township=contract.township,
        person=contract.person,
        policy=review.new_contract.policy if review.new_contract else review.policy,
        transition="decide_renew",
    )
