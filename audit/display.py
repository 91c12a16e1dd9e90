"""How audit entries read on the staff pages and in the admin.

``describe_entries(entries)`` turns audit entries into what a township clerk reads:

- the step by its name (the ``transition_labels`` of the record's model, e.g. "publicise" →
  公示拟聘用人员), never the code;
- every changed value under its field's name, with states and choices by their labels,
  referenced records by name (a user by display name, a village by its name: looked up in
  bulk, one query per referenced model for all the entries given), dates and times in the
  project's time zone (2026年10月16日 15:45), yes/no, lists and records as text;
- hashes shortened and storage details left out; ID and phone numbers masked, birth dates
  shown by year only.

How a model's values read is declared on the model, next to its fields:

- ``transition_labels``: ``{step name: label}`` for every name its audit entries carry in
  ``AuditEntry.transition`` (django-fsm transitions and the other recorded steps);
- ``audit_values``: ``{key: AuditValue(...)}`` for keys that are not fields (a campaign's
  ``offers``) or fields shown in their own way, or left out (``hidden=True``);
- ``audit_name_related``: relations to load with a referenced record so that naming it
  costs no further query.

Apps above a model add to these with ``register()`` (the campaign flow's task keys recorded
on a campaign). A step name is looked up on the entry's model first, then on every model, so
a document issued by the step "publicise" reads 公示拟聘用人员 as well.
"""

import datetime
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.identity import mask_id_number, mask_mobile
from core.text import join_list

# Values ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A record named in a value (``model`` as "app_label.modelname"), named once every
    reference of the page has been looked up."""

    model: str
    pk: Any


# What a value shows: text, a reference, or a sequence of both read one after the other.
Shown = str | Ref | list


@dataclass(frozen=True)
class AuditValue:
    """How one key of a model's audit values reads: its label (else the field's name) and a
    function from the stored value to what is shown (else by the field's type)."""

    label: Any = ""
    show: Callable[[Any], Shown] | None = None
    hidden: bool = False


def mask_birth_date(value: str) -> str:
    """Only the year: next to a masked ID number a full birth date would complete it."""
    return f"{str(value)[:4]}-**-**"


# Fields whose values are shown masked wherever an audit entry is displayed.
SENSITIVE_FIELDS = {
    "id_number": mask_id_number,
    "phone": mask_mobile,
    "birth_date": mask_birth_date,
}

# Steps several models record.
COMMON_TRANSITIONS: dict[str, Any] = {"delete": gettext_lazy("Delete")}

# Keys that several models' entries carry (the summaries of file imports).
COMMON_VALUES: dict[str, AuditValue] = {
    "id": AuditValue(hidden=True),
    "password": AuditValue(hidden=True),
    "file": AuditValue(gettext_lazy("File")),
    "rows": AuditValue(gettext_lazy("Rows read")),
    "created": AuditValue(gettext_lazy("Records created")),
    "updated": AuditValue(gettext_lazy("Records updated")),
    "unchanged": AuditValue(gettext_lazy("Records unchanged")),
    "scored": AuditValue(gettext_lazy("Scores recorded")),
    "absent": AuditValue(gettext_lazy("Absences recorded")),
    "corrected": AuditValue(gettext_lazy("Scores corrected")),
    # A list exported to Excel (web.exports)
    "export_list": AuditValue(gettext_lazy("List exported")),
    "export_filters": AuditValue(gettext_lazy("Filters")),
    "export_rows": AuditValue(gettext_lazy("Rows exported")),
    "export_full_numbers": AuditValue(gettext_lazy("Full numbers exported")),
}

HASH_LENGTH = 10
_HEX_HASH = re.compile(r"^[0-9a-f]{40,128}$")


def short_hash(value) -> str:
    """A SHA-256 (or any long hex digest) cut to its first characters: enough to compare
    with a printed document, without a line of hex on the page."""
    text = str(value or "")
    return f"{text[:HASH_LENGTH]}…" if len(text) > HASH_LENGTH else text


def local_datetime(value) -> str:
    """An aware datetime (or its ISO text) in the project's time zone, in the active
    language's format: 2026年10月16日 15:45."""
    if isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is None:
            return value
        value = parsed
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def local_date(value) -> str:
    """A date (or its ISO text) in the active language's format: 2026年10月16日."""
    if isinstance(value, str):
        parsed = parse_date(value)
        if parsed is None:
            return local_datetime(value)
        value = parsed
    if isinstance(value, datetime.datetime):
        return local_datetime(value)
    return date_format(value, "DATE_FORMAT")


def yes_no(value) -> str:
    return _("Yes") if value else _("No")


def names_of(model: str) -> Callable[[Any], Shown]:
    """A show function for a list of ids of ``model`` ("app_label.modelname"): the records'
    names."""

    def show(value) -> Shown:
        return listing(Ref(model, pk) for pk in value or [])

    return show


def listing(parts: Iterable[Shown]) -> list:
    """Parts read as a list, joined as ``core.text.join_list`` joins: 甲、乙、丙 in Chinese."""
    separator = join_list(["", ""])
    out: list = []
    for index, part in enumerate(parts):
        if index:
            out.append(separator)
        out.append(part)
    return out


# Models' declarations --------------------------------------------------------------------------

_registered_transitions: dict[type, dict[str, Any]] = defaultdict(dict)
_registered_values: dict[type, dict[str, AuditValue]] = defaultdict(dict)
_all_labels: dict[str, Any] = {}
_models: dict[type | None, "_Model"] = {}


def register(
    model: type[models.Model],
    *,
    transitions: dict[str, Any] | None = None,
    values: dict[str, AuditValue] | None = None,
) -> None:
    """Labels for steps and values recorded on ``model``'s entries by an app above it."""
    _registered_transitions[model].update(transitions or {})
    _registered_values[model].update(values or {})
    _all_labels.clear()
    _models.clear()


def transition_labels(model: type[models.Model] | None) -> dict[str, Any]:
    if model is None:
        return dict(COMMON_TRANSITIONS)
    return {
        **COMMON_TRANSITIONS,
        **getattr(model, "transition_labels", {}),
        **_registered_transitions.get(model, {}),
    }


def all_transition_labels() -> dict[str, Any]:
    """Every model's step labels (the first model declaring a name wins)."""
    if not _all_labels:
        for model in apps.get_models():
            for name, label in transition_labels(model).items():
                _all_labels.setdefault(name, label)
    return _all_labels


def transition_label(model: type[models.Model] | None, name: str) -> str:
    """The step ``name`` as people say it; the code itself only for a name no model
    declares (a test keeps every recorded name declared)."""
    if not name:
        return ""
    label = transition_labels(model).get(name) or all_transition_labels().get(name)
    return str(label) if label else name


def _values(model: type[models.Model] | None) -> dict[str, AuditValue]:
    if model is None:
        return dict(COMMON_VALUES)
    return {
        **COMMON_VALUES,
        **getattr(model, "audit_values", {}),
        **_registered_values.get(model, {}),
    }


@dataclass
class _Model:
    """What the display needs to know about one model, computed once."""

    fields: dict[str, models.Field]  # by attname and by name
    order: dict[str, int]
    values: dict[str, AuditValue]

    @classmethod
    def of(cls, model: type[models.Model] | None) -> "_Model":
        fields: dict[str, models.Field] = {}
        order: dict[str, int] = {}
        if model is not None:
            # Entries of most records are keyed by attname (``township_id``), those of users
            # also by name, many-to-many fields included (``groups``).
            for index, f in enumerate([*model._meta.concrete_fields, *model._meta.many_to_many]):
                fields[f.attname] = f
                fields[f.name] = f
                order[f.attname] = order[f.name] = index
        return cls(fields, order, _values(model))


def _model_info(model: type[models.Model] | None) -> _Model:
    if model not in _models:
        _models[model] = _Model.of(model)
    return _models[model]


def _field_value(f: models.Field, value) -> Shown:
    """A stored value of field ``f`` as people read it."""
    if value is None or value == "":
        return ""
    if f.name in SENSITIVE_FIELDS:
        return SENSITIVE_FIELDS[f.name](str(value))
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    related = f.related_model
    if f.is_relation and related is not None and not isinstance(related, str):
        # Ids are named by the record; a service that recorded the name itself (a user's
        # township, permissions) is shown as written.
        label = related._meta.label_lower
        if isinstance(value, list | tuple):
            return listing(Ref(label, pk) if _is_id(pk) else str(pk) for pk in value)
        return Ref(label, value) if _is_id(value) else str(value)
    if isinstance(f, models.DateTimeField):
        return local_datetime(value)
    if isinstance(f, models.DateField):
        return local_date(value)
    if isinstance(f, models.BooleanField):
        return yes_no(value) if isinstance(value, bool) else str(value)
    if isinstance(f, models.DecimalField):
        return _decimal(value)
    return _plain(value)


def _is_id(value) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, str) and value.isdigit()
    )


def _decimal(value) -> str:
    try:
        return str(Decimal(str(value)))
    except InvalidOperation:
        return str(value)


def _plain(value) -> Shown:
    """A value no declaration describes: text, with lists and records read as text and long
    hex digests shortened."""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, list | tuple):
        return listing(_plain(v) for v in value)
    if isinstance(value, dict):
        return listing([f"{k}: ", _plain(v)] for k, v in value.items())
    text = str(value)
    if _HEX_HASH.match(text):
        return short_hash(text)
    return text


# Entries ---------------------------------------------------------------------------------------


@dataclass
class Change:
    label: str
    before: Shown
    after: Shown


@dataclass
class EntryView:
    """One audit entry as a page shows it."""

    entry: Any
    record_type: str  # the kind of record, e.g. 选聘
    what: str
    changes: list[Change] = field(default_factory=list)
    record: Shown = ""  # the record's name: as stored, or a user by display name

    @property
    def created(self) -> bool:
        """A creation lists the values only: there was nothing before."""
        return self.entry.action == "create"

    @property
    def record_name(self) -> str:
        return str(self.record or self.entry.object_repr)


def _changes(entry, info: _Model) -> list[Change]:
    rows: list[tuple[int, str, Change]] = []
    for key, before, after in entry.changes():
        declared = info.values.get(key)
        f = info.fields.get(key)
        if declared is not None and declared.hidden:
            continue
        if declared is not None and declared.label:
            label = str(capfirst(declared.label))
        elif f is not None:
            label = str(capfirst(f.verbose_name))
        else:
            label = key
        if declared is not None and declared.show is not None:
            show: Callable[[Any], Shown] = declared.show
        elif f is not None:
            show = functools.partial(_field_value, f)
        else:
            show = _plain

        def shown(value, show=show) -> Shown:
            return "" if value is None or value == "" or value == [] else show(value)

        old, new = shown(before), shown(after)
        if old in ("", []) and new in ("", []):
            continue  # empty before and after (None and "" differ only in storage)
        rows.append((info.order.get(key, 10_000), key, Change(label, old, new)))
    rows.sort(key=lambda row: (row[0], row[1]))
    return [change for _order, _key, change in rows]


def _what(entry, model) -> str:
    action = str(entry.get_action_display())
    if not entry.transition:
        return action
    return f"{action} · {transition_label(model, entry.transition)}"


def describe_entries(entries: Iterable) -> list[EntryView]:
    """What each of ``entries`` shows, with every record they name looked up in bulk."""
    views = []
    for entry in entries:
        content_type = ContentType.objects.get_for_id(entry.content_type_id)
        model = content_type.model_class()
        views.append(
            EntryView(
                entry,
                str(content_type.name),
                _what(entry, model),
                _changes(entry, _model_info(model)),
                # A user's record is named by display name, not by the stored username.
                Ref(model._meta.label_lower, entry.object_id)
                if model is not None and hasattr(model, "display_name")
                else "",
            )
        )
    _resolve(views)
    return views


def audit_changes(entry) -> list[dict]:
    """The fields one audit entry changed, as text (the admin, single entries)."""
    (view,) = describe_entries([entry])
    return [{"label": c.label, "before": c.before, "after": c.after} for c in view.changes]


# Naming referenced records in bulk --------------------------------------------------------------


def _refs(shown: Shown, found: dict[str, set]) -> None:
    if isinstance(shown, Ref):
        found[shown.model].add(shown.pk)
    elif isinstance(shown, list):
        for part in shown:
            _refs(part, found)


def record_name(obj) -> str:
    """How a referenced record is named: its ``audit_name``, a user's display name, else its
    ``name`` or text."""
    for attr in ("audit_name", "display_name", "name"):
        value = getattr(obj, attr, None)
        if isinstance(value, str) and value:
            return value
    return str(obj)


def _render(shown: Shown, names: dict[tuple[str, Any], str]) -> str:
    if isinstance(shown, Ref):
        return names.get((shown.model, shown.pk)) or _("(deleted record)")
    if isinstance(shown, list):
        return "".join(_render(part, names) for part in shown)
    return str(shown)


def _resolve(views: list[EntryView]) -> None:
    found: dict[str, set] = defaultdict(set)
    for view in views:
        _refs(view.record, found)
        for change in view.changes:
            _refs(change.before, found)
            _refs(change.after, found)
    names: dict[tuple[str, Any], str] = {}
    for label, pks in found.items():
        model = apps.get_model(label)
        keys = set()
        for pk in pks:
            try:
                keys.add(model._meta.pk.to_python(pk))
            except Exception:
                continue
        related = getattr(model, "audit_name_related", ())
        records = model._base_manager.select_related(*related).in_bulk(keys)
        for pk in pks:
            try:
                obj = records.get(model._meta.pk.to_python(pk))
            except Exception:
                obj = None
            if obj is not None:
                names[(label, pk)] = record_name(obj)
    for view in views:
        if isinstance(view.record, Ref):
            view.record = names.get((view.record.model, view.record.pk), "")
        for change in view.changes:
            change.before = _render(change.before, names)
            change.after = _render(change.after, names)
