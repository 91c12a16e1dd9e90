"""The exam arithmetic (recruitment.ranking): scores, averages, composites, competition
ranks, the tie-break, the interview shortlist and the proposals, with property tests."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from recruitment import ranking
from recruitment.ranking import Candidate, ScoreError

D = Decimal


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# Scores ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("80", D("80.00")),
        ("80.5", D("80.50")),
        ("80.05", D("80.05")),
        (" 95.00 ", D("95.00")),
        ("０", D("0.00")),
        ("１００", D("100.00")),
        ("-0", D("0.00")),
        (100, D("100.00")),
        (80.25, D("80.25")),
        (D("59.99"), D("59.99")),
    ],
)
def test_valid_scores_are_read_exactly(raw, expected):
    value = ranking.parse_score(raw)
    assert value == expected
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("101", "outside the range"),
        ("100.01", "outside the range"),
        ("-1", "outside the range"),
        ("80.123", "more than two decimals"),
        (80.123, "more than two decimals"),
        ("abc", "not a number"),
        ("八十", "not a number"),
        ("NaN", "not a number"),
        ("", "missing"),
        (True, "not a number"),
    ],
)
def test_bad_scores_are_refused_with_the_reason(raw, reason):
    with pytest.raises(ScoreError) as error:
        ranking.parse_score(raw)
    assert reason in error.value.message


def test_half_up_rounding_of_80_005_gives_80_01():
    # A binary float would say 80.00: round(80.005, 2) == 80.0
    assert round(80.005, 2) == 80.0
    assert ranking.round_half_up(D("80.005")) == D("80.01")
    assert ranking.round_half_up(80.005) == D("80.01")
    assert ranking.round_half_up(D("80.004999")) == D("80.00")


def test_composite_is_weighted_and_rounded_half_up():
    # 80.01 × 50% + 80.00 × 50% = 80.005 → 80.01
    assert ranking.composite_score(
        D("80.01"), D("80.00"), written_weight=50, interview_weight=50
    ) == D("80.01")
    # 85.55 × 40% + 70.33 × 60% = 34.22 + 42.198 = 76.418 → 76.42
    assert ranking.composite_score("85.55", "70.33", written_weight=40, interview_weight=60) == D(
        "76.42"
    )
    assert ranking.composite_score("100", "100", written_weight=50, interview_weight=50) == D(
        "100.00"
    )


def test_interview_average_plain_mean():
    assert ranking.interview_average([D("80"), D("85"), D("90")], drop_extremes=False) == D("85.00")
    # (80 + 81 + 81) / 3 = 80.666… → 80.67
    assert ranking.interview_average(["80", "81", "81"], drop_extremes=False) == D("80.67")


def test_interview_average_drops_one_highest_and_one_lowest():
    marks = [D("60"), D("80"), D("82"), D("84"), D("99")]
    assert ranking.interview_average(marks, drop_extremes=True) == D("82.00")
    assert ranking.interview_average(marks, drop_extremes=False) == D("81.00")
    # Equal extremes: only one of each is dropped
    assert ranking.interview_average(["90", "90", "80", "70", "70"], drop_extremes=True) == D(
        "80.00"
    )
    with pytest.raises(ValueError):
        ranking.interview_average(["80", "90"], drop_extremes=True)


def test_interview_average_rounds_half_up():
    # (80.01 + 80.00) / 2 = 80.005 → 80.01
    assert ranking.interview_average(["80.01", "80.00"], drop_extremes=False) == D("80.01")


# Ranks ----------------------------------------------------------------------------------------


def test_competition_ranks_1_2_2_4():
    ranked = ranking.competition_ranks([90, 85, 85, 80, 70], key=lambda x: x)
    assert [rank for _x, rank in ranked] == [1, 2, 2, 4, 5]
    ranked = ranking.competition_ranks([70, 85, 90, 85], key=lambda x: x)
    assert [(x, rank) for x, rank in ranked] == [(90, 1), (85, 2), (85, 2), (70, 4)]


def c(id, composite, written=None, interview=None, tie_break=None):
    written = D(written) if written is not None else D(composite)
    interview = D(interview) if interview is not None else D(composite)
    return Candidate(
        id=id, written=written, interview=interview, composite=D(composite), tie_break=tie_break
    )


def ranks(result):
    return {entry.candidate.id: entry.rank for entry in result}


def test_ranking_ties_share_the_rank_and_the_next_rank_skips():
    result = ranking.rank_candidates(
        [c(1, "90"), c(2, "85", "85", "85"), c(3, "85", "85", "85"), c(4, "80")]
    )
    assert ranks(result) == {1: 1, 2: 2, 3: 2, 4: 4}
    assert [e.tied for e in result] == [False, True, True, False]


def test_tie_break_written_then_interview():
    result = ranking.rank_candidates(
        [
            c(1, "80.00", written="78", interview="82"),
            c(2, "80.00", written="82", interview="78"),
            c(3, "80.00", written="78", interview="82"),
            c(4, "81.00"),
        ]
    )
    assert ranks(result) == {4: 1, 2: 2, 1: 3, 3: 3}


def test_recorded_decision_orders_a_tie_only_when_the_whole_group_is_decided():
    tied = [c(1, "80", tie_break=None), c(2, "80", tie_break=None), c(3, "70")]
    assert ranks(ranking.rank_candidates(tied)) == {1: 1, 2: 1, 3: 3}
    decided = [c(1, "80", tie_break=2), c(2, "80", tie_break=1), c(3, "70")]
    assert ranks(ranking.rank_candidates(decided)) == {2: 1, 1: 2, 3: 3}
    partial = [c(1, "80", tie_break=1), c(2, "80"), c(5, "80", tie_break=2)]
    assert set(ranks(ranking.rank_candidates(partial)).values()) == {1}


# Shortlist ------------------------------------------------------------------------------------


def w(id, written):
    return Candidate(id=id, written=D(written))


def ids(pairs):
    return [candidate.id for candidate, _rank in pairs]


def test_shortlist_takes_seats_times_ratio_by_written_rank():
    pool = [w(i, str(90 - i)) for i in range(1, 11)]  # 89, 88, … 80
    result = ranking.shortlist(pool, seats=1, ratio=3, pass_line="60")
    assert ids(result.shortlisted) == [1, 2, 3]
    assert [r for _c, r in result.shortlisted] == [1, 2, 3]
    assert ids(result.not_shortlisted) == [4, 5, 6, 7, 8, 9, 10]
    assert not result.widened

    two_seats = ranking.shortlist(pool, seats=2, ratio=3, pass_line="60")
    assert ids(two_seats.shortlisted) == [1, 2, 3, 4, 5, 6]


def test_shortlist_takes_all_qualifying_when_fewer_than_the_ratio():
    pool = [w(1, "75"), w(2, "65")]
    result = ranking.shortlist(pool, seats=1, ratio=3, pass_line="60")
    assert ids(result.shortlisted) == [1, 2]
    assert result.not_shortlisted == [] and result.below_pass_line == []


def test_shortlist_widens_on_a_tie_at_the_cut_off():
    pool = [w(1, "90"), w(2, "85"), w(3, "80"), w(4, "80"), w(5, "80"), w(6, "79")]
    result = ranking.shortlist(pool, seats=1, ratio=3, pass_line="60")
    assert ids(result.shortlisted) == [1, 2, 3, 4, 5]
    assert [r for _c, r in result.shortlisted] == [1, 2, 3, 3, 3]
    assert result.widened
    assert ids(result.not_shortlisted) == [6]
    assert result.not_shortlisted[0][1] == 6


def test_shortlist_tie_above_the_cut_off_does_not_widen():
    pool = [w(1, "90"), w(2, "90"), w(3, "80"), w(4, "70")]
    result = ranking.shortlist(pool, seats=1, ratio=3, pass_line="60")
    assert ids(result.shortlisted) == [1, 2, 3]
    assert not result.widened


def test_shortlist_leaves_out_candidates_below_the_written_pass_line():
    pool = [w(1, "90"), w(2, "60.00"), w(3, "59.99"), w(4, "30"), Candidate(id=5)]
    result = ranking.shortlist(pool, seats=1, ratio=3, pass_line="60")
    assert ids(result.shortlisted) == [1, 2]  # at the line qualifies
    assert ids(result.below_pass_line) == [3, 4]
    assert 5 not in ids(result.shortlisted + result.below_pass_line + result.not_shortlisted)


# Proposals ------------------------------------------------------------------------------------


def proposal_of(candidates, seats, line="60"):
    return ranking.proposals(ranking.rank_candidates(candidates), seats=seats, pass_line=line)


def pids(entries):
    return sorted(e.candidate.id for e in entries)


def test_proposal_takes_the_top_seats():
    result = proposal_of([c(1, "90"), c(2, "85"), c(3, "80")], seats=2)
    assert pids(result.proposed) == [1, 2]
    assert pids(result.passed) == [3]
    assert not result.needs_decision


def test_proposal_never_exceeds_the_seats_on_a_tie_at_the_cut_off():
    result = proposal_of([c(1, "90"), c(2, "85"), c(3, "85"), c(4, "70")], seats=2)
    assert pids(result.proposed) == [1]
    assert pids(result.tie_pending) == [2, 3]
    assert result.needs_decision
    assert pids(result.passed) == [4]

    one_seat = proposal_of([c(1, "90"), c(2, "90")], seats=1)
    assert one_seat.proposed == [] and pids(one_seat.tie_pending) == [1, 2]


def test_a_tie_that_fits_the_seats_is_proposed_whole():
    result = proposal_of([c(1, "90"), c(2, "90"), c(3, "80")], seats=2)
    assert pids(result.proposed) == [1, 2]
    assert not result.needs_decision


def test_a_recorded_decision_resolves_the_tie_at_the_cut_off():
    result = proposal_of([c(1, "90"), c(2, "85", tie_break=2), c(3, "85", tie_break=1)], seats=2)
    assert pids(result.proposed) == [1, 3]
    assert pids(result.passed) == [2]


def test_proposal_only_from_candidates_at_or_above_the_composite_pass_line():
    result = proposal_of([c(1, "90"), c(2, "60.00"), c(3, "59.99")], seats=3)
    assert pids(result.proposed) == [1, 2]
    assert pids(result.below_pass_line) == [3]
    assert result.open_seats == 1


# Properties -----------------------------------------------------------------------------------

scores = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
# Few distinct values, so that ties are frequent.
tie_prone = st.sampled_from([D("60.00"), D("70.50"), D("80.00"), D("80.01"), D("95.25")])


@st.composite
def candidate_pools(draw):
    n = draw(st.integers(min_value=0, max_value=25))
    pool = []
    for i in range(n):
        written = draw(st.one_of(scores, tie_prone))
        interview = draw(st.one_of(scores, tie_prone))
        composite = ranking.composite_score(
            written, interview, written_weight=50, interview_weight=50
        )
        pool.append(Candidate(id=i, written=written, interview=interview, composite=composite))
    return pool


@settings(max_examples=300, deadline=None)
@given(candidate_pools())
def test_property_ranks_are_consistent_with_composites(pool):
    result = ranking.rank_candidates(pool)
    for a in result:
        for b in result:
            ca, cb = a.candidate.composite, b.candidate.composite
            assert ca is not None and cb is not None
            if ca > cb:
                assert a.rank < b.rank
            key_a = (a.candidate.composite, a.candidate.written, a.candidate.interview)
            key_b = (b.candidate.composite, b.candidate.written, b.candidate.interview)
            if key_a == key_b:
                assert a.rank == b.rank  # ties share a rank


@settings(max_examples=300, deadline=None)
@given(candidate_pools())
def test_property_ranks_follow_competition_numbering(pool):
    result = ranking.rank_candidates(pool)
    assert len(result) == len(pool)
    for entry in result:
        better = sum(1 for other in result if other.rank < entry.rank)
        assert entry.rank == better + 1
        assert entry.tied == (sum(1 for other in result if other.rank == entry.rank) > 1)


@settings(max_examples=300, deadline=None)
@given(
    candidate_pools(),
    st.integers(min_value=1, max_value=5),
    st.one_of(scores, tie_prone),
)
def test_property_never_more_proposed_than_seats(pool, seats, line):
    result = ranking.proposals(ranking.rank_candidates(pool), seats=seats, pass_line=line)
    assert len(result.proposed) <= seats
    assert all(e.candidate.composite >= line for e in result.proposed)
    # Everyone is accounted for once
    everyone = result.proposed + result.tie_pending + result.passed + result.below_pass_line
    assert sorted(e.candidate.id for e in everyone) == sorted(c.id for c in pool)
    # Nobody left out ranks better than someone proposed
    if result.proposed:
        worst = max(e.rank for e in result.proposed)
        assert all(e.rank > worst for e in result.passed + result.tie_pending)
    # A pending tie means the seats could not be filled without exceeding them
    if result.tie_pending:
        assert len(result.proposed) + len(result.tie_pending) > seats
        assert len({e.rank for e in result.tie_pending}) == 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(scores, tie_prone), max_size=30),
    st.integers(min_value=1, max_value=3),
    st.integers(min_value=1, max_value=4),
    st.one_of(scores, tie_prone),
)
def test_property_shortlist(written, seats, ratio, line):
    pool = [Candidate(id=i, written=v) for i, v in enumerate(written)]
    result = ranking.shortlist(pool, seats=seats, ratio=ratio, pass_line=line)
    qualifying = [v for v in written if v >= line]
    quota = seats * ratio
    assert all(c.written >= line for c, _r in result.shortlisted)
    assert len(result.shortlisted) >= min(quota, len(qualifying))
    taken = [written[c.id] for c, _r in result.shortlisted]
    if taken and result.not_shortlisted:
        assert all(written[c.id] < min(taken) for c, _r in result.not_shortlisted)
    if len(taken) > quota:
        assert result.widened
        # Only a tie at the cut-off can widen the list
        assert sum(1 for v in taken if v > min(taken)) < quota
