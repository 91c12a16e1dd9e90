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

import csv
import datetime
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record
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

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_POPULATION = 1_000_000
HEADER_SEARCH_ROWS = 10  # a title line or two may sit above the header row
MAX_COLUMNS = 40
NAME_MAX_LENGTH = Village._meta.get_field("name").max_length or 64
ALLOWED_EXTENSIONS = (".xlsx", ".csv")

# Column → accepted header names, compared after ``_normal_header``.
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

_BLANK = re.compile(r"[\s\u3000]+")
_UNIT_SUFFIX = re.compile(r"\((人|口|人口)\)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


class ImportFileError(Exception):
    """The file as a whole cannot be imported: wrong type, too big, unreadable, no header."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet shows it (1 = first line of the file)
    column: str  # the header as written in the file, or "" for the row as a whole
    reason: str


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
class ImportReport:
    """What an import did, or why it did nothing (``errors``)."""

    file_name: str
    sha256: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    posts_created: int = 0
    posts_reactivated: int = 0
    posts_abolished: int = 0
    posts_flagged_surplus: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_quota(self, result: QuotaResult) -> None:
        self.posts_created += result.created
        self.posts_reactivated += result.reactivated
        self.posts_abolished += result.abolished
        self.posts_flagged_surplus += result.marked_surplus

    def summary(self) -> dict:
        return {
            "file": self.file_name,
            "sha256": self.sha256,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "posts_created": self.posts_created,
            "posts_reactivated": self.posts_reactivated,
            "posts_abolished": self.posts_abolished,
            "posts_flagged_surplus": self.posts_flagged_surplus,
        }


# Reading the file ---------------------------------------------------------------------------


def check_file_name(file_name: str) -> str:
    """The lower-case extension of an acceptable file name, or ImportFileError."""
    suffix = PurePath(file_name or "").suffix.lower()
    if suffix == ".xls":
        raise ImportFileError(
            _(
                "“%(name)s” is an old-style Excel file (.xls), which cannot be read. Open it in "
                "Excel or WPS and save it as .xlsx or as CSV, then upload it again."
            )
            % {"name": file_name}
        )
    if suffix not in ALLOWED_EXTENSIONS:
        raise ImportFileError(
            _(
                "Only Excel workbooks (.xlsx) and CSV files (.csv) can be imported; "
                "“%(name)s” is neither."
            )
            % {"name": file_name or "?"}
        )
    return suffix


def check_file_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is %(size)s MB; files of at most %(max)s MB can be imported.")
            % {"size": f"{size / 1024 / 1024:.1f}", "max": MAX_FILE_BYTES // 1024 // 1024}
        )
    if size == 0:
        raise ImportFileError(_("The file is empty."))


def _read_xlsx(content: bytes):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(
            _(
                "The file could not be read as an Excel workbook (.xlsx). Save it again from "
                "Excel or WPS as .xlsx or as CSV."
            )
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        number = 0
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a damaged sheet can fail in many ways inside openpyxl
                raise ImportFileError(
                    _("The workbook is damaged near row %(row)s and cannot be read.")
                    % {"row": number + 1}
                ) from exc
            number += 1
            yield number, list(values)
    finally:
        workbook.close()


def _decode_csv(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Excel and WPS in Chinese save CSV in GBK; GB18030 is its superset.
        return content.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The CSV file is neither UTF-8 nor GBK/GB18030 text. Save it again as CSV (UTF-8).")
        ) from exc


def _read_csv(content: bytes):
    text = _decode_csv(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=1):
            yield number, values[:MAX_COLUMNS]
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file is malformed near line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from exc


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not _BLANK.sub("", value))


def _normal_header(value) -> str:
    text = _BLANK.sub("", str(value or "")).lower()
    text = text.replace("（", "(").replace("）", ")").replace("，", ",")
    return _UNIT_SUFFIX.sub("", text)


_HEADER_LOOKUP = {name: column for column, names in HEADERS.items() for name in names}


def _match_header(values: list) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, value in enumerate(values):
        column = _HEADER_LOOKUP.get(_normal_header(value))
        if column is not None and column not in found:
            found[column] = index
    return found


def read_table(file_name: str, content: bytes) -> tuple[dict[str, int], list[str], list]:
    """The header map (column → index), the header texts and the data rows ``(number,
    values)`` of a file, leaving out blank rows. Raises ImportFileError."""
    suffix = check_file_name(file_name)
    check_file_size(len(content))
    rows = _read_xlsx(content) if suffix == ".xlsx" else _read_csv(content)

    header_map: dict[str, int] = {}
    header_texts: list[str] = []
    seen = 0
    for _number, values in rows:
        if all(_is_blank(v) for v in values):
            continue
        seen += 1
        found = _match_header(values)
        if found:
            header_map = found
            header_texts = [_BLANK.sub(" ", str(v or "")).strip() for v in values]
            break
        if seen >= HEADER_SEARCH_ROWS:
            break
    if not header_map:
        raise ImportFileError(
            _(
                "No header row was found. The first row must name the columns, for example "
                "乡镇(街道), 村(居、社区) and 户籍人口 (or township, village and population)."
            )
        )
    missing = [column for column in REQUIRED if column not in header_map]
    if missing:
        labels = {
            "township": _("township (乡镇/乡镇(街道)/township)"),
            "village": _("village (村/村(居、社区)/村居/village)"),
            "population": _("population (人口/户籍人口/population)"),
        }
        raise ImportFileError(
            _("The header row has no column for: %(columns)s.")
            % {"columns": "; ".join(str(labels[c]) for c in missing)}
        )

    data = []
    for number, values in rows:
        if all(_is_blank(v) for v in values):
            continue
        data.append((number, values))
        if len(data) > MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)s rows; split it into smaller files.")
                % {"max": MAX_ROWS}
            )
    if not data:
        raise ImportFileError(_("The file has a header row but no villages below it."))
    return header_map, header_texts, data


# Checking cells -----------------------------------------------------------------------------


class CellError(ValueError):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _BLANK.sub(" ", str(value)).strip()


def parse_population(value) -> int:
    """A registered population from a cell: a whole number of 0 or more."""
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    else:
        text = _BLANK.sub("", str(value))
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(_("“%(value)s” is not a number.") % {"value": _text(value)}) from None
        if not number.is_finite():
            raise CellError(_("“%(value)s” is not a number.") % {"value": _text(value)})
    if number < 0:
        raise CellError(_("A population cannot be negative (%(value)s).") % {"value": _text(value)})
    if number != number.to_integral_value():
        raise CellError(
            _("A population must be a whole number of people, not %(value)s.")
            % {"value": _text(value)}
        )
    if number > MAX_POPULATION:
        raise CellError(
            _("%(value)s is more than any village has (at most %(max)s).")
            % {"value": _text(value), "max": MAX_POPULATION}
        )
    return int(number)


def parse_date(value) -> datetime.date:
    """A date from a cell: an Excel date, or text like 2026-01-01, 2026/1/1, 2026年1月1日."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    match = _DATE.match(text) or _DATE_COMPACT.match(text)
    if match:
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise CellError(_("“%(value)s” is not a date; write it like 2026-01-01.") % {"value": text})


def parse_kind(value) -> str:
    text = _normal_header(value)
    if text in KIND_VALUES:
        return KIND_VALUES[text]
    raise CellError(
        _("“%(value)s” is not a kind of village; write 村, 居 or 社区.") % {"value": _text(value)}
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


def validate_rows(
    *,
    county: County,
    header_map: dict[str, int],
    header_texts: list[str],
    data: list,
    default_date: datetime.date,
) -> tuple[list[ParsedRow], list[RowError]]:
    """Check every row; return the parsed rows and every error found."""
    townships = {_BLANK.sub("", t.name).casefold(): t for t in county.townships.all()}
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

    def header(column: str) -> str:
        index = header_map[column]
        return header_texts[index] if index < len(header_texts) else column

    def cell(values: list, column: str):
        index = header_map.get(column)
        if index is None or index >= len(values):
            return None
        return values[index]

    for number, values in data:
        row_errors: list[RowError] = []

        def fail(column: str, reason: str, number=number, row_errors=row_errors) -> None:
            row_errors.append(RowError(number, header(column) if column else "", reason))

        township = None
        raw = cell(values, "township")
        if _is_blank(raw):
            fail(
                "township",
                _(
                    "The township is missing. If the township cells are merged, unmerge them "
                    "and write the township on every row."
                ),
            )
        else:
            township = townships.get(_BLANK.sub("", _text(raw)).casefold())
            if township is None:
                fail(
                    "township",
                    _("There is no township named “%(name)s” in %(county)s.")
                    % {"name": _text(raw), "county": county.name},
                )

        name = _text(cell(values, "village"))
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
        if _is_blank(raw):
            fail("population", _("The population is missing."))
        else:
            try:
                population = parse_population(raw)
            except CellError as exc:
                fail("population", str(exc))

        kind = None
        if "kind" in header_map and not _is_blank(cell(values, "kind")):
            try:
                kind = parse_kind(cell(values, "kind"))
            except CellError as exc:
                fail("kind", str(exc))

        date: datetime.date | None = default_date
        if "date" in header_map:
            raw = cell(values, "date")
            if not _is_blank(raw):
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
    """
    if not by.has_perm("organisation.import_villages"):
        raise PermissionDenied(_("Only county HR officers may import villages."))
    county = by.county
    report = ImportReport(file_name=file_name, sha256=hashlib.sha256(content).hexdigest())
    header_map, header_texts, data = read_table(file_name, content)
    report.rows = len(data)
    try:
        check_default_date(county=county, on=default_date)
    except ValidationError as exc:
        raise ImportFileError(" ".join(exc.messages)) from exc

    parsed, errors = validate_rows(
        county=county,
        header_map=header_map,
        header_texts=header_texts,
        data=data,
        default_date=default_date,
    )
    if errors:
        report.errors = errors
        return report

    try:
        with transaction.atomic():
            _write(parsed, report, by)
            audit_record(
                obj=county,
                action=AuditEntry.Action.IMPORT,
                by=by,
                after=report.summary(),
                reason=f"village import: {file_name}",
            )
    except _Rollback:
        # A check passed above and failed on writing (another import at the same moment):
        # the transaction is rolled back and the row is reported.
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
                    reason=f"import {report.file_name} row {row.row}",
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
