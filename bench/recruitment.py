"""Recruitment figures: importing the written scores of, and ranking, a campaign of 5,000
applicants.

Each figure is the median of ``SAMPLES`` (3) runs, each on a campaign of its own.

Set-up, not timed: a fresh test database of DJANGO_SETTINGS_MODULE (in-memory SQLite by
default; ``test_<name>`` on PostgreSQL when DATABASE_URL points there), migrated, with one
township of 50 villages, a campaign in the state "reviewed" offering 1–3 posts per village,
and 5,000 eligible applications (100 a village) with admission numbers, written with
``bulk_create``. Scores are drawn from a seeded random generator (2% absent), so every run
ranks the same campaign. The campaign's rules are the policy defaults: 50/50 weights, pass
lines 60, shortlist 1:3, a panel of five dropping the highest and lowest marks.

- recruitment.import_5000_s: wall time of ``written_scores_import`` of a 5,000-row .xlsx file
  (built in memory beforehand): reading it with openpyxl in read-only mode, checking every
  row, 5,000 transitions written with one ``bulk_update``, 5,000 audit rows with one
  ``bulk_create`` and the import's own audit row, committed.
- recruitment.rank_5000_s: wall time of ``shortlist_draw`` plus ``ranking_compute`` on those
  5,000 scored applications, each committed: the pure functions of ``recruitment.ranking``
  (written ranks and shortlist per village, interview averages, composites, ranks,
  proposals) and the bulk writes (every scored applicant shortlisted or rejected, the
  shortlisted ones ranked or rejected) with one audit row per state change. The interview
  marks of the shortlisted candidates are inserted between the two calls, not timed.
- recruitment.rank_pure_5000_ms: the pure part alone, for comparison: the shortlist of every
  village from 5,000 written scores, then averages, composites, ranks and proposals of the
  shortlisted, from values already in memory.

Targets (the recruitment issue): ranking under 0.5 s and import under 5 s on two cores.
DEBUG is off while measuring (see ``run``).
"""

import datetime
import io
import random
import statistics
import time
from collections.abc import Iterator
from decimal import Decimal

PANEL = 5
SEED = 20260411
SAMPLES = 3


def _world(applications: int, villages: int):
    """The township, campaign and committee member, with ``applications`` eligible
    applications spread evenly over ``villages`` villages."""
    from accounts.constants import Role
    from accounts.models import User
    from core.education import Education
    from organisation.models import County, Township, Village
    from policy.models import Policy
    from recruitment.constants import ApplicationState, CampaignState
    from recruitment.models import Application, Campaign, CampaignPost

    county, _created = County.objects.get_or_create(
        name="关岭布依族苗族自治县", defaults={"short_name": "关岭自治县"}
    )
    version = Policy.objects.filter(county=county).count() + 1
    policy = Policy.objects.create(
        county=county, version=version, effective_from=datetime.date(2014, 7, 9), title="bench"
    )
    township = Township.objects.create(county=county, name=f"基准镇{time.monotonic_ns()}")
    user = User.objects.create(
        username=f"bench{time.monotonic_ns()}",
        role=Role.TOWNSHIP_COMMITTEE,
        county=county,
        township=township,
    )
    campaign = Campaign.objects.create(
        township=township,
        title="基准选聘",
        policy=policy,
        registration_start=datetime.date(2026, 3, 1),
        registration_end=datetime.date(2026, 3, 15),
        written_exam_at=datetime.datetime(2026, 4, 11, 1, 0, tzinfo=datetime.UTC),
        venue="考点",
        contact="电话",
        max_age=policy.first_hire_max_age,
        min_education=Education.HIGH_SCHOOL,
        written_weight=policy.written_weight,
        interview_weight=policy.interview_weight,
        written_pass_line=policy.written_pass_line,
        composite_pass_line=policy.composite_pass_line,
        shortlist_ratio=policy.interview_shortlist_ratio,
        interview_drop_extremes=True,
        interview_panel_size=PANEL,
        notice_working_days=7,
        reserve_months=12,
        created_by=user,
    )
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.REVIEWED)
    campaign.refresh_from_db()
    offers = []
    for i in range(villages):
        village = Village.objects.create(
            township=township,
            name=f"基准{i:02d}村",
            registered_population=3000,
            population_effective_date=datetime.date(2026, 1, 1),
        )
        offers.append(
            CampaignPost.objects.create(campaign=campaign, village=village, seats=1 + i % 3)
        )
    prefix = f"2026{township.pk % 1000:03d}"
    rows = []
    for n in range(applications):
        rows.append(
            Application(
                campaign=campaign,
                offer=offers[n % villages],
                state=ApplicationState.ELIGIBLE,
                name=f"考生{n:04d}",
                id_number=f"X{n:017d}",
                birth_date=datetime.date(1995, 1, 1),
                sex="F",
                phone="13800000000",
                education=Education.HIGH_SCHOOL,
                school="中学",
                graduation_year=2013,
                household_registration="关岭",
                age_at_deadline=31,
                admission_number=f"{prefix}{n + 1:04d}",
                exam_room=f"{n // 30 + 1:02d}",
                seat_number=n % 30 + 1,
            )
        )
    Application.objects.bulk_create(rows, batch_size=1000)
    return campaign, user


def _score_file(campaign, rng: random.Random) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["准考证号", "姓名", "笔试成绩"])
    for number, name in campaign.applications.order_by("admission_number").values_list(
        "admission_number", "name"
    ):
        if rng.random() < 0.02:
            sheet.append([number, name, "缺考"])
        else:
            # Whole and half points make ties at the cut-offs common, as on real sheets
            sheet.append([number, name, rng.randrange(80, 200) / 2])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _marks(campaign, by, rng: random.Random) -> None:
    from recruitment.constants import ApplicationState
    from recruitment.models import InterviewMark

    InterviewMark.objects.bulk_create(
        [
            InterviewMark(
                application_id=pk,
                panel_seat=seat,
                examiner=f"评委{seat}",
                score=Decimal(rng.randrange(120, 200)) / 2,
                recorded_by=by,
            )
            for pk in campaign.applications.filter(state=ApplicationState.SHORTLISTED).values_list(
                "pk", flat=True
            )
            for seat in range(1, PANEL + 1)
        ],
        batch_size=1000,
    )


def _pure(campaign, rng: random.Random) -> float:
    """Milliseconds of the pure arithmetic on values in memory."""
    from recruitment import ranking

    offers = list(campaign.offers.values_list("pk", "seats"))
    pool: dict[int, list[ranking.Candidate]] = {pk: [] for pk, _seats in offers}
    for n in range(campaign.applications.count()):
        pk = offers[n % len(offers)][0]
        pool[pk].append(ranking.Candidate(id=n, written=Decimal(rng.randrange(80, 200)) / 2))
    panel = [[Decimal(rng.randrange(120, 200)) / 2 for _ in range(PANEL)] for _ in range(5000)]
    start = time.perf_counter()
    for pk, seats in offers:
        short = ranking.shortlist(
            pool[pk],
            seats=seats,
            ratio=campaign.shortlist_ratio,
            pass_line=campaign.written_pass_line,
        )
        ranked = []
        for candidate, _rank in short.shortlisted:
            interview = ranking.interview_average(panel[candidate.id], drop_extremes=True)
            composite = ranking.composite_score(
                candidate.written,
                interview,
                written_weight=campaign.written_weight,
                interview_weight=campaign.interview_weight,
            )
            ranked.append(
                ranking.Candidate(
                    id=candidate.id,
                    written=candidate.written,
                    interview=interview,
                    composite=composite,
                )
            )
        ranking.proposals(
            ranking.rank_candidates(ranked), seats=seats, pass_line=campaign.composite_pass_line
        )
    return (time.perf_counter() - start) * 1000


def _sample(applications: int, villages: int) -> tuple[float, float, object]:
    """One campaign: (import seconds, ranking seconds, campaign)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from recruitment.constants import ApplicationState
    from recruitment.services import interview, written_exam

    rng = random.Random(SEED)
    campaign, user = _world(applications, villages)
    content = _score_file(campaign, rng)

    start = time.perf_counter()
    report = written_exam.written_scores_import(
        campaign=campaign, file=SimpleUploadedFile("scores.xlsx", content), by=user
    )
    imported = time.perf_counter() - start
    if not report.ok or report.scored + report.absent != applications:
        raise AssertionError(f"The benchmark import failed: {report.errors[:3]}")

    start = time.perf_counter()
    written_exam.shortlist_draw(campaign=campaign, by=user)
    ranked = time.perf_counter() - start
    _marks(campaign, user, rng)
    start = time.perf_counter()
    result = interview.ranking_compute(campaign=campaign, by=user)
    ranked += time.perf_counter() - start
    if (
        not result.ranked
        or campaign.applications.filter(state=ApplicationState.SHORTLISTED).exists()
    ):
        raise AssertionError("The benchmark ranking left candidates unranked.")
    return imported, ranked, campaign


def measure(applications: int, villages: int, samples: int) -> Iterator[tuple[str, float, str]]:
    results = [_sample(applications, villages) for _ in range(samples)]
    yield (
        f"recruitment.import_{applications}_s",
        statistics.median(r[0] for r in results),
        "s",
    )
    yield f"recruitment.rank_{applications}_s", statistics.median(r[1] for r in results), "s"
    campaign = results[-1][2]
    pure = [_pure(campaign, random.Random(SEED)) for _ in range(samples)]
    yield f"recruitment.rank_pure_{applications}_ms", statistics.median(pure), "ms"


def run(
    *,
    applications: int = 5000,
    villages: int = 50,
    samples: int = SAMPLES,
    database: bool = True,
) -> Iterator[tuple[str, float, str]]:
    """``database=False`` uses the database already set up (in a test).

    DEBUG is off while measuring, as in production and in Django's test runner: with DEBUG
    on, every query's SQL is also formatted and kept in ``connection.queries``."""
    from bench._database import measuring

    with measuring(database=database):
        yield from measure(applications, villages, samples)
