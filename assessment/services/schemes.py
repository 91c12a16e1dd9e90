"""The county's scoring scheme of a year (四并: quality and level, routine and year-end,
quantitative and qualitative, bonus and deduction items).

A scheme is saved whole, items and all, in one transaction. Its scored items add up to the
policy's monthly maximum; a version a month has used is never changed: saving it again makes
the next version, which the months opened from then on use (each score keeps the version it
was given). ``scheme_copy`` starts a year from the previous year's scheme."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.constants import ItemBasis, ItemKind, ItemNature
from assessment.models import ScoringItem, ScoringScheme
from assessment.selectors import scheme_in_use, scheme_used
from audit.models import AuditEntry
from audit.services import audit_record
from policy.selectors import NoPolicyInForce, policy_in_force

PERMISSION = "assessment.add_scoringscheme"


def _check_items(items: list[dict], *, most: int) -> list[dict]:
    if not items:
        raise ValidationError(_("A scheme needs at least one item."))
    names: set[str] = set()
    scored = Decimal(0)
    clean = []
    for order, item in enumerate(items, start=1):
        name = " ".join(str(item.get("name", "")).split())
        if not name:
            raise ValidationError(_("Item %(n)s has no name.") % {"n": order})
        if name in names:
            raise ValidationError(_("Two items are called “%(item)s”.") % {"item": name})
        names.add(name)
        if item.get("kind") not in ItemKind.values:
            raise ValidationError(_("Choose the kind of “%(item)s”.") % {"item": name})
        if item.get("nature") not in ItemNature.values:
            raise ValidationError(_("Choose the nature of “%(item)s”.") % {"item": name})
        if item.get("basis") not in ItemBasis.values:
            raise ValidationError(_("Choose the basis of “%(item)s”.") % {"item": name})
        try:
            points = Decimal(str(item.get("max_points")))
        except Exception as exc:
            raise ValidationError(
                _("The most points of “%(item)s” are not a number.") % {"item": name}
            ) from exc
        if not points.is_finite() or points <= 0 or points > most:
            raise ValidationError(
                _("The most points of “%(item)s” must be above 0 and at most %(max)s.")
                % {"item": name, "max": most}
            )
        if points != points.quantize(Decimal("0.01")):
            raise ValidationError(
                _("The most points of “%(item)s” have more than two decimals.") % {"item": name}
            )
        if item["kind"] == ItemKind.SCORED:
            scored += points
        clean.append(
            {
                "order": order,
                "name": name,
                "kind": item["kind"],
                "nature": item["nature"],
                "basis": item["basis"],
                "max_points": points,
                "guidance": str(item.get("guidance", "")).strip(),
            }
        )
    if scored != most:
        raise ValidationError(
            _("The scored items add up to %(sum)s points; they must add up to %(max)s.")
            % {"sum": scored.normalize(), "max": most}
        )
    return clean


@transaction.atomic
def scheme_save(
    *, county, year: int, title: str, items: list[dict], note: str = "", by
) -> ScoringScheme:
    """Save the year's scheme with ``items`` (name, kind, nature, basis, max_points,
    guidance): the current version changed in place while no month has used it, otherwise
    a new version."""
    if not (by.has_perm(PERMISSION) and getattr(by, "county_id", None) == county.pk):
        raise PermissionDenied(_("Only county HR sets the county's scoring scheme."))
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year.")})
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Give the scheme a title.")})
    try:
        policy = policy_in_force(county=county, on=max(timezone.localdate(), _first(year)))
    except NoPolicyInForce as exc:
        raise ValidationError(str(exc)) from exc
    clean = _check_items(items, most=policy.monthly_score_max)
    # Lock the year's versions: two officers saving at once make two versions in turn.
    list(ScoringScheme.objects.select_for_update().filter(county=county, year=year))
    current = scheme_in_use(county=county, year=year)
    if current is not None and not scheme_used(current):
        scheme = current
        scheme.title, scheme.note = title, note.strip()
        scheme.save(update_fields=["title", "note"])
        scheme.items.all().delete()
        action = AuditEntry.Action.UPDATE
    else:
        scheme = ScoringScheme.objects.create(
            county=county,
            year=year,
            version=(current.version + 1) if current else 1,
            title=title,
            note=note.strip(),
            created_by=by,
        )
        action = AuditEntry.Action.CREATE
    ScoringItem.objects.bulk_create([ScoringItem(scheme=scheme, **item) for item in clean])
    audit_record(
        obj=scheme,
        action=action,
        by=by,
        after={
            "year": year,
            "version": scheme.version,
            "title": title,
            "items": [
                f"{i['name']} ({ItemKind(i['kind']).label} {i['max_points']})" for i in clean
            ],
        },
    )
    return scheme


def _first(year: int):
    import datetime

    return datetime.date(year, 1, 1)


def scheme_items(scheme: ScoringScheme) -> list[dict]:
    return [
        {
            "name": item.name,
            "kind": item.kind,
            "nature": item.nature,
            "basis": item.basis,
            "max_points": item.max_points,
            "guidance": item.guidance,
        }
        for item in scheme.items.all()
    ]


@transaction.atomic
def scheme_copy(*, county, year: int, by) -> ScoringScheme:
    """Start ``year``'s scheme from the previous year's (its highest version)."""
    previous = scheme_in_use(county=county, year=year - 1)
    if previous is None:
        raise ValidationError(_("%(year)s has no scheme to copy.") % {"year": year - 1})
    if scheme_in_use(county=county, year=year) is not None:
        raise ValidationError(_("%(year)s already has a scheme.") % {"year": year})
    return scheme_save(
        county=county,
        year=year,
        title=previous.title.replace(str(year - 1), str(year)),
        items=scheme_items(previous),
        note=previous.note,
        by=by,
    )
