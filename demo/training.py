"""Training in the demo county over the last two years (seed 001, 教育培训机制), recorded by
the training services (``training.services``) as the county and the townships would:

- each year, the county's refresher training (知识更新培训, the policy's minimum days): in
  December two years ago (the imported directors had started in November), then in June,
  attended by every director then in post except 伍德明 (永宁镇, imported), who missed them
  all: the dismissal detector (run here as the daily sweep would) finds the two ended years
  and opens a case on that ground (连续两年未参加知识更新培训) for 永宁镇's committee to hear;
- each year, the policy's minimum of sessions (4) of every township with a director in post
  (March, May, July and September; those not yet held this year are left out), attended by
  its directors then in post (each session issues its attendance record, which is most of
  the time this takes);
- this year's induction course (初任培训) for the hires of 花江镇's campaign, on the day
  their induction is on record.

Courses whose days have not come yet are left out. County courses are recorded by
``county_hr``; a township's sessions by its office account where the demo has one
(``huajiang_office``), else by the administrator. Loaded by ``manage.py load_demo`` after the
term; idempotent: once the county has a course, nothing is done (one query).
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from accounts.constants import Role
from accounts.models import User
from contracts.constants import IN_FORCE_STATES, ContractOrigin
from contracts.detectors import dismissal_detectors
from contracts.models import Contract
from demo import data
from organisation.models import County
from policy.selectors import policy_in_force
from training.constants import CourseKind
from training.models import Course
from training.services import attendance_record_many, course_create

MISSED_REFRESHERS = "伍德明"
SESSION_MONTHS = (3, 5, 7, 9, 10, 11)


def _attending(contracts: list[Contract], on: datetime.date) -> list:
    return [c.person for c in contracts if c.start_date <= on]


def demo_training_load() -> int:
    """Record the demo county's courses and attendance; returns the number of courses
    recorded (0 when the county already has courses or lacks what they need)."""
    county = County.objects.filter(name=data.COUNTY["name"]).first()
    if county is None or Course.objects.filter(county=county).exists():
        return 0
    users = {
        u.username: u
        for u in User.objects.filter(
            county=county, role__in=[Role.ADMINISTRATOR, Role.COUNTY_HR, Role.TOWNSHIP_OFFICE]
        ).select_related("township")
    }
    hr, admin = users.get("county_hr"), users.get("admin")
    if hr is None or admin is None:
        return 0
    offices = {u.township_id: u for u in users.values() if u.role == Role.TOWNSHIP_OFFICE}
    today = timezone.localdate()
    contracts = list(
        Contract.objects.filter(township__county=county, state__in=IN_FORCE_STATES)
        .select_related("person", "township")
        .order_by("township__name_pinyin", "person__name_pinyin")
    )
    by_township: dict = defaultdict(list)
    for contract in contracts:
        by_township[contract.township].append(contract)
    created = 0
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        for year in (today.year - 2, today.year - 1, today.year):
            # Two years ago the directors in post had started in November: that year's
            # refresher was held in December; later years' in June.
            starts = (
                datetime.date(year, 12, 1) if year == today.year - 2 else datetime.date(year, 6, 2)
            )
            policy = policy_in_force(county=county, on=starts)
            days = policy.refresher_min_days
            ends = starts + datetime.timedelta(days=days - 1)
            if ends < today:
                course = course_create(
                    county=county,
                    township=None,
                    kind=CourseKind.REFRESHER,
                    title=f"{year}年村级人口主任知识更新培训",
                    starts_on=starts,
                    ends_on=ends,
                    days=days,
                    hours=days * 6,
                    venue="县委党校",
                    organiser=county.hr_office,
                    by=hr,
                )
                created += 1
                persons = [p for p in _attending(contracts, starts) if p.name != MISSED_REFRESHERS]
                if persons:
                    attendance_record_many(course=course, persons=persons, by=hr)
            for township, held in by_township.items():
                months = SESSION_MONTHS[: policy.township_sessions_min]
                for number, month in enumerate(months, start=1):
                    on = datetime.date(year, month, 15)
                    persons = _attending(held, on)
                    if on >= today or not persons:
                        continue
                    by = offices.get(township.pk, admin)
                    course = course_create(
                        county=county,
                        township=township,
                        kind=CourseKind.TOWNSHIP_SESSION,
                        title=f"{township.name}{year}年第{number}期业务培训",
                        starts_on=on,
                        ends_on=on,
                        days=policy.township_session_min_days,
                        hours=6,
                        venue=f"{township.name}人民政府会议室",
                        by=by,
                    )
                    created += 1
                    attendance_record_many(course=course, persons=persons, by=by)
        hires = [c for c in contracts if c.origin == ContractOrigin.HIRE and c.induction_on]
        if hires:
            on = min(c.induction_on for c in hires)  # type: ignore[type-var]
            course = course_create(
                county=county,
                township=None,
                kind=CourseKind.INDUCTION,
                title=f"{on.year}年新聘村级人口主任初任培训",
                starts_on=on,
                ends_on=on,
                days=1,
                hours=8,
                venue="县委党校",
                organiser=county.hr_office,
                by=hr,
            )
            created += 1
            attendance_record_many(course=course, persons=[c.person for c in hires], by=hr)
    # The daily sweep's detector finds the two years 伍德明 missed and opens his case.
    dismissal_detectors(today=today)
    return created
