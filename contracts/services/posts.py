"""A post's occupancy follows its contracts: it is occupied while a contract is in force and
falls vacant (a ``Vacancy``) the day that contract ends. The term's services call these two
inside their own transaction; nothing else sets ``Post.holder``."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record, audited_transition, audited_update, snapshot
from contracts.constants import OPEN_VACANCY_STATES, VacancyCause
from contracts.dates import refill_due
from contracts.models import Contract, Vacancy
from contracts.signals import vacancy_opened
from organisation.models import Post
from policy.selectors import policy_in_force


def post_occupy(*, contract: Contract, on: datetime.date, by) -> None:
    """The contract came into force: its person becomes the post's director, and the post's
    open vacancy (if any) is filled by it."""
    post = Post.objects.select_for_update().get(pk=contract.post_id)
    if post.holder_id not in (None, contract.person_id):
        raise ValidationError(_("%(post)s already has a director.") % {"post": post})
    if post.holder_id != contract.person_id:
        audited_update(post, {"holder": contract.person}, by=by, transition="occupy")
    vacancy = (
        Vacancy.objects.select_for_update().filter(post=post, state__in=OPEN_VACANCY_STATES).first()
    )
    if vacancy is not None:
        with audited_transition(vacancy, "fill", by=by):
            vacancy.fill(contract=contract, on=on)


def post_vacate(
    *, contract: Contract, on: datetime.date, by, cause: str = VacancyCause.CONTRACT_ENDED
) -> Vacancy:
    """The contract ended on ``on``: the post has no director from the next day and a vacancy
    opens, with its refill deadline from the policy in force. The vacancy's flow (acting
    designation, refill) starts from the ``vacancy_opened`` signal."""
    post = Post.objects.select_for_update().get(pk=contract.post_id)
    if post.holder_id == contract.person_id:
        audited_update(post, {"holder": None}, by=by, transition="vacate")
    return vacancy_open(post=post, on=on, by=by, cause=cause, ended_contract=contract)


def vacancy_open(
    *,
    post: Post,
    on: datetime.date,
    by,
    cause: str,
    ended_contract: Contract | None = None,
) -> Vacancy:
    """Open the vacancy of ``post`` from ``on``. The refill deadline is the policy's months
    (2 by default) after ``on``, as ``contracts.dates.refill_due`` counts it."""
    if Vacancy.objects.filter(post=post, state__in=OPEN_VACANCY_STATES).exists():
        raise ValidationError(_("%(post)s already has an open vacancy.") % {"post": post})
    township = post.village.township
    policy = policy_in_force(county=township.county, on=on)
    vacancy = Vacancy(
        post=post,
        township=township,
        policy=policy,
        cause=cause,
        ended_contract=ended_contract,
        opened_on=on,
        refill_due=refill_due(on, policy.vacancy_refill_months),
    )
    vacancy.save()
    audit_record(
        obj=vacancy,
        action=AuditEntry.Action.CREATE,
        by=by,
        transition="open",
        after=snapshot(vacancy),
    )
    vacancy_opened.send(sender=Vacancy, vacancy=vacancy)
    return vacancy
