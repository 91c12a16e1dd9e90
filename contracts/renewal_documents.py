"""The renewal notice (续聘通知书), issued when the township committee decides to renew."""

from contracts.kinds import RENEWAL_NOTICE
from contracts.models import RenewalReview
from paperwork.models import Document
from paperwork.services import document_issue


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
    township = contract.township
    return document_issue(
        kind=RENEWAL_NOTICE,
        context=renewal_notice_context(review),
        subject=review,
        by=by,
        county=township.county,
        township=township,
        person=contract.person,
        policy=review.new_contract.policy if review.new_contract else review.policy,
        issuing_body=township.issuing_body,
        transition="decide_renew",
    )
