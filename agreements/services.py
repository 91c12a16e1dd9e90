"""Writing agreements, one transaction each: checks, change, audit row, paperwork.

- ``template_create`` / ``template_update``: the county's template for a year (county HR). A
  new template for a year that has one is its next version; a version that an agreement uses
  is locked.
- ``agreements_draft_for_township``: one agreement per director in post in the township for
  the year, from the latest version of the county's template, each printed for signing.
  Idempotent: a director who has the year's agreement gets no second one.
- ``agreement_set_values``: the township adjusts the village's values before signing.
- ``agreement_sign``: the three parties' signatures (names and dates) are recorded, and the
  signed agreement is printed.

Every refusal is a ``ValidationError`` (or ``PermissionDenied``) with a sentence saying what
is wrong, keyed by the field when it is about one; nothing is changed then.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from agreements.constants import AgreementState
from agreements.models import AgreementTemplate, TargetAgreement, TemplateLine
from audit.models import AuditEntry
from audit.services import audit_record, audited_transition, audited_update, snapshot
from contracts.constants import IN_FORCE_STATES
from contracts.models import Contract
from core.normalise import clean_text
from core.services import lock, require_permission
from paperwork.table import issue_for
from paperwork.templatetags.paperwork import cn_date
from policy.selectors import NoPolicyInForce, policy_in_force

ADD_TEMPLATE = "agreements.add_agreementtemplate"
CHANGE_TEMPLATE = "agreements.change_agreementtemplate"
MANAGE = "agreements.manage_agreement"
CENT = Decimal("0.01")
MAX_VALUE = Decimal("9999999.99")
FIRST_YEAR = 2000


@dataclass(frozen=True)
class Line:
    """A target line as the county enters it."""

    name: str
    unit: str = ""
    default_value: Decimal | str | int | None = None
    assessment: str = ""


def _text(value, *, field: str, label: str, max_length: int, required: bool) -> str:
    text = clean_text(value, label=label) if value is not None else ""
    text = " ".join(text.split())
    if required and not text:
        raise ValidationError({field: _("Enter %(what)s.") % {"what": label}})
    if len(text) > max_length:
        raise ValidationError(
            {
                field: _("“%(what)s” is longer than %(n)s characters.")
                % {"what": label, "n": max_length}
            }
        )
    return text


def target_value(value, *, field: str, label: str) -> Decimal:
    """``value`` as a target: a number from 0 to 9,999,999.99, rounded half-up to the cent."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError({field: _("Enter the value of “%(what)s”.") % {"what": label}})
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise ValidationError(
            {field: _("The value of “%(what)s” is not a number.") % {"what": label}}
        )
    number = number.quantize(CENT, rounding=ROUND_HALF_UP)
    if number < 0 or number > MAX_VALUE:
        raise ValidationError(
            {
                field: _("The value of “%(what)s” must be from 0 to %(max)s.")
                % {"what": label, "max": "9999999.99"}
            }
        )
    return number


def _year(year, *, today: datetime.date) -> int:
    if not isinstance(year, int) or not FIRST_YEAR <= year <= today.year + 1:
        raise ValidationError(
            {
                "year": _("The year must be from %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": today.year + 1}
            }
        )
    return year


def _lines(lines) -> list[dict]:
    """The template's lines checked: at least one, each with a name (unique), a unit, a
    default value and how it is assessed."""
    lines = list(lines or [])
    if not lines:
        raise ValidationError({"lines": _("Enter at least one target line.")})
    checked, names = [], set()
    for number, line in enumerate(lines, start=1):
        field = f"lines-{number - 1}"
        name = _text(
            line.name,
            field=field,
            label=_("the name of target line %(n)s") % {"n": number},
            max_length=100,
            required=True,
        )
        if name in names:
            raise ValidationError(
                {field: _("The target “%(name)s” is entered twice.") % {"name": name}}
            )
        names.add(name)
        checked.append(
            {
                "name": name,
                "unit": _text(
                    line.unit,
                    field=field,
                    label=_("the unit of “%(name)s”") % {"name": name},
                    max_length=16,
                    required=False,
                ),
                "default_value": target_value(line.default_value, field=field, label=name),
                "assessment": _text(
                    line.assessment,
                    field=field,
                    label=_("how “%(name)s” is assessed") % {"name": name},
                    max_length=300,
                    required=False,
                ),
            }
        )
    return checked


def _line_rows(template: AgreementTemplate, lines: list[dict]) -> list[dict]:
    TemplateLine.objects.bulk_create(
        TemplateLine(template=template, order=order, **line)
        for order, line in enumerate(lines, start=1)
    )
    return [{**line, "default_value": str(line["default_value"])} for line in lines]


@transaction.atomic
def template_create(*, county, year: int, title: str, lines, by) -> AgreementTemplate:
    """A county's template for ``year`` with its target lines; the year's next version when
    it already has one. County HR of the county only."""
    require_permission(
        by,
        ADD_TEMPLATE,
        county,
        message=_("Only a county HR officer of %(county)s may set its agreement templates.")
        % {"county": county.name},
    )
    year = _year(year, today=timezone.localdate())
    title = _text(title, field="title", label=_("the title"), max_length=200, required=True)
    checked = _lines(lines)
    latest = AgreementTemplate.objects.select_for_update().filter(county=county, year=year)
    version = (latest.aggregate(top=Max("version"))["top"] or 0) + 1
    template = AgreementTemplate.objects.create(
        county=county, year=year, version=version, title=title, created_by=by
    )
    after = snapshot(template)
    after["lines"] = _line_rows(template, checked)
    audit_record(obj=template, action=AuditEntry.Action.CREATE, by=by, after=after)
    return template


@transaction.atomic
def template_update(*, template: AgreementTemplate, title: str, lines, by) -> AgreementTemplate:
    """Change a template's title and lines while no agreement uses it; a used version is
    locked (make a new version instead)."""
    require_permission(
        by,
        CHANGE_TEMPLATE,
        template,
        message=_("Only a county HR officer of the county may change its agreement templates."),
    )
    template = lock(template)
    if template.agreements.exists():
        raise ValidationError(
            _(
                "Agreements were already drafted from this template, so it is locked. Create "
                "a new version for %(year)s instead; nothing was changed."
            )
            % {"year": template.year}
        )
    title = _text(title, field="title", label=_("the title"), max_length=200, required=True)
    checked = _lines(lines)
    before = snapshot(template, ["title"])
    before["lines"] = [
        {
            "name": line.name,
            "unit": line.unit,
            "default_value": str(line.default_value),
            "assessment": line.assessment,
        }
        for line in template.lines.all()
    ]
    template.title = title
    template.save(update_fields=["title"])
    template.lines.all().delete()
    after = {"title": title, "lines": _line_rows(template, checked)}
    audit_record(obj=template, action=AuditEntry.Action.UPDATE, by=by, before=before, after=after)
    return template


def template_for(*, county, year: int) -> AgreementTemplate | None:
    """The latest version of ``county``'s template for ``year``."""
    return (
        AgreementTemplate.objects.filter(county=county, year=year)
        .order_by("-version")
        .prefetch_related("lines")
        .first()
    )


def directors_in_post(township, year: int):
    """The contracts in force in ``township`` whose term overlaps ``year``: one per director
    in post (the database allows one contract in force per person)."""
    return (
        Contract.objects.filter(
            township=township,
            state__in=IN_FORCE_STATES,
            start_date__lte=datetime.date(year, 12, 31),
            end_date__gte=datetime.date(year, 1, 1),
        )
        .select_related("person", "post__village")
        .order_by("post__village__name_pinyin", "post__number", "pk")
    )


@transaction.atomic
def agreements_draft_for_township(
    *, township, year: int, by, on: datetime.date | None = None
) -> list[TargetAgreement]:
    """Draft the year's agreement of every director in post in ``township`` who has none,
    from the latest version of the county's template with its default values, and print each
    for signing. ``on`` is the day it was drafted (today unless an agreement drafted on paper
    earlier is recorded). Returns the agreements drafted now (none when all exist)."""
    require_permission(
        by,
        MANAGE,
        township,
        message=_("Only the office or committee of %(township)s may draft its agreements.")
        % {"township": township.name},
    )
    today = timezone.localdate()
    year = _year(year, today=today)
    on = on or today
    if on > today:
        raise ValidationError(
            {"on": _("The drafting date (%(date)s) is in the future.") % {"date": cn_date(on)}}
        )
    if on.year < year - 1:
        raise ValidationError(
            {
                "on": _("An agreement for %(year)s is not drafted before %(first)s.")
                % {"year": year, "first": cn_date(datetime.date(year - 1, 1, 1))}
            }
        )
    county = township.county
    template = template_for(county=county, year=year)
    if template is None:
        raise ValidationError(
            _(
                "%(county)s has no agreement template for %(year)s yet: the county HR office "
                "sets it first. Nothing was drafted."
            )
            % {"county": county.name, "year": year}
        )
    try:
        policy = policy_in_force(county=county, on=on)
    except NoPolicyInForce as exc:
        raise ValidationError(str(exc)) from exc
    lock(township)  # two officers drafting at once: the second finds the first's agreements
    contracts = list(directors_in_post(township, year))
    have = set(
        TargetAgreement.objects.filter(
            year=year, person_id__in=[c.person_id for c in contracts]
        ).values_list("person_id", flat=True)
    )
    targets = [
        {
            "name": line.name,
            "unit": line.unit,
            "default": str(line.default_value),
            "value": str(line.default_value),
            "assessment": line.assessment,
        }
        for line in template.lines.all()
    ]
    drafted = []
    for contract in contracts:
        if contract.person_id in have:
            continue
        agreement = TargetAgreement(
            template=template,
            township=township,
            village=contract.post.village,
            person=contract.person,
            contract=contract,
            policy=policy,
            year=year,
            targets=[dict(line) for line in targets],
            drafted_on=on,
            drafted_by=by,
        )
        agreement.save()
        audit_record(
            obj=agreement,
            action=AuditEntry.Action.CREATE,
            by=by,
            after=snapshot(agreement),
            transition="draft",
        )
        issue_for(agreement, "draft", by=by)
        drafted.append(agreement)
    return drafted


def _locked(agreement: TargetAgreement) -> TargetAgreement:
    """The agreement's row locked; a submission made on a copy whose state has changed since
    the page was read is refused."""
    current = lock(agreement, related=("person", "village", "township__county", "policy"))
    if current.state != agreement.state:
        raise ValidationError(
            _(
                "Someone else changed this agreement meanwhile: it is now “%(state)s”. Reload "
                "the page and check it; nothing was changed."
            )
            % {"state": current.get_state_display()}
        )
    return current


def _require_manage(by, agreement: TargetAgreement) -> None:
    require_permission(
        by,
        MANAGE,
        agreement,
        message=_("Only the office or committee of %(township)s may change its agreements.")
        % {"township": agreement.township.name},
    )


def _require_drafted(agreement: TargetAgreement, action: str) -> None:
    if agreement.state != AgreementState.DRAFTED:
        raise ValidationError(
            _(
                "%(action)s is possible only before the agreement is signed; this one was "
                "signed on %(date)s. Nothing was changed."
            )
            % {"action": action, "date": cn_date(agreement.director_signed_on)}
        )


@transaction.atomic
def agreement_set_values(*, agreement: TargetAgreement, values, by) -> TargetAgreement:
    """Set the village's value of each target line (``values`` in the lines' order) before
    signing, and print the agreement again for signing. Nothing is printed when no value
    changed."""
    _require_manage(by, agreement)
    agreement = _locked(agreement)
    _require_drafted(agreement, _("Changing the targets"))
    values = list(values or [])
    lines = agreement.targets
    if len(values) != len(lines):
        raise ValidationError(
            _("Enter a value for each of the %(n)s targets; nothing was changed.")
            % {"n": len(lines)}
        )
    targets = []
    for index, (line, value) in enumerate(zip(lines, values, strict=True)):
        number = target_value(value, field=f"value_{index}", label=line["name"])
        targets.append({**line, "value": str(number)})
    if targets == lines:
        return agreement
    audited_update(agreement, {"targets": targets}, by=by, transition="set_values")
    issue_for(agreement, "set_values", by=by)
    return agreement


def _signatory(value, *, field: str, label: str) -> str:
    return _text(value, field=field, label=label, max_length=64, required=True)


def _signed_day(value, *, field: str, label: str, drafted: datetime.date, today) -> None:
    if value is None:
        raise ValidationError({field: _("Enter the date %(what)s.") % {"what": label}})
    if value > today:
        raise ValidationError(
            {
                field: _("The date %(what)s (%(date)s) is in the future.")
                % {"what": label, "date": cn_date(value)}
            }
        )
    if value < drafted:
        raise ValidationError(
            {
                field: _(
                    "The date %(what)s (%(date)s) is before the agreement was drafted "
                    "(%(drafted)s)."
                )
                % {"what": label, "date": cn_date(value), "drafted": cn_date(drafted)}
            }
        )


@transaction.atomic
def agreement_sign(
    *,
    agreement: TargetAgreement,
    township_signatory: str,
    township_on: datetime.date | None,
    village_signatory: str,
    village_on: datetime.date | None,
    director_on: datetime.date | None,
    by,
) -> TargetAgreement:
    """Record the three parties' signatures: who signed for the township office and the
    village committee and when, and when the director signed; all three dates are required,
    none in the future nor before the agreement was drafted. Prints the signed agreement,
    superseding the print for signing."""
    _require_manage(by, agreement)
    agreement = _locked(agreement)
    _require_drafted(agreement, _("Recording the signatures"))
    township_signatory = _signatory(
        township_signatory,
        field="township_signatory",
        label=_("the name of who signed for the township office"),
    )
    village_signatory = _signatory(
        village_signatory,
        field="village_signatory",
        label=_("the name of who signed for the village committee"),
    )
    today = timezone.localdate()
    for value, field, label in (
        (township_on, "township_on", _("the township office signed")),
        (village_on, "village_on", _("the village committee signed")),
        (director_on, "director_on", pgettext("agreement", "the director signed")),
    ):
        _signed_day(value, field=field, label=label, drafted=agreement.drafted_on, today=today)
    with audited_transition(agreement, "sign", by=by):
        agreement.sign(
            township_signatory=township_signatory,
            township_on=township_on,
            village_signatory=village_signatory,
            village_on=village_on,
            director_on=director_on,
            by=by,
        )
    issue_for(agreement, "sign", by=by)
    return agreement
