"""The one way text typed into a form reaches a field: through ``core.normalise``.

Every form of the project mixes in ``NormalisedFormMixin`` (``tests/test_hostile_text.py``
walks every form class and checks). Before the fields are cleaned, every value of the
submitted data is normalised (``core.normalise``): invisible characters go, full-width digits
and letters become ASCII, spaces are folded. Then:

- a value with a control character or a character the documents cannot print gets an error
  on its field, naming the field;
- a number field (``IntegerField``, ``DecimalField``, ``FloatField``) accepts only the digits
  0–9 with a decimal point and a minus sign: Python's ``int()`` and ``Decimal()`` would also
  take ``1_0``, ``1e2`` and Arabic-Indic ``٨٠``.

A ``Textarea`` keeps its line breaks; password fields are left exactly as typed. The page
shows the normalised text when the form comes back with errors.
"""

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.normalise import PLAIN_NUMBER, clean_text, normalise_text

# Django's Chinese catalogue ends every form label with an ASCII colon (its msgid ":", which
# forms and the admin translate as their label suffix). The project's catalogue is read
# first: it gives the full-width one, "姓名：", to every form of the site and of the admin.
LABEL_SUFFIX = gettext_noop(":")


def _field_for(form: forms.BaseForm, key: str):
    """The (name, field) whose widget reads the data key ``key``, or None."""
    for name, field in form.fields.items():
        html_name = form.add_prefix(name)
        if key == html_name or (
            isinstance(field.widget, forms.MultiWidget) and key.startswith(f"{html_name}_")
        ):
            return name, field
    return None


class NormalisedFormMixin:
    """Normalises the submitted data before the fields see it (module docstring). Put it
    first among the bases: ``class MyForm(NormalisedFormMixin, forms.Form)``."""

    def full_clean(self) -> None:
        form: forms.BaseForm = self  # type: ignore[assignment]
        problems: dict[str, list[str]] = {}
        if form.is_bound:
            form.data = self._normalised_data(problems)
        super().full_clean()  # type: ignore[misc]
        for name, messages in problems.items():
            form.errors.pop(name, None)  # the specific reason replaces the field's own
            form.add_error(name, messages)

    def _normalised_data(self, problems: dict[str, list[str]]):
        form: forms.BaseForm = self  # type: ignore[assignment]
        data = form.data
        if isinstance(data, MultiValueDict):
            items = list(data.lists())
            result: MultiValueDict | dict = data.copy()
        else:
            items = [(key, value) for key, value in data.items()]
            result = dict(data)
        for key, values in items:
            found = _field_for(form, key)
            many = isinstance(values, list | tuple)
            cleaned = [
                self._normalised_value(value, found, problems)
                for value in (values if many else [values])
            ]
            if isinstance(result, MultiValueDict):
                result.setlist(key, cleaned)
            else:
                result[key] = cleaned if many else cleaned[0]
        return result

    def _normalised_value(self, value, found, problems: dict[str, list[str]]):
        if not isinstance(value, str):
            return value
        if found is None:
            return normalise_text(value)
        name, field = found
        if isinstance(field.widget, forms.PasswordInput):
            return value
        multiline = isinstance(field.widget, forms.Textarea)
        label = field.label or name
        try:
            text = clean_text(value, label=label, multiline=multiline)
        except forms.ValidationError as exc:
            problems.setdefault(name, []).extend(exc.messages)
            return normalise_text(value, multiline=multiline)
        if isinstance(field, forms.IntegerField) and text and not PLAIN_NUMBER.fullmatch(text):
            problems.setdefault(name, []).append(
                _(
                    "“%(field)s” must be a number written with the digits 0–9 (and a decimal "
                    "point), without spaces or other signs; “%(value)s” is not."
                )
                % {"field": label, "value": text}
            )
        return text


class NormalisedForm(NormalisedFormMixin, forms.Form):
    """A ``forms.Form`` whose data is normalised (module docstring)."""


class NormalisedModelForm(NormalisedFormMixin, forms.ModelForm):
    """A ``forms.ModelForm`` whose data is normalised: the admin's edit forms."""
