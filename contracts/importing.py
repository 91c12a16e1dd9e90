"""Importing the directors a county already has in post (在岗村级人口主任) from a spreadsheet.

A county that starts with the product already has directors serving a term. County HR lists
them one a row: township, village, name, ID number, mobile number, education, and the start
and end of the contract in force (an optional column gives the household registration). The
file is read as the village import reads its file (``core.tabular``: the same bounds on rows,
cells and unpacked bytes, the same normalisation of every cell), and the import is all or
nothing in the same way: every row is checked first and every problem is reported as (row,
column, reason); if there is any, nothing is written.

Otherwise one transaction, for each row: creates or updates the person (birth date and sex
from the ID number), takes a vacant active post of the village (the posts the quota gave it;
an import never creates a post), creates the contract already in force (origin IMPORT,
induction marked as imported, the policy in force on its start date), makes the person the
post's director and writes an audit row of action IMPORT. Then every active post of the
villages in the file still without a director gets a vacancy opened on the import day
(``VacancyCause.AT_IMPORT``), unless one is open. A contract whose end date is already past
is refused: it is not in force, so there is nothing to import; one that ends within the
renewal window is imported and the daily sweep opens its review.
"""

import contextlib
import datetime
import hashlib
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record, snapshot
from contracts.constants import (
    IN_FORCE_STATES,
    OPEN_VACANCY_STATES,
    PENDING_STATES,
    ContractOrigin,
    ContractState,
    InductionSource,
    VacancyCause,
)
from contracts.models import Contract, Vacancy
from contracts.services.posts import post_occupy, vacancy_open
from core import tabular
from core.education import Education
from core.identity import normalise_mobile, parse_id_number, validate_mobile
from core.services import lock
from core.tabular import BLANK, MAX_FILE_BYTES, RowError, cell_text, is_blank
from organisation import importing as village_importing
from organisation.constants import PostStatus
from organisation.importing import CellError, parse_date, township_of_row
from organisation.models import County, Post, Township, Village
from people.models import Person
from people.services import person_create, person_update
from policy.models import Policy

PERMISSION = "contracts.import_directors"
MAX_ROWS = village_importing.MAX_ROWS
NAME_MAX_LENGTH = 32
HOUSEHOLD_MAX_LENGTH = Person._meta.get_field("household_registration").max_length or 200

# Column → accepted header names, compared after ``core.tabular.normal_header``.
HEADERS: dict[str, tuple[str, ...]] = {
    "township": village_importing.HEADERS["township"],
    "village": village_importing.HEADERS["village"],
    "name": ("姓名", "人口主任姓名", "专干姓名", "name"),
    "id_number": (
        "身份证号码",
        "身份证号",
        "公民身份号码",
        "身份证",
        "idnumber",
        "id_number",
    ),
    "phone": ("手机号码", "手机号", "手机", "联系电话", "电话", "phone", "mobile"),
    "education": ("学历", "文化程度", "最高学历", "education"),
    "start": (
        "聘期开始日期",
        "聘用开始日期",
        "合同开始日期",
        "聘期开始",
        "聘期起",
        "开始日期",
        "起始日期",
        "contractstart",
        "contract_start",
        "start",
    ),
    "end": (
        "聘期结束日期",
        "聘用结束日期",
        "合同结束日期",
        "聘期结束",
        "聘期止",
        "结束日期",
        "终止日期",
        "contractend",
        "contract_end",
        "end",
    ),
    "household": ("户籍所在地", "户籍地址", "户籍", "householdregistration", "household"),
}
REQUIRED = ("township", "village", "name", "id_number", "phone", "education", "start", "end")
# The header row of the downloadable template, in the order the columns are read.
TEMPLATE_HEADER = [
    "乡镇(街道)",
    "村(居、社区)",
    "姓名",
    "身份证号码",
    "手机号码",
    "学历",
    "聘期开始日期",
    "聘期结束日期",
    "户籍所在地",
]

# Education as written in a county's lists → ``core.education.Education``.
EDUCATION_VALUES: dict[str, str] = {
    "小学": Education.PRIMARY,
    "小学及以下": Education.PRIMARY,
    "初中": Education.JUNIOR_HIGH,
    "高中": Education.HIGH_SCHOOL,
    "中专": Education.SECONDARY_VOCATIONAL,
    "中职": Education.SECONDARY_VOCATIONAL,
    "大专": Education.JUNIOR_COLLEGE,
    "专科": Education.JUNIOR_COLLEGE,
    "大学专科": Education.JUNIOR_COLLEGE,
    "本科": Education.BACHELOR,
    "大学本科": Education.BACHELOR,
    "研究生": Education.POSTGRADUATE,
    "硕士研究生": Education.POSTGRADUATE,
    "博士研究生": Education.POSTGRADUATE,
    "硕士": Education.POSTGRADUATE,
    "博士": Education.POSTGRADUATE,
    **{value: value for value in Education.values},
}

# A person's name: letters of any script, with the middle dot of transliterated names
# (阿依古丽·买买提) and single spaces; nothing else (no digits, no formula signs).
_NAME = re.compile(r"^[^\W\d_]+(?:[·・•\u00b7 ][^\W\d_]+)*$")
ONE_DAY = datetime.timedelta(days=1)


@dataclass
class ParsedRow:
    row: int
    township: Township
    village: Village
    post: Post
    name: str
    id_number: str
    phone: str
    education: str
    start: datetime.date
    end: datetime.date
    household: str
    policy: Policy
    person: Person | None = None  # the person already on record with this ID number


@dataclass
class ImportReport(tabular.FileImportReport):
    """What an import did, or why it did nothing (``errors``)."""

    persons_created: int = 0
    persons_updated: int = 0
    contracts_created: int = 0
    vacancies_opened: int = 0
    villages: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        return {
            **super().summary(),
            "persons_created": self.persons_created,
            "persons_updated": self.persons_updated,
            "contracts_created": self.contracts_created,
            "vacancies_opened": self.vacancies_opened,
        }

    def clear_counts(self) -> None:
        self.persons_created = self.persons_updated = 0
        self.contracts_created = self.vacancies_opened = 0
        self.villages = []


# Reading the file ---------------------------------------------------------------------------


def read_table(file_name: str, content: bytes) -> tabular.Table:
    """The header and the data rows of a file, its text normalised (``core.tabular``).
    Raises ImportFileError."""
    return tabular.read_table(
        file_name,
        content,
        headers=HEADERS,
        required=REQUIRED,
        labels={
            "township": _("township (乡镇/乡镇(街道)/township)"),
            "village": _("village (村/村(居、社区)/村居/village)"),
            "name": _("name (姓名/name)"),
            "id_number": _("ID number (身份证号码/身份证号/id_number)"),
            "phone": _("mobile number (手机号码/联系电话/phone)"),
            "education": _("education (学历/文化程度/education)"),
            "start": _("contract start (聘期开始日期/合同开始日期/contract_start)"),
            "end": _("contract end (聘期结束日期/合同结束日期/contract_end)"),
        },
        no_header=_(
            "No header row was found. The first row must name the columns, for example "
            "乡镇(街道), 村(居、社区), 姓名, 身份证号码, 手机号码, 学历, 聘期开始日期 and "
            "聘期结束日期; download the template."
        ),
        no_rows=_("The file has a header row but no directors below it."),
        max_rows=MAX_ROWS,
        max_bytes=MAX_FILE_BYTES,
    )


# Checking cells -----------------------------------------------------------------------------


def parse_name(value) -> str:
    name = cell_text(value)
    if len(name) > NAME_MAX_LENGTH:
        raise CellError(
            _("The name has %(n)s characters; at most %(max)s are allowed.")
            % {"n": len(name), "max": NAME_MAX_LENGTH}
        )
    if len(name) < 2 or not _NAME.match(name):
        raise CellError(
            _("“%(value)s” is not a person's name; write the name as on the ID card.")
            % {"value": name}
        )
    return name


def parse_education(value) -> str:
    text = BLANK.sub("", cell_text(value))
    found = EDUCATION_VALUES.get(text) or EDUCATION_VALUES.get(text.lower())
    if found is None:
        raise CellError(
            _(
                "“%(value)s” is not a level of education; write one of 小学, 初中, 高中, 中专, "
                "大专, 本科, 研究生."
            )
            % {"value": cell_text(value)}
        )
    return found


def term_years_between(start: datetime.date, end: datetime.date) -> int:
    """The term in whole years of a contract from ``start`` to ``end`` (both included),
    rounded to the nearest year, at least one: 2024-12-01 to 2027-11-30 is 3 years."""
    return max(round(((end - start).days + 1) / 365.25), 1)


def _long(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _vacant_posts(county: County) -> dict[int, list[Post]]:
    """Village id → its active posts without a director and not held by a contract waiting
    to start, lowest number first."""
    held = Contract.objects.filter(
        state__in=[*PENDING_STATES, *IN_FORCE_STATES], post__village__township__county=county
    ).values("post_id")
    posts = (
        Post.objects.filter(
            village__township__county=county, status=PostStatus.ACTIVE, holder__isnull=True
        )
        .exclude(pk__in=held)
        .order_by("village_id", "number", "pk")
    )
    found: dict[int, list[Post]] = {}
    for post in posts:
        found.setdefault(post.village_id, []).append(post)
    return found


def validate_rows(
    *, county: County, table: tabular.Table
) -> tuple[list[ParsedRow], list[RowError]]:
    """Check every row; return the parsed rows and every error found."""
    header, cell = table.header, table.cell
    townships = {BLANK.sub("", t.name).casefold(): t for t in county.townships.all()}
    villages = {
        (v.township_id, BLANK.sub("", v.name).casefold()): v
        for v in Village.objects.filter(township__county=county)
    }
    vacant = _vacant_posts(county)
    taken: dict[int, int] = {}  # village id → posts given to earlier rows
    policies = list(Policy.objects.filter(county=county).order_by("-effective_from", "-version"))
    today = timezone.localdate()
    seen: dict[str, int] = {}
    parsed: list[ParsedRow] = []
    errors: list[RowError] = []

    numbers = set()
    for _row, values in table.data:
        raw = cell(values, "id_number")
        if not is_blank(raw):
            with contextlib.suppress(ValidationError):
                numbers.add(parse_id_number(cell_text(raw)).number)
    persons = {p.id_number: p for p in Person.objects.filter(id_number__in=numbers)}
    in_force = {
        c.person_id: c
        for c in Contract.objects.filter(
            person__id_number__in=numbers, state__in=IN_FORCE_STATES
        ).select_related("post__village__township")
    }
    pending = set(
        Contract.objects.filter(
            person__id_number__in=numbers, state__in=PENDING_STATES
        ).values_list("person_id", flat=True)
    )

    for number, values in table.data:
        row_errors: list[RowError] = []

        def fail(column: str, reason: str, number=number, row_errors=row_errors) -> None:
            row_errors.append(RowError(number, header(column), reason))

        # Township and village
        village = None
        township = township_of_row(cell(values, "township"), townships, county, fail)
        raw = cell(values, "village")
        if is_blank(raw):
            fail("village", _("The village is missing."))
        elif township is not None:
            village = villages.get((township.pk, BLANK.sub("", cell_text(raw)).casefold()))
            if village is None:
                fail(
                    "village",
                    _(
                        "There is no village named “%(name)s” in %(township)s; import the "
                        "villages first or correct the name."
                    )
                    % {"name": cell_text(raw), "township": township.name},
                )

        # The person
        name = ""
        raw = cell(values, "name")
        if is_blank(raw):
            fail("name", _("The name is missing."))
        else:
            try:
                name = parse_name(raw)
            except CellError as exc:
                fail("name", str(exc))

        id_number = ""
        person = None
        raw = cell(values, "id_number")
        if is_blank(raw):
            fail("id_number", _("The ID number is missing."))
        else:
            try:
                id_number = parse_id_number(cell_text(raw), today=today).number
            except ValidationError as exc:
                fail("id_number", " ".join(exc.messages))
        if id_number:
            if id_number in seen:
                fail(
                    "id_number",
                    _("This ID number appears twice in the file (also row %(row)s).")
                    % {"row": seen[id_number]},
                )
            else:
                seen[id_number] = number
            person = persons.get(id_number)
            if person is not None and person.pk in in_force:
                contract = in_force[person.pk]
                fail(
                    "id_number",
                    _(
                        "%(name)s already has a contract in force, for %(village)s, "
                        "%(township)s (until %(end)s); a person holds one post at a time."
                    )
                    % {
                        "name": person.name,
                        "village": contract.post.village.name,
                        "township": contract.post.village.township.name,
                        "end": _long(contract.end_date),
                    },
                )
            elif person is not None and person.pk in pending:
                fail(
                    "id_number",
                    _(
                        "%(name)s has a contract from a selection waiting to be signed or "
                        "filed; finish or end that contract first."
                    )
                    % {"name": person.name},
                )

        phone = ""
        raw = cell(values, "phone")
        if is_blank(raw):
            fail("phone", _("The mobile number is missing."))
        else:
            try:
                validate_mobile(cell_text(raw))
                phone = normalise_mobile(cell_text(raw))
            except ValidationError as exc:
                fail(
                    "phone",
                    _("“%(value)s” is not a mobile number. %(rule)s")
                    % {"value": cell_text(raw), "rule": " ".join(exc.messages)},
                )

        education = ""
        raw = cell(values, "education")
        if is_blank(raw):
            fail("education", _("The education is missing."))
        else:
            try:
                education = parse_education(raw)
            except CellError as exc:
                fail("education", str(exc))

        household = ""
        if "household" in table.header_map:
            household = cell_text(cell(values, "household"))
            if len(household) > HOUSEHOLD_MAX_LENGTH:
                fail(
                    "household",
                    _("The household registration has %(n)s characters; at most %(max)s.")
                    % {"n": len(household), "max": HOUSEHOLD_MAX_LENGTH},
                )

        # The contract's dates
        start = end = None
        missing = {
            "start": _("The start date of the contract is missing."),
            "end": _("The end date of the contract is missing."),
        }
        for column, message in missing.items():
            raw = cell(values, column)
            if is_blank(raw):
                fail(column, message)
                continue
            try:
                day = parse_date(raw)
            except CellError as exc:
                fail(column, str(exc))
                continue
            if column == "start":
                start = day
            else:
                end = day
        policy = None
        if start is not None:
            policy = next((p for p in policies if p.effective_from <= start), None)
            if start > today:
                fail(
                    "start",
                    _(
                        "The contract starts on %(date)s, after today: only a director already "
                        "in post can be imported. A new director is hired through a selection."
                    )
                    % {"date": _long(start)},
                )
            elif policy is None:
                fail(
                    "start",
                    _("%(county)s has no policy in force on %(date)s; enter that policy first.")
                    % {"county": county.name, "date": _long(start)},
                )
        if end is not None:
            if start is not None and end <= start:
                fail(
                    "end",
                    _("The contract ends on %(end)s, not after it starts (%(start)s).")
                    % {"end": _long(end), "start": _long(start)},
                )
            elif end < today:
                fail(
                    "end",
                    _(
                        "The contract ended on %(date)s, so it is no longer in force: only "
                        "directors whose contract is in force today can be imported."
                    )
                    % {"date": _long(end)},
                )

        # A vacant post of the village, rows taking them in file order
        post = None
        if village is not None:
            free = vacant.get(village.pk, [])
            index = taken.get(village.pk, 0)
            if index < len(free):
                post = free[index]
                taken[village.pk] = index + 1
            else:
                active = village.posts.filter(status=PostStatus.ACTIVE).count()
                fail(
                    "village",
                    _(
                        "%(village)s has no free post for this director: its %(active)s "
                        "active posts (by its quota) are all held by directors already "
                        "recorded or by earlier rows of this file."
                    )
                    % {"village": village.name, "active": active},
                )

        if row_errors:
            errors.extend(row_errors)
            continue
        assert township and village and post and policy and start and end
        parsed.append(
            ParsedRow(
                row=number,
                township=township,
                village=village,
                post=post,
                name=name,
                id_number=id_number,
                phone=phone,
                education=education,
                start=start,
                end=end,
                household=household,
                policy=policy,
                person=person,
            )
        )
    return parsed, errors


# The import service -------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def directors_import(*, file_name: str, content: bytes, by) -> ImportReport:
    """Import the directors in post of ``by``'s county from an .xlsx or .csv file, all or
    nothing (module docstring).

    Only a user with ``contracts.import_directors`` (county HR) may import, and only into
    their own county. Raises ImportFileError when the file as a whole is unusable; returns a
    report whose ``errors`` list every bad cell (and then nothing was written), or the counts
    of what was created. The file is read before anything is locked; then the county row is
    locked so that two imports of one county run one after the other, and the rows are
    checked against the records as they are at that moment.
    """
    if not by.has_perm(PERMISSION) or by.county is None:
        raise PermissionDenied(_("Only county HR officers may import the directors in post."))
    report = ImportReport(file_name=file_name, sha256=hashlib.sha256(content).hexdigest())
    table = read_table(file_name, content)
    report.rows = len(table.data)
    try:
        with transaction.atomic():
            county = lock(by.county)
            parsed, errors = validate_rows(county=county, table=table)
            errors = sorted([*table.errors, *errors], key=lambda e: e.row)
            if errors:
                report.errors = errors
                return report
            _write(parsed, report, county=county, by=by)
            audit_record(
                obj=county,
                action=AuditEntry.Action.IMPORT,
                by=by,
                after=report.summary(),
                reason=_("import of the directors in post: %(file)s") % {"file": file_name},
            )
    except _Rollback:
        report.clear_counts()
    return report


def _reason(report: ImportReport, row: ParsedRow) -> str:
    return _("Imported director in post: %(file)s, row %(row)s") % {
        "file": report.file_name,
        "row": row.row,
    }


def _person(row: ParsedRow, reason: str, by) -> tuple[Person, bool]:
    """The person of the row, created or brought up to date; and whether it is new."""
    household = row.household or (
        f"{row.township.county.name}{row.township.name}{row.village.name}"
    )
    if row.person is None:
        person = person_create(
            by=by,
            reason=reason,
            name=row.name,
            id_number=row.id_number,
            phone=row.phone,
            education=row.education,
            household_registration=household,
            township=row.township,
            village=row.village,
        )
        return person, True
    changes = {
        "name": row.name,
        "phone": row.phone,
        "education": row.education,
        "township": row.township,
        "village": row.village,
    }
    if row.household or not row.person.household_registration:
        changes["household_registration"] = household
    return person_update(person=row.person, by=by, reason=reason, **changes), False


def _write(parsed: list[ParsedRow], report: ImportReport, *, county: County, by) -> None:
    today = timezone.localdate()
    villages: dict[int, Village] = {}
    for row in parsed:
        reason = _reason(report, row)
        try:
            with transaction.atomic():
                person, created = _person(row, reason, by)
                contract = Contract(
                    person=person,
                    post=row.post,
                    township=row.township,
                    policy=row.policy,
                    state=ContractState.ACTIVE,
                    origin=ContractOrigin.IMPORT,
                    term_years=term_years_between(row.start, row.end),
                    start_date=row.start,
                    end_date=row.end,
                    monthly_pay=row.policy.monthly_pay,
                    induction_on=row.start,
                    induction_source=InductionSource.IMPORTED,
                    induction_note=_(
                        "Imported: in post before the system was used; filing and induction "
                        "were done on paper."
                    ),
                    activated_on=row.start,
                    created_by=by,
                )
                contract.save()
                audit_record(
                    obj=contract,
                    action=AuditEntry.Action.IMPORT,
                    by=by,
                    transition="import",
                    after=snapshot(contract),
                    reason=reason,
                )
                post_occupy(contract=contract, on=today, by=by)
        except (ValidationError, IntegrityError) as exc:
            message = (
                " ".join(exc.messages)
                if isinstance(exc, ValidationError)
                else _(
                    "The post or the person was taken by someone else while this file was "
                    "being imported. Nothing was imported; import the file again."
                )
            )
            report.errors.append(RowError(row.row, "", message))
            raise _Rollback from exc
        report.persons_created += created
        report.persons_updated += not created
        report.contracts_created += 1
        villages[row.village.pk] = row.village
    # Every active post of these villages still without a director is vacant from today.
    open_posts = Vacancy.objects.filter(state__in=OPEN_VACANCY_STATES).values("post_id")
    vacant = (
        Post.objects.filter(
            village__in=list(villages), status=PostStatus.ACTIVE, holder__isnull=True
        )
        .exclude(pk__in=open_posts)
        .select_related("village__township__county")
        .order_by("village_id", "number")
    )
    for post in vacant:
        vacancy_open(post=post, on=today, by=by, cause=VacancyCause.AT_IMPORT)
        report.vacancies_opened += 1
    report.villages = [v.name for v in villages.values()]
