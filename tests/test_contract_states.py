"""The contract term as a state machine (hypothesis): two posts and three people of one
township, and the services of the term tried in any order, by the right person or the wrong
one, on advancing days with the daily sweep.

A move the services refuse (``ValidationError``, ``PermissionDenied``) must change nothing.
After every step: never two contracts in force on one post or for one person; a post's holder
is the person of its contract in force, or nobody; a post without a contract in force has
exactly one open vacancy; every state a contract reached is recorded in the audit trail under
its transition; every transition the paperwork table declares left its current document.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from accounts.constants import Role
from audit.models import AuditEntry
from contracts.constants import (
    IN_FORCE_STATES,
    OPEN_VACANCY_STATES,
    PENDING_STATES,
    CaseDecision,
    CaseState,
    ContractState,
    EndReason,
    InductionSource,
    RenewalState,
    ResignationState,
    VacancyCause,
)
from contracts.models import (
    Contract,
    DismissalCase,
    DismissalGround,
    RenewalReview,
    Resignation,
    Vacancy,
)
from contracts.services import contract_draft, vacancy_open
from contracts.services.dismissal import case_decide, case_hear, case_open
from contracts.services.endings import contract_terminate, resignation_accept, resignation_request
from contracts.services.renewal import renewal_decide
from contracts.services.signing import contract_file, contract_record_induction, contract_sign
from contracts.sweep import sweep
from organisation.models import Post
from paperwork.models import Document
from paperwork.selectors import document_current
from paperwork.table import all_entries
from tests.endings_support import seed_grounds
from tests.factories import (
    CountyFactory,
    PersonFactory,
    PolicyFactory,
    PostFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
    make_id_number,
)
from tests.workflow_support import quick_pdf
from workdays.calendar import add_years

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
FIRST_DAY = datetime.date(2027, 3, 1)

# The state each transition of a contract leads to.
TARGETS = {
    "draft": ContractState.DRAFTED,
    "sign": ContractState.SIGNED,
    "activate": ContractState.ACTIVE,
    "open_renewal": ContractState.EXPIRING,
    "renew": ContractState.RENEWED,
    "expire": ContractState.EXPIRED,
    "terminate": ContractState.TERMINATED,
    "dismiss": ContractState.DISMISSED,
}

PEOPLE = [("王晓燕", (1985, 4, 2)), ("李明", (1990, 8, 9)), ("张华", (1979, 1, 20))]

REFUSED = (ValidationError, PermissionDenied)


def moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI)


class ContractTerm(RuleBasedStateMachine):
    """One township's term, built afresh (inside a savepoint rolled back at teardown) for
    every example."""

    def __init__(self) -> None:
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.clock = time_machine.travel(moment(FIRST_DAY), tick=False)
        self.clock.start()
        county = CountyFactory()
        PolicyFactory(county=county)
        township = TownshipFactory(county=county, name="关索街道")
        self.committee = UserFactory(role=Role.TOWNSHIP_COMMITTEE, county=county, township=township)
        self.hr = UserFactory(role=Role.COUNTY_HR, county=county)
        other = TownshipFactory(county=county, name="花江镇")
        self.outsider = UserFactory(role=Role.TOWNSHIP_COMMITTEE, county=county, township=other)
        self.posts = [
            PostFactory(village=VillageFactory(township=township, name=name))
            for name in ("解放村", "红旗村")
        ]
        self.people = [
            PersonFactory(
                township=township, name=name, id_number=make_id_number(datetime.date(*birth))
            )
            for name, birth in PEOPLE
        ]
        for post in self.posts:
            vacancy_open(post=post, on=FIRST_DAY, by=self.committee, cause=VacancyCause.NEW_POST)
        if not DismissalGround.objects.exists():
            seed_grounds()
        self.grounds = list(DismissalGround.objects.order_by("position")[:3])

    def teardown(self) -> None:
        self.clock.stop()
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    # --- helpers ---------------------------------------------------------------------------

    @staticmethod
    def today() -> datetime.date:
        return timezone.localdate()

    def user(self, right: bool, role: str = "committee"):
        """The person whose move it is, or someone who may not make it."""
        if role == "hr":
            return self.hr if right else self.committee
        return self.committee if right else self.outsider

    @staticmethod
    def pick(queryset, index: int):
        found = list(queryset.order_by("pk"))
        return found[index % len(found)] if found else None

    def contract(self, index: int) -> Contract | None:
        return self.pick(Contract.objects.filter(township=self.committee.township), index)

    @staticmethod
    def exists(model, **lookups) -> bool:
        return model._default_manager.filter(**lookups).exists()

    @staticmethod
    def fresh(contract: Contract) -> Contract:
        return Contract.objects.get(pk=contract.pk)

    def state(self) -> tuple:
        """Everything a refused move must leave as it was."""
        return (
            list(Contract.objects.order_by("pk").values_list()),
            list(Vacancy.objects.order_by("pk").values_list()),
            list(Post.objects.order_by("pk").values_list("pk", "holder_id", "status")),
            list(Resignation.objects.order_by("pk").values_list("pk", "state")),
            list(RenewalReview.objects.order_by("pk").values_list("pk", "state")),
            list(DismissalCase.objects.order_by("pk").values_list("pk", "state")),
            AuditEntry.objects.count(),
            Document.objects.count(),
        )

    def attempt(self, move, **kwargs) -> None:
        """Run ``move``; if the services refuse it, nothing has changed (each service is its
        own transaction: nothing here rolls back for it)."""
        before = self.state()
        try:
            move(**kwargs)
        except REFUSED:
            assert self.state() == before, f"{move.__name__} was refused but changed records"

    # --- moves -----------------------------------------------------------------------------

    who = st.sampled_from([True, True, True, False])  # mostly the right person

    @initialize()
    def a_director_in_post(self):
        """The first post has its director, through the signing services, on a term that
        ends within a few months (so that its renewal comes within an example's reach)."""
        contract = contract_draft(
            application=None,
            person=self.people[0],
            post=self.posts[0],
            start_date=add_years(self.today(), -3) + datetime.timedelta(days=100),
            by=self.committee,
        )
        self.bring_into_force(index=0, by=True)
        assert Contract.objects.get(pk=contract.pk).state == ContractState.ACTIVE

    @rule(post=st.integers(0, 1), person=st.integers(0, 2), days=st.integers(0, 20), by=who)
    def draft(self, post, person, days, by):
        self.attempt(
            contract_draft,
            application=None,
            person=self.people[person],
            post=Post.objects.get(pk=self.posts[post].pk),
            start_date=self.today() + datetime.timedelta(days=days),
            by=self.user(by),
        )

    @precondition(lambda self: self.exists(Contract, state__in=PENDING_STATES))
    @rule(index=st.integers(0, 9), by=who)
    def sign(self, index, by, contract=None):
        contract = self.fresh(contract) if contract is not None else self.contract(index)
        if contract is not None:
            today = self.today()
            self.attempt(
                contract_sign,
                contract=contract,
                signatory="李强",
                township_on=today,
                director_on=today,
                by=self.user(by),
            )

    @rule(index=st.integers(0, 9), by=who)
    def record_induction(self, index, by, contract=None):
        contract = self.fresh(contract) if contract is not None else self.contract(index)
        if contract is not None:
            self.attempt(
                contract_record_induction,
                contract=contract,
                on=self.today(),
                by=self.user(by, "hr"),
            )

    @rule(index=st.integers(0, 9), by=who)
    def file(self, index, by, contract=None):
        contract = self.fresh(contract) if contract is not None else self.contract(index)
        if contract is not None:
            self.attempt(contract_file, contract=contract, by=self.user(by, "hr"))

    @precondition(lambda self: self.exists(Contract, state__in=PENDING_STATES))
    @rule(index=st.integers(0, 9), by=who)
    def bring_into_force(self, index, by):
        """Sign, record induction and file a contract waiting for it, one after the other."""
        contract = self.pick(
            Contract.objects.filter(township=self.committee.township, state__in=PENDING_STATES),
            index,
        )
        if contract is None:
            return
        self.sign(index=index, by=by, contract=contract)
        if contract.induction_source != InductionSource.NOT_REQUIRED:
            self.record_induction(index=index, by=by, contract=contract)
        self.file(index=index, by=by, contract=contract)

    @rule(index=st.integers(0, 9), by=who)
    def request_resignation(self, index, by):
        contract = self.contract(index)
        if contract is not None:
            self.attempt(
                resignation_request,
                contract=contract,
                by=self.user(by),
                reason="家庭原因",
                on=self.today(),
            )

    @precondition(lambda self: self.exists(Resignation))
    @rule(
        index=st.integers(0, 9),
        when=st.sampled_from(["today", "notice", "early"]),
        by=who,
    )
    def accept_resignation(self, index, when, by):
        resignation = self.pick(Resignation.objects.all(), index)
        if resignation is None:
            return
        today = self.today()
        end = {
            "today": today,
            "notice": resignation.notice_ends_on,
            "early": resignation.requested_on,
        }[when]
        self.attempt(
            resignation_accept,
            resignation=resignation,
            end_date=end,
            agreed_earlier=when == "early",
            by=self.user(by),
            on=today,
        )

    @rule(
        index=st.integers(0, 9),
        reason=st.sampled_from([EndReason.HEALTH, EndReason.CHANGE_OF_POST, EndReason.OVER_AGE]),
        by=who,
    )
    def terminate(self, index, reason, by):
        contract = self.contract(index)
        if contract is not None:
            self.attempt(
                contract_terminate,
                contract=contract,
                reason=reason,
                on=self.today(),
                note="乡镇决定解聘",
                by=self.user(by),
            )

    @rule(index=st.integers(0, 9), ground=st.integers(0, 2), by=who)
    def open_case(self, index, ground, by):
        contract = self.contract(index)
        if contract is not None:
            self.attempt(
                case_open,
                contract=contract,
                grounds=[self.grounds[ground]],
                period=self.today().year,
                summary="村民反映工作严重失职",
                by=self.user(by),
                on=self.today(),
            )

    @precondition(lambda self: self.exists(DismissalCase))
    @rule(index=st.integers(0, 9), declined=st.booleans(), by=who)
    def hear(self, index, declined, by):
        case = self.pick(DismissalCase.objects.all(), index)
        if case is not None:
            self.attempt(
                case_hear,
                case=case,
                statement="" if declined else "本人对事实有异议。",
                declined=declined,
                by=self.user(by),
                on=self.today(),
            )

    @precondition(lambda self: self.exists(DismissalCase))
    @rule(index=st.integers(0, 9), decision=st.sampled_from(CaseDecision.values), by=who)
    def decide_case(self, index, decision, by):
        case = self.pick(DismissalCase.objects.all(), index)
        if case is not None:
            self.attempt(
                case_decide,
                case=case,
                decision=decision,
                reasons="经调查核实",
                by=self.user(by),
                on=self.today(),
            )

    @precondition(lambda self: self.exists(RenewalReview))
    @rule(index=st.integers(0, 9), renew=st.booleans(), by=who)
    def decide_renewal(self, index, renew, by):
        review = self.pick(RenewalReview.objects.all(), index)
        if review is not None:
            self.attempt(
                renewal_decide,
                review=review,
                renew=renew,
                reasons="考核结果",
                by=self.user(by),
                on=self.today(),
                reselected=True,
            )

    @rule(days=st.sampled_from([1, 15, 45, 90, 400, 1000]))
    def advance(self, days):
        """The days pass and the daily sweep runs on the new day (it catches up with what
        fell due meanwhile)."""
        day = self.today() + datetime.timedelta(days=days)
        self.clock.stop()
        self.clock = time_machine.travel(moment(day), tick=False)
        self.clock.start()
        sweep(today=day)

    # --- invariants ------------------------------------------------------------------------

    @invariant()
    def one_contract_in_force_per_post_and_person(self):
        in_force = list(
            Contract.objects.filter(state__in=IN_FORCE_STATES).values_list("post_id", "person_id")
        )
        posts = [post for post, _person in in_force]
        people = [person for _post, person in in_force]
        assert len(posts) == len(set(posts)), in_force
        assert len(people) == len(set(people)), in_force

    @invariant()
    def the_holder_is_the_person_of_the_contract_in_force(self):
        for post in Post.objects.filter(pk__in=[p.pk for p in self.posts]):
            contract = Contract.objects.filter(post=post, state__in=IN_FORCE_STATES).first()
            assert post.holder_id == (contract.person_id if contract else None), (
                post,
                contract,
            )

    @invariant()
    def a_post_without_a_contract_in_force_has_one_open_vacancy(self):
        for post in self.posts:
            in_force = Contract.objects.filter(post=post, state__in=IN_FORCE_STATES).exists()
            open_vacancies = Vacancy.objects.filter(
                post=post, state__in=OPEN_VACANCY_STATES
            ).count()
            assert open_vacancies == (0 if in_force else 1), (post, in_force, open_vacancies)

    @invariant()
    def at_most_one_pending_contract_per_post(self):
        pending = list(
            Contract.objects.filter(state__in=PENDING_STATES).values_list("post_id", flat=True)
        )
        assert len(pending) == len(set(pending)), pending

    @invariant()
    def every_state_reached_is_audited_under_its_transition(self):
        content_type = ContentType.objects.get_for_model(Contract)
        for contract in Contract.objects.all():
            entries = AuditEntry.objects.filter(
                content_type=content_type, object_id=contract.pk
            ).order_by("pk")
            reached = [
                (entry.transition, entry.after["state"])
                for entry in entries
                if "state" in entry.after
            ]
            assert reached, contract
            for transition, state in reached:
                assert TARGETS.get(transition) == state, (contract, reached)
            assert reached[-1][1] == contract.state, (contract, reached)

    @invariant()
    def every_declared_transition_left_its_document(self):
        for entry in all_entries():
            if entry.model._meta.app_label != "contracts" or entry.transition == "draft":
                continue
            content_type = ContentType.objects.get_for_model(entry.model)
            done = AuditEntry.objects.filter(
                content_type=content_type, transition=entry.transition
            ).values_list("object_id", flat=True)
            for subject in entry.model._default_manager.filter(pk__in=done):
                if not entry.applies_to(subject):
                    continue
                about = subject.contract if isinstance(subject, Resignation) else subject
                # A contract ended by a resignation got its certificate when it was accepted.
                assert document_current(kind=entry.kind, subject=about) is not None, (
                    entry.transition,
                    subject,
                )

    @invariant()
    def the_records_of_the_endings_agree(self):
        for resignation in Resignation.objects.filter(state=ResignationState.ACCEPTED):
            assert resignation.end_date is not None
        for case in DismissalCase.objects.filter(state__in=[CaseState.DECIDED, CaseState.FILED]):
            if case.decision == CaseDecision.DISMISS:
                assert Contract.objects.get(pk=case.contract_id).state == ContractState.DISMISSED
        for review in RenewalReview.objects.filter(state=RenewalState.RENEW):
            assert review.new_contract_id is not None


def test_the_contract_term_keeps_its_rules_whatever_the_order(monkeypatch):
    quick_pdf(monkeypatch)
    run_state_machine_as_test(
        ContractTerm,
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def check(machine: ContractTerm) -> None:
    for name in dir(machine):
        method = getattr(machine, name)
        if getattr(method, "hypothesis_stateful_invariant", None) is not None:
            method()


def test_the_machine_reaches_a_renewal_an_expiry_and_a_dismissal(monkeypatch):
    """The moves the random runs may rarely reach, in order: the term's renewal review is
    decided, the renewal contract brought into force; a second director is dismissed after
    the hearing; the renewed term runs out without renewal."""
    quick_pdf(monkeypatch)
    machine = ContractTerm()
    try:
        machine.a_director_in_post()
        check(machine)
        machine.advance(days=15)
        check(machine)
        assert RenewalReview.objects.get().state == RenewalState.OPEN
        machine.decide_renewal(index=0, renew=True, by=True)
        check(machine)
        machine.bring_into_force(index=0, by=True)
        check(machine)
        renewed = Contract.objects.get(state=ContractState.ACTIVE)
        assert renewed.renews is not None
        assert renewed.renews.state == ContractState.RENEWED

        machine.draft(post=1, person=1, days=0, by=True)
        machine.bring_into_force(index=0, by=True)
        check(machine)
        second = Contract.objects.get(post=machine.posts[1], state=ContractState.ACTIVE)
        machine.open_case(
            index=list(Contract.objects.order_by("pk")).index(second), ground=0, by=True
        )
        machine.hear(index=0, declined=False, by=True)
        machine.decide_case(index=0, decision=CaseDecision.DISMISS, by=True)
        check(machine)
        assert Contract.objects.get(pk=second.pk).state == ContractState.DISMISSED

        machine.advance(days=1000)
        machine.advance(days=400)
        check(machine)
        assert Contract.objects.get(pk=renewed.pk).state == ContractState.EXPIRED
    finally:
        machine.teardown()
