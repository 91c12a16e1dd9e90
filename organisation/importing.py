"""Importing villages and their registered populations from a spreadsheet.

The layout is the one a county exports from its population information system: a header row,
then one village a row with its township, name and registered population. Optional columns
give the kind (村/居/社区) and the date of the figure; without a date column every row takes
the date the user gives.

The import is all or nothing. Every row is checked first and every problem is reported as
(row number as the spreadsheet shows it, column header, reason). If there is any problem,
nothing is written. Otherwise one transaction creates the new villages, records the changed
populations, reconciles the posts of every village in the file and writes one audit row of
action IMPORT that names the file and its SHA-256.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record
from core import tabular
from core.normalise import normalise_text, plain_number
from core.services import lock
from core.tabular import (
    BLANK,
    MAX_FILE_BYTES,
    ImportFileError,
    RowError,
    cell_text,
    is_blank,
    normal_header,
)
from organisation.constants import VillageKind
from organisation.models import County, Township, Village
from organisation.services import (
    QuotaResult,
    quota_policy,
    village_create,
    village_reconcile_posts,
    village_set_population,
)
from policy.models import Policy

MAX_ROWS = 5000
MAX_POPULATION = 1_000_000
NAME_MAX_LENGTH = Village._meta.get_field("name").max_length or 64

# Column → accepted header names, compared after ``core.tabular.normal_header``.
HEADERS: dict[str, tuple[str, ...]] = {
    "township": (
        "乡镇",
        "乡镇(街道)",
        "乡镇街道",
        "乡(镇)",
        "乡镇(办事处)",
        "乡镇名称",
        "township",
    ),
    "village": (
        "村",
        "村(居、社区)",
        "村(居,社区)",
        "村(居)",
        "村居",
        "村(社区)",
        "村居(社区)",
        "村名",
        "村名称",
        "village",
    ),
    "population": (
        "人口",
        "户籍人口",
        "户籍人口数",
        "人口数",
        "registered_population",
        "registeredpopulation",
        "population",
    ),
    "kind": ("类型", "村居类型", "kind"),
    "date": (
        "人口统计日期",
        "统计日期",
        "effectivedate",
        "effective_date",
        "date",
    ),
}
REQUIRED = ("township", "village", "population")

KIND_VALUES = {
    "村": VillageKind.VILLAGE,
    "村委会": VillageKind.VILLAGE,
    "village": VillageKind.VILLAGE,
    "居": VillageKind.RESIDENTS,
    "居委会": VillageKind.RESIDENTS,
    "residents": VillageKind.RESIDENTS,
    "社区": VillageKind.COMMUNITY,
    "community": VillageKind.COMMUNITY,
}

_THOUSANDS = re.compile(r"^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
_DATE = re.compile(r"^([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^([0-9]{4})([0-9]{2})([0-9]{2})$")


@dataclass
class ParsedRow:
    row: int
    township: Township
    name: str
    kind: str | None  # None: not given, keep or infer
    population: int
    date: datetime.date
    village: Village | None = None  # the existing village of that name, if any


@dataclass
class ImportReport(tabular.FileImportReport):
    """What an import did, or why it did nothing (``errors``)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    posts_created: int = 0
    posts_reactivated: int = 0
    posts_abolished: int = 0
    posts_flagged_surplus: int = 0

    def add_quota(self, result: QuotaResult) -> None:
        self.posts_created += result.created
        self.posts_reactivated += result.reactivated
        self.posts_abolished += result.abolished
        self.posts_flagged_surplus += result.marked_surplus

    def summary(self) -> dict:
        return {
            **super().summary(),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "posts_created": self.posts_created,
            "posts_reactivated": self.posts_reactivated,
            "posts_abolished": self.posts_abolished,
            "posts_flagged_surplus": self.posts_flagged_surplus,
        }


# Reading the file ---------------------------------------------------------------------------


def read_table(file_name: str, content: bytes) -> tabular.Table:
    """The header and the data rows of a file, leaving out blank rows, its text normalised
    (``core.tabular``). Raises ImportFileError."""
    return tabular.read_table(
        file_name,
        content,
        headers=HEADERS,
        required=REQUIRED,
        labels={
            "township": _("township (乡镇/乡镇(街道)/township)"),
            "village": _("village (村/村(居、社区)/村居/village)"),
            "population": _("population (人口/户籍人口/population)"),
        },
        no_header=_(
            "No header row was found. The first row must name the columns, for example "
            "乡镇(街道), 村(居、社区) and 户籍人口 (or township, village and population)."
        ),
        no_rows=_("The file has a header row but no villages below it."),
        max_rows=MAX_ROWS,
        max_bytes=MAX_FILE_BYTES,
    )


# Checking cells -----------------------------------------------------------------------------


class CellError(ValueError):
    pass


def parse_population(value) -> int:
    """A registered population from a cell or a form: a whole number of 0 or more, written
    with the digits 0–9 (full-width ones count, after ``core.normalise``), with or without
    thousands separators in their places (``12,345``). ``1_0``, ``1e2``, ``30 00`` and
    Arabic-Indic ``٨٠`` are refused, although Python's ``int()`` reads them. Numbers from a
    spreadsheet's number cells are taken as they are."""
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    else:
        text = normalise_text(value)
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        found = plain_number(text)
        if found is None:
            raise CellError(
                _(
                    "“%(value)s” is not a number: write the population with the digits 0–9, "
                    "such as 2350."
                )
                % {"value": normalise_text(value)}
            )
        number = found
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": cell_text(value)})
    if number < 0:
        raise CellError(
            _("A population cannot be negative (%(value)s).") % {"value": cell_text(value)}
        )
    if number != number.to_integral_value():
        raise CellError(
            _("A population must be a whole number of people, not %(value)s.")
            % {"value": cell_text(value)}
        )
    if number > MAX_POPULATION:
        raise CellError(
            _("%(value)s is more than any village has (at most %(max)s).")
            % {"value": cell_text(value), "max": MAX_POPULATION}
        )
    return int(number)


def parse_date(value) -> datetime.date:
    """A date from a cell: an Excel date, or text like 2026-01-01, 2026/1/1, 2026年1月1日."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    match = _DATE.match(text) or _DATE_COMPACT.match(text)
    if match:
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise CellError(_("“%(value)s” is not a date; write it like 2026-01-01.") % {"value": text})


def parse_kind(value) -> str:
    text = normal_header(value)
    if text in KIND_VALUES:
        return KIND_VALUES[text]
    raise CellError(
        _("“%(value)s” is not a kind of village; write 村, 居 or 社区.")
        % {"value": cell_text(value)}
    )


def infer_kind(name: str) -> str:
    if name.endswith("社区"):
        return VillageKind.COMMUNITY
    if name.endswith(("居委会", "居民委员会")):
        return VillageKind.RESIDENTS
    return VillageKind.VILLAGE


def check_default_date(*, county: County, on: datetime.date) -> None:
    """Raise ValidationError if ``on`` cannot be the date of a population figure."""
    if on > timezone.localdate():
        raise ValidationError(_("The date of a population figure cannot be in the future."))
    if not Policy.objects.filter(county=county, effective_from__lte=on).exists():
        raise ValidationError(
            _("%(county)s has no policy in force on %(date)s; enter a policy first.")
            % {"county": county, "date": on.isoformat()}
        )


def township_of_row(raw, townships: dict, county: County, fail) -> Township | None:
    """The township a row's cell names (``townships``: by name without blanks, case-folded),
    or None after ``fail("township", reason)`` when the cell is empty or names none of the
    county's townships. Shared by the imports that name townships."""
    if is_blank(raw):
        fail(
            "township",
            _(
                "The township is missing. If the township cells are merged, unmerge them "
                "and write the township on every row."
            ),
        )
        return None
    township = townships.get(BLANK.sub("", cell_text(raw)).casefold())
    if township is None:
        fail(
            "township",
            _("There is no township named “%(name)s” in %(county)s.")
            % {"name": cell_text(raw), "county": county.name},
        )
    return township


def validate_rows(
    *,
    county: County,
    header_map: dict[str, int],
    header_texts: list[str],
    data: list,
    default_date: datetime.date,
) -> tuple[list[ParsedRow], list[RowError]]:
    """Check every row; return the parsed rows and every error found."""
    townships = {BLANK.sub("", t.name).casefold(): t for t in county.townships.all()}
    existing = {
        (v.township_id, v.name.strip().casefold()): v
        for v in Village.objects.filter(township__county=county)
    }
    first_policy = (
        Policy.objects.filter(county=county)
        .order_by("effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )
    today = timezone.localdate()
    seen: dict[tuple[int, str], int] = {}
    parsed: list[ParsedRow] = []
    errors: list[RowError] = []

    table = tabular.Table(header_map, header_texts, data)
    header, cell = table.header, table.cell

    for number, values in data:
        row_errors: list[RowError] = []

        def fail(column: str, reason: str, number=number, row_errors=row_errors) -> None:
            row_errors.append(RowError(number, header(column) if column else "", reason))

        township = township_of_row(cell(values, "township"), townships, county, fail)

        name = cell_text(cell(values, "village"))
        if not name:
            fail("village", _("The village name is missing."))
        elif len(name) > NAME_MAX_LENGTH:
            fail(
                "village",
                _("The village name has %(n)s characters; at most %(max)s are allowed.")
                % {"n": len(name), "max": NAME_MAX_LENGTH},
            )

        population = None
        raw = cell(values, "population")
        if is_blank(raw):
            fail("population", _("The population is missing."))
        else:
            try:
                population = parse_population(raw)
            except CellError as exc:
                fail("population", str(exc))

        kind = None
        if "kind" in header_map and not is_blank(cell(values, "kind")):
            try:
                kind = parse_kind(cell(values, "kind"))
            except CellError as exc:
                fail("kind", str(exc))

        date: datetime.date | None = default_date
        if "date" in header_map:
            raw = cell(values, "date")
            if not is_blank(raw):
                try:
                    date = parse_date(raw)
                except CellError as exc:
                    date = None
                    fail("date", str(exc))
                else:
                    if date > today:
                        fail(
                            "date",
                            _("The date %(date)s is in the future.") % {"date": date.isoformat()},
                        )
                    elif first_policy is None or date < first_policy:
                        fail(
                            "date",
                            _("%(county)s has no policy in force on %(date)s.")
                            % {"county": county.name, "date": date.isoformat()},
                        )

        village = None
        if township is not None and name and len(name) <= NAME_MAX_LENGTH:
            key = (township.pk, name.casefold())
            if key in seen:
                fail(
                    "village",
                    _("“%(name)s” in %(township)s appears twice in the file (also row %(row)s).")
                    % {"name": name, "township": township.name, "row": seen[key]},
                )
            else:
                seen[key] = number
            village = existing.get(key)
            if village is not None and kind is not None and kind != village.kind:
                fail(
                    "kind",
                    _(
                        "“%(name)s” is recorded as %(kind)s; an import does not change the kind "
                        "of a village."
                    )
                    % {"name": village.name, "kind": village.get_kind_display()},
                )
            if (
                village is not None
                and date is not None
                and population is not None
                and date < village.population_effective_date
                and (population, date)
                != (village.registered_population, village.population_effective_date)
            ):
                fail(
                    "date" if "date" in header_map else "",
                    _(
                        "“%(name)s” already has a population figure dated %(current)s; this "
                        "row's figure, dated %(given)s, is older and cannot replace it."
                    )
                    % {
                        "name": village.name,
                        "current": village.population_effective_date.isoformat(),
                        "given": date.isoformat(),
                    },
                )

        if row_errors:
            errors.extend(row_errors)
            continue
        assert township is not None and population is not None and date is not None
        parsed.append(
            ParsedRow(
                row=number,
                township=township,
                name=name,
                kind=kind,
                population=population,
                date=date,
                village=village,
            )
        )
    return parsed, errors


# The import service -------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def villages_import(
    *, file_name: str, content: bytes, default_date: datetime.date, by
) -> ImportReport:
    """Import the villages of ``by``'s county from an .xlsx or .csv file, all or nothing.

    Only a user with ``organisation.import_villages`` (county HR) may import, and only into
    their own county. Raises ImportFileError when the file as a whole is unusable; returns a
    report whose ``errors`` list every bad cell (and then nothing was written), or the counts
    of what changed.

    The file is read before anything is locked (``core.tabular`` bounds its cost). Then the
    county row is locked, so that imports of one county run one after the other, and the
    rows are checked against the villages as they are at that moment: twenty people
    importing the same new village at once create it once, and the others find it.
    """
    if not by.has_perm("organisation.import_villages"):
        raise PermissionDenied(_("Only county HR officers may import villages."))
    report = ImportReport(file_name=file_name, sha256=hashlib.sha256(content).hexdigest())
    table = read_table(file_name, content)
    report.rows = len(table.data)
    try:
        check_default_date(county=by.county, on=default_date)
    except ValidationError as exc:
        raise ImportFileError(" ".join(exc.messages)) from exc

    try:
        with transaction.atomic():
            county = lock(by.county)
            parsed, errors = validate_rows(
                county=county,
                header_map=table.header_map,
                header_texts=table.header_texts,
                data=table.data,
                default_date=default_date,
            )
            errors = sorted([*table.errors, *errors], key=lambda e: e.row)
            if errors:
                report.errors = errors
                return report
            _write(parsed, report, by)
            audit_record(
                obj=county,
                action=AuditEntry.Action.IMPORT,
                by=by,
                after=report.summary(),
                reason=_("village import: %(file)s") % {"file": file_name},
            )
    except _Rollback:
        # A check passed above and failed on writing: the transaction is rolled back and
        # the row is reported.
        report.created = report.updated = report.unchanged = 0
        report.posts_created = report.posts_reactivated = 0
        report.posts_abolished = report.posts_flagged_surplus = 0
    return report


def _write(parsed: list[ParsedRow], report: ImportReport, by) -> None:
    for row in parsed:
        try:
            if row.village is None:
                village = village_create(
                    township=row.township,
                    name=row.name,
                    kind=row.kind or infer_kind(row.name),
                    registered_population=row.population,
                    population_effective_date=row.date,
                    by=by,
                )
                report.created += 1
                report.posts_created += village.posts.count()
            elif (row.population, row.date) != (
                row.village.registered_population,
                row.village.population_effective_date,
            ):
                result = village_set_population(
                    village=row.village,
                    registered_population=row.population,
                    effective_date=row.date,
                    by=by,
                    reason=_("import of %(file)s, row %(row)s")
                    % {"file": report.file_name, "row": row.row},
                )
                report.updated += 1
                report.add_quota(result)
            else:
                row.village.township = row.township
                policy = quota_policy(
                    county=row.township.county, effective_date=row.village.population_effective_date
                )
                report.unchanged += 1
                report.add_quota(village_reconcile_posts(village=row.village, policy=policy, by=by))
        except ValidationError as exc:
            report.errors.append(RowError(row.row, "", " ".join(exc.messages)))
            raise _Rollback from exc
        except IntegrityError as exc:
            # A village of that name was created by another way at the same moment (the
            # database refuses a second one, ``village_unique_name_per_township``).
            report.errors.append(
                RowError(
                    row.row,
                    "",
                    _(
                        "“%(name)s” in %(township)s was created by someone else while this "
                        "file was being imported. Nothing was imported; import the file again."
                    )
                    % {"name": row.name, "township": row.township.name},
                )
            )
            raise _Rollback from exc
