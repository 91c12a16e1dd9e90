"""Directors of the demo county imported as in post (``contracts.importing``): a few directors
of townships without a demo campaign, whose contracts started about two years ago, so the
county shows contracts in force with two years behind them.

They come in the way a county's would: county HR's import of a file (``directors_import``),
run by the demo's county HR account, which also records the other vacant posts of their
villages as vacant at import. Loaded by ``manage.py load_demo`` after the county and before the
campaigns (whose applicants are drawn around the people on record). Idempotent: once the
county has an imported contract, nothing is done (one query).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from accounts.constants import Role
from accounts.models import User
from contracts.constants import ContractOrigin
from contracts.importing import TEMPLATE_HEADER, directors_import
from contracts.models import Contract
from contracts.services.drafting import contract_end_date
from core.exports import csv_content
from demo import data
from demo.services import _household, _id_number
from organisation.constants import PostStatus
from organisation.models import Post

FILE_NAME = "在岗村级人口主任名册（演示县）.csv"


@dataclass(frozen=True)
class ImportedDirector:
    township: str
    name: str
    birth_date: datetime.date
    order: int  # 3-digit sequence code of the ID number; odd for men
    phone: str
    education: str  # as a county's list writes it


# fmt: off
IMPORTED: tuple[ImportedDirector, ...] = (
    ImportedDirector("顶云街道", "岑国华", datetime.date(1984, 6, 21), 117, "13908531207", "大专"),
    ImportedDirector("龙潭街道", "黄美玲", datetime.date(1989, 12, 3), 126, "15985312246", "本科"),
    ImportedDirector("永宁镇", "伍德明", datetime.date(1979, 4, 9), 135, "18785316619", "高中"),
)
# fmt: on


def two_years_ago(today: datetime.date) -> datetime.date:
    """The first day of the month two years before ``today``."""
    return datetime.date(today.year - 2, today.month, 1)


def _rows(today: datetime.date) -> list[list[str]] | None:
    """The file's rows: each director in the first village of their township (in the order
    of ``demo.data``) that has a vacant active post; None when a township has none."""
    start = two_years_ago(today)
    end = contract_end_date(start, 3)
    order = {
        (township.name, village): index
        for township in data.TOWNSHIPS
        for index, (village, _population) in enumerate(township.villages)
    }
    vacant = Post.objects.filter(
        village__township__county__name=data.COUNTY["name"],
        village__township__name__in=[d.township for d in IMPORTED],
        status=PostStatus.ACTIVE,
        holder__isnull=True,
    ).values_list("village__township__name", "village__name")
    first: dict[str, str] = {}
    for township, village in sorted(set(vacant), key=lambda place: order.get(place, 999)):
        first.setdefault(township, village)
    rows = []
    for director in IMPORTED:
        seat = first.get(director.township)
        if seat is None:
            return None
        rows.append(
            [
                director.township,
                seat,
                director.name,
                _id_number(director.birth_date, director.order),
                director.phone,
                director.education,
                start.isoformat(),
                end.isoformat(),
                _household(director.township, seat, 3),
            ]
        )
    return rows


def demo_directors_load() -> int:
    """Import the demo's directors in post unless the county has imported contracts; the
    number of contracts imported (0 when there was nothing to do or no way to do it)."""
    if Contract.objects.filter(
        origin=ContractOrigin.IMPORT, township__county__name=data.COUNTY["name"]
    ).exists():
        return 0
    officer = User.objects.filter(
        username="county_hr", role=Role.COUNTY_HR, county__name=data.COUNTY["name"]
    ).first()
    today = timezone.localdate()
    rows = _rows(today)
    if officer is None or rows is None:
        return 0
    content = csv_content([TEMPLATE_HEADER, *rows])
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        report = directors_import(file_name=FILE_NAME, content=content, by=officer)
    if not report.ok:
        problems = "; ".join(f"{e.row} {e.column} {e.reason}" for e in report.errors)
        raise RuntimeError(f"the demo's directors could not be imported: {problems}")
    return report.contracts_created
