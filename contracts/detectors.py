"""The grounds for dismissal that records can show, found for people to decide.

Seed 001 names three grounds that data shows: two consecutive years lagging in the appraisal
(工作责任心不强，人口计生工作连续2年落后), two consecutive years without refresher training
(连续两年未参加知识更新培训) and births against the rule in the director's village (连续两年
出现违法生育或一年内出现两例违法生育). The thresholds are policy numbers
(``dismissal_lagging_years``, ``dismissal_missed_refresher_years``,
``dismissal_illegal_birth_years``, ``dismissal_illegal_births_in_year``).

Appraisal and training records come with the next issue: their app registers a
``YearFactsProvider`` for its ground (``register_provider``) that answers, for a set of
people, the years in which the fact held (lagging, or no refresher training). Until then the
default provider knows no such year and nothing is detected on those grounds. Births are
counted from ``BirthRecord``, which the township records per village and year.

``detect(today=...)`` lists what the records show for the contracts in force; the sweep step
``dismissal_detectors`` opens one case per director with the grounds found, never twice for a
ground and period (nor for a period that overlaps the years of a case already opened on the
ground), and notifies the township's committee. Nothing is decided, let alone a dismissal:
the committee hears the director and decides.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import models, transaction

from contracts.constants import IN_FORCE_STATES, GroundDetector
from contracts.models import BirthRecord, CaseGround, Contract, DismissalGround
from contracts.sweep import sweep_step

logger = logging.getLogger(__name__)


class YearFactsProvider(Protocol):
    """Answers, for each person id asked, the years in which the fact held."""

    def years(self, *, person_ids: Iterable[int], until: int) -> dict[int, set[int]]: ...


class NoRecords:
    """The default: no records yet, so no year to report."""

    def years(self, *, person_ids: Iterable[int], until: int) -> dict[int, set[int]]:
        return {}


_providers: dict[str, YearFactsProvider] = {
    GroundDetector.LAGGING: NoRecords(),
    GroundDetector.MISSED_REFRESHER: NoRecords(),
}


def register_provider(detector: str, provider: YearFactsProvider) -> None:
    """The app that keeps the records of ``detector`` (lagging, missed refresher) calls this
    from its ``ready()``."""
    if detector not in _providers:
        raise ValueError(f"No provider can be registered for {detector!r}.")
    _providers[detector] = provider


def provider(detector: str) -> YearFactsProvider:
    return _providers[detector]


@contextmanager
def providers(**replacements: YearFactsProvider):
    """Replace providers for a block (tests): ``with providers(lagging=...)``."""
    saved = dict(_providers)
    try:
        for detector, replacement in replacements.items():
            register_provider(detector, replacement)
        yield
    finally:
        _providers.clear()
        _providers.update(saved)


@dataclass(frozen=True)
class Finding:
    """A ground that the records show for a director: the period is the last year it
    covers, ``years`` all of them."""

    contract_id: int
    detector: str
    period: int
    years: tuple[int, ...]
    detail: str


def consecutive_runs(years: set[int], length: int) -> list[tuple[int, ...]]:
    """Runs of ``length`` consecutive years in ``years``, as they end one after another:
    2023–2024 and 2025–2026 in 2023..2026, not the overlapping 2024–2025."""
    runs: list[tuple[int, ...]] = []
    used: set[int] = set()
    for year in sorted(years):
        run = tuple(range(year - length + 1, year + 1))
        if all(y in years and y not in used for y in run):
            runs.append(run)
            used.update(run)
    return runs


def _detail_years(years: tuple[int, ...]) -> str:
    return "、".join(f"{y}年" for y in years)


def _year_facts(
    contracts: list[Contract],
    detector: str,
    facts: dict[int, set[int]],
    length_of,
    since: dict[int, int],
    until: int,
    text: str,
) -> list[Finding]:
    findings = []
    for contract in contracts:
        years = {
            y for y in facts.get(contract.person_id, set()) if since[contract.pk] <= y <= until
        }
        for run in consecutive_runs(years, length_of(contract.policy)):
            findings.append(
                Finding(contract.pk, detector, run[-1], run, f"{_detail_years(run)}{text}")
            )
    return findings


def _births_by_village(until: int) -> dict[int, dict[int, int]]:
    """Births against the rule recorded up to ``until``, by village and year, for the
    villages with a director in force."""
    by_village: dict[int, dict[int, int]] = defaultdict(dict)
    # A subquery, not a list of ids: the sweep looks at every contract in force at once.
    in_force = Contract.objects.filter(state__in=IN_FORCE_STATES)
    for village_id, year, count in BirthRecord.objects.filter(
        village__in=in_force.values("post__village"), violations__gt=0, year__lte=until
    ).values_list("village_id", "year", "violations"):
        by_village[village_id][year] = count
    return by_village


def _births(
    contracts: list[Contract], by_village: dict[int, dict[int, int]], since: dict[int, int]
) -> list[Finding]:
    findings = []
    for contract in contracts:
        policy = contract.policy
        counts = {
            y: n
            for y, n in by_village.get(contract.post.village_id, {}).items()
            if y >= since[contract.pk]
        }
        covered: set[int] = set()
        for year in sorted(counts):
            if counts[year] >= policy.dismissal_illegal_births_in_year:
                findings.append(
                    Finding(
                        contract.pk,
                        GroundDetector.ILLEGAL_BIRTHS,
                        year,
                        (year,),
                        f"{year}年本村违法生育{counts[year]}例",
                    )
                )
                covered.add(year)
        for run in consecutive_runs(set(counts) - covered, policy.dismissal_illegal_birth_years):
            findings.append(
                Finding(
                    contract.pk,
                    GroundDetector.ILLEGAL_BIRTHS,
                    run[-1],
                    run,
                    f"{_detail_years(run)}连续出现违法生育（"
                    + "、".join(f"{y}年{counts[y]}例" for y in run)
                    + "）",
                )
            )
    return findings


def _service_start_years(contracts: list[Contract]) -> dict[int, int]:
    """The first year each director served on the contract's post (over renewals): only
    years in post count against them."""
    first: dict[tuple[int, int], int] = {}
    for person_id, post_id, start in Contract.objects.filter(
        person__in={c.person_id for c in contracts}
    ).values_list("person_id", "post_id", "start_date"):
        key = (person_id, post_id)
        first[key] = min(first.get(key, start.year), start.year)
    return {c.pk: first.get((c.person_id, c.post_id), c.start_date.year) for c in contracts}


def detect(*, today: datetime.date) -> list[Finding]:
    """What the records show for every contract in force on ``today``: years up to the one
    before ``today`` for appraisals and training (a year's record is complete after it
    ends), and every recorded year for births.

    The records are read first, for every director in force at once; only the contracts they
    name are then loaded (a county's sweep reads thousands of contracts in force, of which
    the records name a few)."""
    in_force = Contract.objects.filter(state__in=IN_FORCE_STATES, start_date__lte=today)
    person_ids = set(in_force.values_list("person_id", flat=True))
    if not person_ids:
        return []
    until = today.year - 1
    lagging = provider(GroundDetector.LAGGING).years(person_ids=person_ids, until=until)
    missed = provider(GroundDetector.MISSED_REFRESHER).years(person_ids=person_ids, until=until)
    by_village = _births_by_village(today.year)
    named = {pk for facts in (lagging, missed) for pk, years in facts.items() if years}
    if not named and not by_village:
        return []
    contracts = list(
        in_force.filter(
            models.Q(person_id__in=named) | models.Q(post__village_id__in=list(by_village))
        ).select_related("policy", "post")
    )
    since = _service_start_years(contracts)
    findings = _year_facts(
        contracts,
        GroundDetector.LAGGING,
        lagging,
        lambda policy: policy.dismissal_lagging_years,
        since,
        until,
        "年度考核连续落后",
    )
    findings += _year_facts(
        contracts,
        GroundDetector.MISSED_REFRESHER,
        missed,
        lambda policy: policy.dismissal_missed_refresher_years,
        since,
        until,
        "未参加知识更新培训",
    )
    findings += _births(contracts, by_village, since)
    return findings


def _already_opened(findings: list[Finding], grounds: dict[str, DismissalGround]) -> set:
    """(contract, detector, period) of findings whose ground was opened for the person for
    any year the finding covers."""
    contracts = dict(
        Contract.objects.filter(pk__in={f.contract_id for f in findings}).values_list(
            "pk", "person_id"
        )
    )
    opened = set(
        CaseGround.objects.filter(
            person__in=set(contracts.values()), ground__in=list(grounds.values())
        ).values_list("person_id", "ground_id", "period")
    )
    return {
        (f.contract_id, f.detector, f.period)
        for f in findings
        if any((contracts[f.contract_id], grounds[f.detector].pk, y) in opened for y in f.years)
    }


SUMMARY = "系统根据记录自动发现以下辞退情形，请乡镇选聘工作领导小组听取本人陈述申辩后研究决定：{}。"


@sweep_step("dismissal_detectors", 50)
def dismissal_detectors(*, today: datetime.date) -> int:
    """Open a case for each director the records show a ground for, unless already opened;
    returns the number of cases opened."""
    from contracts.services.dismissal import GroundClaim, case_open_detected

    findings = detect(today=today)
    if not findings:
        return 0
    grounds = {
        g.detector: g
        for g in DismissalGround.objects.exclude(detector="")
        if g.detector in {f.detector for f in findings}
    }
    findings = [f for f in findings if f.detector in grounds]
    done = _already_opened(findings, grounds)
    fresh: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        if (finding.contract_id, finding.detector, finding.period) not in done:
            fresh[finding.contract_id].append(finding)
    opened = 0
    for contract_id, found in sorted(fresh.items()):
        claims = [
            GroundClaim(ground=grounds[f.detector], period=f.period, detail=f.detail) for f in found
        ]
        try:
            with transaction.atomic():
                case_open_detected(
                    contract=Contract.objects.get(pk=contract_id),
                    claims=claims,
                    summary=SUMMARY.format("；".join(f.detail for f in found)),
                    on=today,
                )
        except ValidationError:
            # Ended, or opened by hand, meanwhile: the next run looks again.
            logger.info("No case opened for contract %s: refused meanwhile", contract_id)
            continue
        opened += 1
    return opened
