"""Reading agreements: the due date, what is overdue, and a township's year.

The rule (policy ``agreement_due_month`` / ``agreement_due_day``): an agreement for year Y
must be signed by that date of Y. From the day after it, an unsigned agreement of the current
year is overdue, and so is a director in post who has no agreement for the year at all. The
due day itself is not overdue.
"""

import datetime
from dataclasses import dataclass

from agreements.constants import AgreementState
from agreements.models import TargetAgreement
from contracts.constants import IN_FORCE_STATES
from contracts.models import Contract
from organisation.models import County
from policy.models import Policy
from policy.selectors import policy_in_force_or_none


def due_date(policy: Policy, year: int) -> datetime.date:
    """The day by which the agreements of ``year`` are signed (the policy's validation keeps
    the day within its month)."""
    return datetime.date(year, policy.agreement_due_month, policy.agreement_due_day)


def is_past_due(policy: Policy | None, year: int, today: datetime.date) -> bool:
    return policy is not None and today > due_date(policy, year)


@dataclass(frozen=True)
class Overdue:
    """A director whose agreement for ``year`` is not signed after ``due_on``: the drafted
    ``agreement``, or None when none was drafted."""

    year: int
    due_on: datetime.date
    township: object
    village: object
    person: object
    contract: Contract
    agreement: TargetAgreement | None

    @property
    def key(self) -> str:
        """One per director and year, for notices and warnings."""
        return f"agreement-overdue:{self.person.pk}:{self.year}"  # type: ignore[attr-defined]


def overdue(*, today: datetime.date, township=None, county=None) -> list[Overdue]:
    """The unsigned agreements of ``today``'s year past the policy's date, and the directors
    in post with no agreement for the year, in ``township``, ``county`` or everywhere; in
    township, village and post order. Each county's rule is its policy in force today."""
    if township is not None:
        counties = [township.county]
    elif county is not None:
        counties = [county]
    else:
        counties = list(County.objects.all())
    year = today.year
    found: list[Overdue] = []
    for place in counties:
        policy = policy_in_force_or_none(county=place, on=today)
        if not is_past_due(policy, year, today):
            continue
        due = due_date(policy, year)  # type: ignore[arg-type]
        where = {"township": township} if township is not None else {"township__county": place}
        agreements = {
            a.person_id: a
            for a in TargetAgreement.objects.filter(year=year, **where).select_related(
                "township", "village", "person", "contract__post"
            )
        }
        for agreement in agreements.values():
            if agreement.state == AgreementState.DRAFTED:
                found.append(
                    Overdue(
                        year,
                        due,
                        agreement.township,
                        agreement.village,
                        agreement.person,
                        agreement.contract,
                        agreement,
                    )
                )
        missing = (
            Contract.objects.filter(state__in=IN_FORCE_STATES, **where)
            .exclude(person_id__in=list(agreements))
            .select_related("township", "post__village", "person")
        )
        for contract in missing:
            found.append(
                Overdue(
                    year,
                    due,
                    contract.township,
                    contract.post.village,
                    contract.person,
                    contract,
                    None,
                )
            )
    found.sort(
        key=lambda o: (
            o.township.name_pinyin,  # type: ignore[attr-defined]
            o.village.name_pinyin,  # type: ignore[attr-defined]
            o.contract.post.number,
            o.person.pk,  # type: ignore[attr-defined]
        )
    )
    return found


@dataclass(frozen=True)
class YearRow:
    """One director in post (or with an agreement) of a township's year, for the list."""

    contract: Contract | None
    person: object
    village: object
    agreement: TargetAgreement | None
    overdue: bool
    township: object = None

    @property
    def unsigned(self) -> bool:
        """No agreement yet, or one drafted and not signed."""
        return self.agreement is None or self.agreement.state == AgreementState.DRAFTED


def township_year(*, township, year: int, today: datetime.date) -> list[YearRow]:
    """Every agreement of ``township`` for ``year`` and every director in post without one,
    by village (pinyin) and post, with whether each is overdue."""
    return townships_year(townships=[township], year=year, today=today)


def townships_year(*, townships: list, year: int, today: datetime.date) -> list[YearRow]:
    """``township_year`` for several townships of one county at once (a fixed number of
    queries), by township, village (pinyin) and post."""
    if not townships:
        return []
    policy = policy_in_force_or_none(county=townships[0].county_id, on=today)
    late = (year == today.year and is_past_due(policy, year, today)) or (
        year < today.year and policy is not None
    )
    by_pk = {t.pk: t for t in townships}
    agreements = list(
        TargetAgreement.objects.filter(township__in=list(by_pk), year=year).select_related(
            "person", "village", "contract__post"
        )
    )
    have = {(a.township_id, a.person_id) for a in agreements}
    rows = [
        YearRow(
            a.contract,
            a.person,
            a.village,
            a,
            late and a.state == AgreementState.DRAFTED,
            by_pk[a.township_id],
        )
        for a in agreements
    ]
    if year >= today.year:
        contracts = Contract.objects.filter(
            township__in=list(by_pk),
            state__in=IN_FORCE_STATES,
            start_date__lte=datetime.date(year, 12, 31),
        ).select_related("person", "post__village")
        rows += [
            YearRow(c, c.person, c.post.village, None, late, by_pk[c.township_id])
            for c in contracts
            if (c.township_id, c.person_id) not in have
        ]
    rows.sort(
        key=lambda r: (
            r.township.name_pinyin,  # type: ignore[attr-defined]
            r.village.name_pinyin,  # type: ignore[attr-defined]
            r.contract.post.number if r.contract else 0,
            r.person.name_pinyin,  # type: ignore[attr-defined]
        )
    )
    return rows


@dataclass(frozen=True)
class OwnAgreement:
    """One of a director's agreements as their own pages list it: the day it is due to be
    signed by (the policy in force today) and whether that day has passed unsigned."""

    agreement: TargetAgreement
    due: datetime.date | None
    late: bool

    @property
    def to_sign(self) -> bool:
        return self.agreement.state == AgreementState.DRAFTED


def agreements_of(person, *, today: datetime.date, limit: int = 5) -> list[OwnAgreement]:
    """A director's last ``limit`` agreements, newest year first. Two queries however many
    years they served (the policy in force today is read once per county)."""
    agreements = list(
        TargetAgreement.objects.filter(person=person)
        .select_related("village", "township__county")
        .order_by("-year", "-pk")[:limit]
    )
    policies: dict[int, Policy | None] = {}
    rows = []
    for agreement in agreements:
        county = agreement.township.county
        if county.pk not in policies:
            policies[county.pk] = policy_in_force_or_none(county=county, on=today)
        policy = policies[county.pk]
        due = due_date(policy, agreement.year) if policy else None
        late = agreement.state == AgreementState.DRAFTED and due is not None and today > due
        rows.append(OwnAgreement(agreement, due, late))
    return rows
