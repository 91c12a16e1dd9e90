"""Forms of the exam pages: written scores of one exam room, the score import, one
candidate's interview marks and a tie decision. They check what a person typed; the services
check it again with the campaign's rules."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import NormalisedForm
from core.tabular import ImportFileError, check_file_name, check_file_size
from recruitment import ranking
from recruitment.constants import ApplicationState
from recruitment.models import Application


def editable(application: Application) -> bool:
    """Whether the written result of ``application`` may still be entered or corrected."""
    return application.state in (ApplicationState.ELIGIBLE, ApplicationState.SCORED) or (
        application.state == ApplicationState.ABSENT and application.written_score is None
    )


class ScoreEntryForm(NormalisedForm):
    """A written score or an absence for each candidate listed (one exam room at a time:
    a room's score sheet is how the marks come back from the markers)."""

    def __init__(self, *args, applications: list[Application], **kwargs):
        super().__init__(*args, **kwargs)
        self.applications = applications
        for application in applications:
            score = forms.CharField(
                label=_("Written score of %(number)s %(name)s")
                % {"number": application.admission_number, "name": application.name},
                required=False,
                max_length=16,
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "size": 7, "autocomplete": "off"}
                ),
            )
            absent = forms.BooleanField(
                label=_("%(number)s absent") % {"number": application.admission_number},
                required=False,
            )
            if application.written_score is not None:
                score.initial = application.written_score
            if application.state == ApplicationState.ABSENT and application.written_score is None:
                absent.initial = True
            if not editable(application):
                score.disabled = absent.disabled = True
            self.fields[f"score_{application.pk}"] = score
            self.fields[f"absent_{application.pk}"] = absent

    def rows(self):
        """(application, score field, absent field) for the template."""
        for application in self.applications:
            yield application, self[f"score_{application.pk}"], self[f"absent_{application.pk}"]

    def clean(self):
        cleaned = super().clean() or {}
        entries: list[tuple[int, Decimal | None]] = []
        for application in self.applications:
            score_name, absent_name = f"score_{application.pk}", f"absent_{application.pk}"
            if self.fields[score_name].disabled:
                continue
            raw = (cleaned.get(score_name) or "").strip()
            absent = cleaned.get(absent_name)
            if absent and raw:
                self.add_error(score_name, _("Enter a score or tick “absent”, not both."))
                continue
            if absent:
                entries.append((application.pk, None))
            elif raw:
                try:
                    entries.append((application.pk, ranking.parse_score(raw)))
                except ranking.ScoreError as exc:
                    self.add_error(score_name, exc.message)
        cleaned["entries"] = entries
        return cleaned


class ScoreImportForm(NormalisedForm):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "An Excel workbook (.xlsx) or a CSV file with the columns 准考证号, 姓名 and 笔试成绩."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_file_name(upload.name)
            check_file_size(upload.size)
        except ImportFileError as exc:
            raise ValidationError(exc.message) from exc
        return upload


class InterviewMarksForm(NormalisedForm):
    """One mark per panel member, with the member's name, numbered 1 to n."""

    def __init__(self, *args, panel_size: int, marks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.panel_size = panel_size
        existing = {m.panel_seat: m for m in marks}
        for seat in range(1, panel_size + 1):
            mark = existing.get(seat)
            self.fields[f"examiner_{seat}"] = forms.CharField(
                label=_("Panel member %(seat)s") % {"seat": seat},
                max_length=64,
                initial=mark.examiner if mark else "",
            )
            self.fields[f"score_{seat}"] = forms.CharField(
                label=_("Mark of panel member %(seat)s") % {"seat": seat},
                max_length=16,
                initial=mark.score if mark else "",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 7}),
            )

    def seats(self):
        for seat in range(1, self.panel_size + 1):
            yield seat, self[f"examiner_{seat}"], self[f"score_{seat}"]

    def clean(self):
        cleaned = super().clean() or {}
        marks = []
        for seat in range(1, self.panel_size + 1):
            examiner = cleaned.get(f"examiner_{seat}")
            raw = cleaned.get(f"score_{seat}")
            if raw is None or examiner is None:
                continue
            try:
                marks.append((seat, examiner.strip(), ranking.parse_score(raw)))
            except ranking.ScoreError as exc:
                self.add_error(f"score_{seat}", exc.message)
        cleaned["marks"] = marks
        return cleaned


class TieBreakForm(NormalisedForm):
    """The decided order of one tied group (1 = first) and how it was decided."""

    reason = forms.CharField(
        label=_("How the tie was decided"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: decided by the leading group at its meeting of 12 May by a show of "
            "hands. Printed on the score and ranking list."
        ),
    )

    def __init__(self, *args, applications: list[Application], **kwargs):
        super().__init__(*args, **kwargs)
        self.applications = applications
        n = len(applications)
        for position, application in enumerate(applications, start=1):
            self.fields[f"position_{application.pk}"] = forms.IntegerField(
                label=_("Position of %(number)s %(name)s")
                % {"number": application.admission_number, "name": application.name},
                min_value=1,
                max_value=n,
                initial=application.tie_break_position or position,
            )

    def rows(self):
        for application in self.applications:
            yield application, self[f"position_{application.pk}"]

    def clean(self):
        cleaned = super().clean() or {}
        positions: dict[int, int] = {
            a.pk: cleaned[f"position_{a.pk}"]
            for a in self.applications
            if cleaned.get(f"position_{a.pk}") is not None
        }
        if len(positions) == len(self.applications):
            if sorted(positions.values()) != list(range(1, len(self.applications) + 1)):
                raise ValidationError(
                    _("Give each candidate a different position from 1 to %(n)s.")
                    % {"n": len(self.applications)}
                )
            cleaned["ordered_ids"] = sorted(positions, key=positions.__getitem__)
        return cleaned
