"""Forms of the agreement pages (``agreements.views``); each view hands the cleaned data to
one service of ``agreements.services``, which checks it again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import NormalisedForm

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceErrors:
    def add_service_error(self, error) -> None:
        """Attach the service's ValidationError to the fields it names, the rest to the form."""
        form: forms.Form = self  # type: ignore[assignment]
        if not hasattr(error, "error_dict"):
            form.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)


class TemplateForm(ServiceErrors, NormalisedForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year + 1


class LineForm(NormalisedForm):
    name = forms.CharField(label=_("Target"), max_length=100, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=16, required=False)
    default_value = forms.DecimalField(
        label=_("Default value for each village"), min_value=0, max_digits=9, required=False
    )
    assessment = forms.CharField(label=_("How it is assessed"), max_length=300, required=False)

    def clean(self):
        data = super().clean() or {}
        if data.get("name") and data.get("default_value") is None:
            self.add_error("default_value", _("Enter the default value of this target."))
        if not data.get("name") and (data.get("unit") or data.get("assessment")):
            self.add_error("name", _("Enter the name of this target, or clear the line."))
        return data


def line_formset(data=None, *, initial=None, blank: int = 3):
    initial = list(initial or [])
    formset = forms.formset_factory(LineForm, extra=blank, min_num=0, max_num=30, validate_max=True)
    return formset(data, initial=initial or None, prefix="lines")


class ValuesForm(ServiceErrors, NormalisedForm):
    """The village's value of each target line of an agreement."""

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        for index, line in enumerate(agreement.targets):
            label = line["name"] + (f"（{line['unit']}）" if line["unit"] else "")
            self.fields[f"value_{index}"] = forms.DecimalField(
                label=label,
                min_value=0,
                max_digits=12,
                initial=line["value"],
                help_text=_("County default: %(value)s") % {"value": line["default"]},
            )
        self.count = len(agreement.targets)

    def values(self) -> list:
        return [self.cleaned_data[f"value_{i}"] for i in range(self.count)]


class SignForm(ServiceErrors, NormalisedForm):
    township_signatory = forms.CharField(
        label=_("Signed for the township office by"), max_length=64
    )
    township_on = forms.DateField(label=_("Township office signed on"), widget=DATE_WIDGET)
    village_signatory = forms.CharField(
        label=_("Signed for the village committee by"), max_length=64
    )
    village_on = forms.DateField(label=_("Village committee signed on"), widget=DATE_WIDGET)
    director_on = forms.DateField(label=_("The director signed on"), widget=DATE_WIDGET)
