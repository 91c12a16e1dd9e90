"""The arithmetic of the exam: scores, the interview average, the composite, ranks, the
interview shortlist and who is proposed. Pure functions, no database.

Every number is a ``Decimal`` built from text (never from a binary float), so that
80.005 rounds half-up to 80.01 as the policy says, where ``round(80.005, 2)`` gives 80.0.

Ranks are competition ranks ("1, 2, 2, 4"): candidates with the same key share a rank and
the next rank skips as many places as shared it.

The ranking of a village (one ``CampaignPost``) orders the interviewed candidates by
1. composite score, higher first;
2. written score, higher first;
3. interview score, higher first;
4. a recorded decision (``tie_break_position``, 1 first) when the committee recorded one for
   the whole group still equal after 1–3.
Candidates still equal after all of that share the rank.
"""

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TypeVar

from django.utils.translation import gettext as _

from core.normalise import normalise_text, plain_number

SCORE_MIN = Decimal("0")
SCORE_MAX = Decimal("100")  # the score fields of Application and InterviewMark allow 0–100
TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal("100")

T = TypeVar("T")


class ScoreError(ValueError):
    """A score that is not a number from 0 to 100 with at most two decimals."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def to_decimal(value) -> Decimal:
    """``value`` as a Decimal, exactly as written: ints and text as they are, floats by their
    shortest repr (80.005 → Decimal("80.005"), not the binary 80.00499999…)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("A score cannot be a boolean.")
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def round_half_up(value: Decimal) -> Decimal:
    """Two decimals, half-up: 80.005 → 80.01, 79.994 → 79.99."""
    return to_decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def parse_score(value) -> Decimal:
    """A score as typed or read from a spreadsheet: a number from 0 to 100 with at most two
    decimals, written with the digits 0–9 and a decimal point (full-width digits count, after
    ``core.normalise``). ``1_0``, ``1e2``, ``30 00`` and Arabic-Indic ``٨٠`` are refused,
    although Python's ``Decimal`` reads them. Numbers from a spreadsheet's number cells are
    taken as they are. Raises ScoreError with the reason."""
    if isinstance(value, bool):
        raise ScoreError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, Decimal | int | float):
        shown = repr(value) if isinstance(value, float) else str(value)
        try:
            number = to_decimal(value)
        except (InvalidOperation, ValueError):
            raise ScoreError(_("“%(value)s” is not a number.") % {"value": shown}) from None
    else:
        shown = normalise_text(value)
        if not shown:
            raise ScoreError(_("The score is missing."))
        found = plain_number(shown)
        if found is None:
            raise ScoreError(
                _(
                    "“%(value)s” is not a number: write the score with the digits 0–9 and a "
                    "decimal point, such as 85.5."
                )
                % {"value": shown}
            )
        number = found
    if not number.is_finite():
        raise ScoreError(_("“%(value)s” is not a number.") % {"value": shown})
    if number < SCORE_MIN or number > SCORE_MAX:
        raise ScoreError(
            _("%(value)s is outside the range of scores (%(min)s to %(max)s).")
            % {"value": shown, "min": SCORE_MIN, "max": SCORE_MAX}
        )
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ScoreError(
            _("%(value)s has more than two decimals; scores are recorded to 0.01.")
            % {"value": shown}
        )
    return abs(number).quantize(TWO_PLACES)  # abs: "-0" is 0.00, not -0.00


def interview_average(marks: Sequence, *, drop_extremes: bool) -> Decimal:
    """The interview score from the panel's marks: their mean, half-up to two decimals.

    With ``drop_extremes`` one highest and one lowest mark are left out first (a panel of
    five counts three marks); that needs at least three marks.
    """
    values = sorted(to_decimal(m) for m in marks)
    if not values:
        raise ValueError("An interview average needs at least one mark.")
    if drop_extremes:
        if len(values) < 3:
            raise ValueError("Dropping the highest and lowest marks needs at least three marks.")
        values = values[1:-1]
    return round_half_up(sum(values, Decimal(0)) / len(values))


def composite_score(written, interview, *, written_weight: int, interview_weight: int) -> Decimal:
    """written × w1/100 + interview × w2/100, half-up to two decimals, computed exactly."""
    total = (
        to_decimal(written) * to_decimal(written_weight)
        + to_decimal(interview) * to_decimal(interview_weight)
    ) / HUNDRED
    return round_half_up(total)


def competition_ranks(items: Iterable[T], key: Callable[[T], Hashable]) -> list[tuple[T, int]]:
    """``items`` ordered by ``key`` (higher first) with competition ranks: equal keys share
    a rank and the following rank skips (1, 2, 2, 4). Stable for equal keys."""
    ordered = sorted(items, key=key, reverse=True)  # type: ignore[arg-type]
    result: list[tuple[T, int]] = []
    previous: Hashable = object()
    rank = 0
    for position, item in enumerate(ordered, start=1):
        current = key(item)
        if position == 1 or current != previous:
            rank = position
        result.append((item, rank))
        previous = current
    return result


# Candidates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One applicant of one village as the arithmetic sees them."""

    id: int
    written: Decimal | None = None
    interview: Decimal | None = None
    composite: Decimal | None = None
    tie_break: int | None = None  # position recorded by the committee on a tie (1 = first)


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    rank: int
    tied: bool  # shares its rank with another candidate


def _score_key(c: Candidate) -> tuple[Decimal, Decimal, Decimal]:
    return (
        c.composite if c.composite is not None else Decimal("-1"),
        c.written if c.written is not None else Decimal("-1"),
        c.interview if c.interview is not None else Decimal("-1"),
    )


def rank_candidates(candidates: Iterable[Candidate]) -> list[Ranked]:
    """The ranking of one village's interviewed candidates (see the module docstring).

    A recorded decision orders a group equal on composite, written and interview only when
    every member of the group has a distinct recorded position; otherwise the group shares
    its rank and needs a decision.
    """
    pool = list(candidates)
    groups: dict[tuple, list[Candidate]] = {}
    for c in pool:
        groups.setdefault(_score_key(c), []).append(c)
    decided: set[tuple] = set()
    for score, members in groups.items():
        positions = [m.tie_break for m in members]
        if (
            len(members) > 1
            and all(p is not None for p in positions)
            and len(set(positions)) == len(positions)
        ):
            decided.add(score)

    def key(c: Candidate) -> tuple:
        score = _score_key(c)
        decision = -(c.tie_break or 0) if score in decided else 0
        return (*score, decision)

    ranked = competition_ranks(pool, key)
    counts: dict[int, int] = {}
    for _c, rank in ranked:
        counts[rank] = counts.get(rank, 0) + 1
    return [Ranked(c, rank, counts[rank] > 1) for c, rank in ranked]


def written_ranks(candidates: Iterable[Candidate]) -> list[tuple[Candidate, int]]:
    """Competition ranks by written score alone (for the shortlist), absentees left out."""
    return competition_ranks(
        (c for c in candidates if c.written is not None), key=lambda c: c.written
    )


@dataclass
class Shortlist:
    """The interview shortlist of one village."""

    quota: int  # seats × ratio
    shortlisted: list[tuple[Candidate, int]] = field(default_factory=list)  # with written rank
    not_shortlisted: list[tuple[Candidate, int]] = field(default_factory=list)
    below_pass_line: list[tuple[Candidate, int]] = field(default_factory=list)
    widened: bool = False  # a tie at the cut-off took more than ``quota``


def shortlist(candidates: Iterable[Candidate], *, seats: int, ratio: int, pass_line) -> Shortlist:
    """Who of one village is called to the interview.

    Only candidates at or above the written pass line qualify. By written rank, ``seats ×
    ratio`` are taken; all qualifying candidates when there are fewer; and when candidates
    are tied with the last one taken, all of them (so the list can be longer than the
    quota, never shorter while enough qualify).
    """
    line = to_decimal(pass_line)
    result = Shortlist(quota=seats * ratio)
    for candidate, rank in written_ranks(candidates):
        assert candidate.written is not None
        if candidate.written < line:
            result.below_pass_line.append((candidate, rank))
        elif rank <= result.quota:
            # Ranks are competition ranks over the qualifying candidates too (everyone above
            # is qualifying): rank ≤ quota is "in the first quota, or tied with the last".
            result.shortlisted.append((candidate, rank))
        else:
            result.not_shortlisted.append((candidate, rank))
    result.widened = len(result.shortlisted) > result.quota
    return result


@dataclass
class Proposal:
    """Who of one village's ranking is proposed, and who is not, and why."""

    seats: int
    proposed: list[Ranked] = field(default_factory=list)
    tie_pending: list[Ranked] = field(default_factory=list)  # tied at the cut-off
    passed: list[Ranked] = field(default_factory=list)  # above the pass line, not proposed
    below_pass_line: list[Ranked] = field(default_factory=list)

    @property
    def needs_decision(self) -> bool:
        """A tie at the cut-off: the committee must record a decision before proposing."""
        return bool(self.tie_pending)

    @property
    def open_seats(self) -> int:
        return self.seats - len(self.proposed)


def proposals(ranking: Sequence[Ranked], *, seats: int, pass_line) -> Proposal:
    """The top ``seats`` by rank among those at or above the composite pass line, never more
    than ``seats``: when a group sharing a rank would overflow the seats, none of that group
    is proposed and the result flags that a recorded decision is needed."""
    line = to_decimal(pass_line)
    result = Proposal(seats=seats)
    qualifying: list[Ranked] = []
    for entry in ranking:
        composite = entry.candidate.composite
        if composite is not None and composite >= line:
            qualifying.append(entry)
        else:
            result.below_pass_line.append(entry)
    by_rank: dict[int, list[Ranked]] = {}
    for entry in qualifying:
        by_rank.setdefault(entry.rank, []).append(entry)
    closed = False
    for rank in sorted(by_rank):
        group = by_rank[rank]
        if closed:
            result.passed.extend(group)
        elif len(result.proposed) + len(group) <= seats:
            result.proposed.extend(group)
            closed = len(result.proposed) == seats
        else:
            if len(result.proposed) < seats:
                result.tie_pending.extend(group)
            else:
                result.passed.extend(group)
            closed = True
    return result
