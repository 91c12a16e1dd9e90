"""The forms of the training pages; each submits to one service (``training.services``,
``training.importing``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NormalisedForm
from core.tabular import ImportFileError, check_file_name, check_file_size
from training.constants import COUNTY_KINDS, CourseKind
from training.importing import MAX_FILE_BYTES, MAX_LINES


class CourseForm(NormalisedForm):
    kind = forms.ChoiceField(label=_("Kind of course"), choices=CourseKind.choices)
    title = forms.CharField(label=_("Course title"), max_length=120)
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    days = forms.DecimalField(
        label=_("Days"),
        max_digits=4,
        decimal_places=1,
        min_value=0,
        help_text=_("To one decimal, e.g. 3 or 0.5."),
    )
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=1, min_value=0)
    venue = forms.CharField(label=_("Training venue"), max_length=120, required=False)
    organiser = forms.CharField(label=_("Organiser"), max_length=120, required=False)
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, county_kinds: bool, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = COUNTY_KINDS if county_kinds else [CourseKind.TOWNSHIP_SESSION]
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(k.value, k.label) for k in kinds]


class AttendanceListForm(NormalisedForm):
    names = forms.CharField(
        label=_("Names or ID numbers, one per line"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("At most %(max)s lines.") % {"max": MAX_LINES},
    )
    days = forms.DecimalField(
        label=_("Days attended"),
        max_digits=4,
        decimal_places=1,
        min_value=0,
        required=False,
        help_text=_("Leave empty when everyone attended the whole course."),
    )


class AttendanceUploadForm(NormalisedForm):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file of at most %(mb)s MB.")
        % {"mb": MAX_FILE_BYTES // 1024 // 1024},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_file_name(upload.name)
            check_file_size(upload.size, MAX_FILE_BYTES)
        except ImportFileError as exc:
            raise forms.ValidationError(exc.message) from exc
        return upload


class AttendanceTickForm(NormalisedForm):
    persons = forms.TypedMultipleChoiceField(
        label=_("Directors who attended"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        persons = self.fields["persons"]
        assert isinstance(persons, forms.ChoiceField)
        persons.choices = choices
