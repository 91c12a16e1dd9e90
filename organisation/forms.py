"""Forms of the organisation pages: changing a population and importing villages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import NormalisedForm
from core.tabular import ImportFileError, check_file_name, check_file_size
from organisation.importing import (
    MAX_POPULATION,
    CellError,
    check_default_date,
    parse_population,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PopulationField(forms.Field):
    """A registered population, read by the parser the village import uses
    (``organisation.importing.parse_population``): digits 0–9 only, 0 to ``MAX_POPULATION``."""

    widget = forms.NumberInput

    def to_python(self, value) -> int | None:
        if value in self.empty_values:
            return None
        try:
            return parse_population(value)
        except CellError as exc:
            raise ValidationError(str(exc), code="invalid") from exc

    def widget_attrs(self, widget) -> dict:
        return {**super().widget_attrs(widget), "min": 0, "max": MAX_POPULATION}


class PopulationChangeForm(NormalisedForm):
    """A new registered population of one village, with the date it is valid from."""

    registered_population = PopulationField(label=_("Registered population"))
    effective_date = forms.DateField(
        label=_("Date of the figure"),
        widget=DateInput(),
        help_text=_("The date the population figure is valid from."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("For example: annual figure from the population information system."),
    )

    # Service error keys → fields of this form.
    SERVICE_FIELDS = {
        "registered_population": "registered_population",
        "population_effective_date": "effective_date",
    }

    def clean_effective_date(self):
        value = self.cleaned_data["effective_date"]
        if value > timezone.localdate():
            raise ValidationError(_("The date of a population figure cannot be in the future."))
        return value

    def add_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for key, messages in error.message_dict.items():
                self.add_error(self.SERVICE_FIELDS.get(key), messages)
        else:
            self.add_error(None, error.messages)


class VillageImportForm(NormalisedForm):
    """An .xlsx or .csv file of villages and the date its figures are valid from."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file of at most 5 MB."),
    )
    effective_date = forms.DateField(
        label=_("Date of the population figures"),
        widget=DateInput(),
        help_text=_("Used for every row that has no date of its own."),
    )

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.county = county

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_file_name(upload.name)
            check_file_size(upload.size)
        except ImportFileError as exc:
            raise ValidationError(exc.message) from exc
        return upload

    def clean_effective_date(self):
        value = self.cleaned_data["effective_date"]
        check_default_date(county=self.county, on=value)
        return value
