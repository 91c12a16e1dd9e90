"""Contracts in force for the tests of resignation, termination and dismissal
(``tests.builders.contract_in_force`` with these tests' defaults), and the records of the
permission matrix's endings pages."""

import datetime
import importlib

from django.apps import apps as django_apps

from contracts.constants import ContractState
from contracts.models import Contract
from contracts.services.drafting import contract_end_date
from organisation.models import Township, Village
from people.models import Person
from tests.builders import contract_in_force


def seed_grounds() -> None:
    """The nine grounds of seed 001 as migration 0004 seeds them. A test after a
    transactional one (the browser tests flush the database) would find none."""
    seed = importlib.import_module("contracts.migrations.0004_dismissal_grounds")
    seed.add_grounds(django_apps, None)


def active_contract(
    township: Township,
    *,
    name: str = "王晓燕",
    village: Village | None = None,
    start: datetime.date = datetime.date(2025, 1, 1),
    birth: datetime.date = datetime.date(1988, 3, 12),
    username: str | None = None,
) -> Contract:
    """An active 3-year contract from 2025 of a new director with a login
    (``tests.builders.contract_in_force``)."""
    return contract_in_force(
        township, start=start, birth=birth, name=name, village=village, username=username
    )


def director_of(contract: Contract):
    return Person.objects.get(pk=contract.person_id).user


# --- the permission matrix's records -----------------------------------------------------------


class EndingsRecords:
    """One side's records for the pages of ``contracts.urls_endings``: the side's post holder's
    contract in force, a resignation waiting, and a case opened with an evidence file."""

    def __init__(self, world, side_name: str):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from contracts.models import DismissalGround
        from contracts.services.dismissal import Evidence, case_open
        from contracts.services.endings import resignation_request
        from tests.builders import committee_member
        from tests.factories import make_pdf

        seed_grounds()
        side = world.side(side_name)
        # The matrix's own contract of the side, where its world has one (``World.term``,
        # with the signing work); otherwise one made here.
        term = getattr(world, "term", None)
        if term is not None:
            self.contract = term(side_name).contract
        else:
            start = datetime.date(2025, 1, 1)
            self.contract = Contract(
                person=side.person,
                post=side.post,
                township=side.township,
                policy=world.policy,
                state=ContractState.ACTIVE,
                term_years=3,
                start_date=start,
                end_date=contract_end_date(start, 3),
                monthly_pay=world.policy.monthly_pay,
                activated_on=start,
                filed_on=start,
            )
            self.contract.save()
        member = committee_member(side.township, username=f"endings-{side_name}")
        today = datetime.date(2026, 3, 2)
        self.resignation = resignation_request(
            contract=self.contract, by=member, reason="", on=today
        )
        scan = SimpleUploadedFile("记录.pdf", make_pdf(), content_type="application/pdf")
        self.case = case_open(
            contract=self.contract,
            grounds=[DismissalGround.objects.get(code="major_error")],
            period=2026,
            summary="事实",
            evidence=[Evidence(file=scan)],
            by=member,
            on=today,
        )
        self.evidence = self.case.evidence.get()
        # Two more cases, waiting for the decision and for the filing (each step's task).
        from contracts.constants import CaseDecision
        from contracts.services.dismissal import case_decide, case_hear

        def heard(code: str):
            case = case_open(
                contract=self.contract,
                grounds=[DismissalGround.objects.get(code=code)],
                period=2026,
                summary="事实",
                by=member,
                on=today,
            )
            case_hear(case=case, statement="陈述", declined=False, by=member, on=today)
            return case

        self.heard_case = heard("ledger_disorder")
        self.decided_case = heard("false_information")
        case_decide(
            case=self.decided_case,
            decision=CaseDecision.CLOSE,
            reasons="不予辞退",
            by=member,
            on=today,
        )

    def task(self, node):
        """The open task of ``node`` in this side's records."""
        from viewflow.workflow.models import Task

        return Task.objects.get(
            flow_task=node,
            status__in=["NEW", "ASSIGNED"],
            process__in=[p for p in self._processes()],
        )

    def _processes(self):
        from workflows.models import DismissalProcess, ResignationProcess

        return [
            *ResignationProcess.objects.filter(resignation=self.resignation),
            *DismissalProcess.objects.filter(
                case__in=[self.case, self.heard_case, self.decided_case]
            ),
        ]


def endings_records(world, side: str) -> EndingsRecords:
    """Built on first use, once per side of the world."""
    cache = world.__dict__.setdefault("_endings", {})
    if side not in cache:
        cache[side] = EndingsRecords(world, side)
    return cache[side]
