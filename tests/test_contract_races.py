"""Races on putting contracts in force, on PostgreSQL with 20 threads, each with its own
database connection:

- 20 different contracts of one post filed at once: exactly one comes into force, the others
  are refused (``contract_one_in_force_per_post`` and the post's row lock). The post holds one
  pending contract at a time (``contract_one_pending_per_post``), so the test removes that
  first guard for its duration, to show the second one holds on its own;
- 20 contracts of one person on 20 posts filed at once: exactly one comes into force
  (``contract_one_in_force_per_person``);
- the same contract filed 20 times at once: it is filed once; the others are told so.

Run with ``DATABASE_URL=postgres://…``; SQLite skips them.
"""

import datetime
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from contracts.constants import ContractState, InductionSource
from contracts.models import Contract
from contracts.services.signing import contract_file
from organisation.models import Post
from tests.factories import PersonFactory, PostFactory, VillageFactory
from tests.test_hostile_races import RACES, THREADS, race, unexpected

pytestmark = [*RACES, pytest.mark.usefixtures("english_messages")]


def signed_contract(township, policy, person, post) -> Contract:
    """A signed contract whose induction is recorded: filing it puts it in force."""
    return Contract.objects.create(
        person=person,
        post=post,
        township=township,
        policy=policy,
        state=ContractState.SIGNED,
        term_years=3,
        start_date=datetime.date(2026, 12, 1),
        end_date=datetime.date(2029, 11, 30),
        monthly_pay=Decimal("1700.00"),
        township_signatory="李强",
        township_signed_on=datetime.date(2026, 11, 20),
        director_signed_on=datetime.date(2026, 11, 20),
        induction_on=datetime.date(2026, 11, 19),
        induction_source=InductionSource.RECORDED,
    )


@contextmanager
def without_constraint(name: str):
    constraint = next(c for c in Contract._meta.constraints if c.name == name)
    with connection.schema_editor() as editor:
        editor.remove_constraint(Contract, constraint)
    try:
        yield
    finally:
        with connection.schema_editor() as editor:
            editor.add_constraint(Contract, constraint)


def file_each(contracts, hr):
    def work(i):
        contract = Contract.objects.get(pk=contracts[i].pk)
        return contract_file(contract=contract, by=hr)

    return race(work)


def test_twenty_contracts_of_one_post_filed_at_once_one_comes_into_force(township, policy, hr):
    post = PostFactory(village=VillageFactory(township=township))
    with without_constraint("contract_one_pending_per_post"):
        contracts = [
            signed_contract(township, policy, PersonFactory(township=township), post)
            for _ in range(THREADS)
        ]
        results = file_each(contracts, hr)
        active = list(Contract.objects.filter(post=post, state=ContractState.ACTIVE))
        # Back to one pending contract a post before the constraint is restored.
        Contract.objects.filter(post=post, state=ContractState.SIGNED).delete()
    assert not unexpected(results, (ValidationError, IntegrityError))
    assert sum(isinstance(r, Contract) for r in results) == 1
    assert len(active) == 1
    assert Post.objects.get(pk=post.pk).holder_id == active[0].person_id


def test_twenty_contracts_of_one_person_filed_at_once_one_comes_into_force(township, policy, hr):
    person = PersonFactory(township=township)
    contracts = [
        signed_contract(
            township, policy, person, PostFactory(village=VillageFactory(township=township))
        )
        for _ in range(THREADS)
    ]
    results = file_each(contracts, hr)
    assert not unexpected(results, (ValidationError, IntegrityError))
    assert sum(isinstance(r, Contract) for r in results) == 1
    assert Contract.objects.filter(person=person, state=ContractState.ACTIVE).count() == 1
    assert Post.objects.filter(holder_id=person.pk).count() == 1


def test_one_contract_filed_twenty_times_at_once_is_filed_once(township, policy, hr):
    post = PostFactory(village=VillageFactory(township=township))
    contract = signed_contract(township, policy, PersonFactory(township=township), post)
    results = file_each([contract] * THREADS, hr)
    assert not unexpected(results, (ValidationError,))
    assert sum(isinstance(r, Contract) for r in results) == 1
    refusals = {m for r in results if isinstance(r, ValidationError) for m in r.messages}
    assert all("Someone else changed this contract" in m or "already" in m for m in refusals)
    contract.refresh_from_db()
    assert contract.state == ContractState.ACTIVE
