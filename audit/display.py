"""How audit entries are shown on pages and in the admin: the changed fields, labelled, with
identity numbers masked."""

from django.utils.text import capfirst

from core.identity import mask_id_number, mask_mobile


def mask_birth_date(value: str) -> str:
    """Only the year: next to a masked ID number a full birth date would complete it."""
    return f"{str(value)[:4]}-**-**"


# Fields whose values are shown masked wherever an audit entry is displayed.
SENSITIVE_FIELDS = {
    "id_number": mask_id_number,
    "phone": mask_mobile,
    "birth_date": mask_birth_date,
}


def _field_labels(model) -> dict[str, str]:
    """Labels by attname (``township_id``) and by name (``township``, ``groups``): audit
    entries of most records are keyed by attname, those of users by name."""
    if model is None:
        return {}
    labels: dict[str, str] = {}
    for f in model._meta.get_fields():
        verbose_name = getattr(f, "verbose_name", None)
        if verbose_name is None:
            continue
        labels[f.name] = labels[getattr(f, "attname", f.name)] = capfirst(verbose_name)
    return labels


def _field_names(model) -> dict[str, str]:
    if model is None:
        return {}
    return {f.attname: f.name for f in model._meta.concrete_fields}


def mask_value(field_name: str, value):
    masker = SENSITIVE_FIELDS.get(field_name)
    if masker is None or value in (None, ""):
        return value
    return masker(str(value))


def audit_changes(entry) -> list[dict]:
    """The fields an audit entry changed, labelled, with ID and phone numbers masked."""
    model = entry.content_type.model_class()
    labels, names = _field_labels(model), _field_names(model)
    rows = []
    for key, before, after in entry.changes():
        name = names.get(key, key)
        rows.append(
            {
                "label": labels.get(key, key),
                "before": mask_value(name, before),
                "after": mask_value(name, after),
            }
        )
    return rows
