"""Drafting a confirmed hire's contract."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record, snapshot
from contracts.constants import IN_FORCE_STATES, ContractState
from contracts.models import Contract
from contracts.signals import contract_drafted
from organisation.constants import PostStatus
from policy.selectors import policy_in_force
from workdays.calendar import add_years

ONE_DAY = datetime.timedelta(days=1)

# A drafted or signed contract holds its post: nobody else is offered it meanwhile.
POST_HOLDING_STATES = [ContractState.DRAFTED, ContractState.SIGNED]


def contract_end_date(start_date: datetime.date, term_years: int) -> datetime.date:
    """The last day of a term of ``term_years`` years that starts on ``start_date``.

    The term includes its first day, so it ends the day before the anniversary: a 3-year
    contract from 2027-01-01 ends on 2029-12-31, one from 2027-03-01 on 2030-02-28. A term
    starting on 29 February reaches its anniversary on 1 March of a common year, so one from
    2028-02-29 ends on 2031-02-28.
    """
    return add_years(start_date, term_years) - ONE_DAY


@transaction.atomic
def contract_draft(*, application, person, post, start_date: datetime.date, by) -> Contract:
    """Draft the contract of a confirmed hire, ready for signing.

    Term and monthly pay come from the county policy in force on ``start_date`` (the version
    that governs the contract, recorded on it); the end date follows ``contract_end_date``.
    The post stays vacant until the contract is signed, but a drafted contract holds it, so no
    other campaign offers it meanwhile (``recruitment.services.campaigns.vacant_posts``).

    The caller (``campaign_confirm_hires``) checks who may hire; this checks the post.
    """
    township = post.village.township
    if post.status != PostStatus.ACTIVE or post.holder_id is not None:
        raise ValidationError(
            _("%(post)s is not a vacant active post; a contract cannot be drafted for it.")
            % {"post": post}
        )
    holding = Contract.objects.filter(post=post, state__in=POST_HOLDING_STATES)
    if holding.exists():
        raise ValidationError(
            _("%(post)s already has a contract waiting for signature.") % {"post": post}
        )
    elsewhere = (
        Contract.objects.filter(person=person, state__in=[*POST_HOLDING_STATES, *IN_FORCE_STATES])
        .select_related("post__village")
        .first()
    )
    if elsewhere is not None:
        raise ValidationError(
            _(
                "%(name)s already has a contract for %(village)s (“%(state)s”): a person directs "
                "one post at a time."
            )
            % {
                "name": person.name,
                "village": elsewhere.post.village.name,
                "state": elsewhere.get_state_display(),
            }
        )
    if application is not None and Contract.objects.filter(application=application).exists():
        raise ValidationError(_("This application already has a contract."))
    policy = policy_in_force(county=township.county, on=start_date)
    contract = Contract(
        person=person,
        post=post,
        township=township,
        application=application,
        policy=policy,
        term_years=policy.term_years,
        start_date=start_date,
        end_date=contract_end_date(start_date, policy.term_years),
        monthly_pay=policy.monthly_pay,
        created_by=by,
    )
    contract.save()
    audit_record(
        obj=contract,
        action=AuditEntry.Action.CREATE,
        by=by,
        transition="draft",
        after=snapshot(contract),
    )
    contract_drafted.send(sender=Contract, contract=contract)
    return contract
