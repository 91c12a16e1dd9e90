"""The page where county HR imports the directors already in post, and its template file."""

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.importing import (
    HEADERS,
    MAX_ROWS,
    PERMISSION,
    TEMPLATE_HEADER,
)
from contracts.importing import (
    directors_import as run_import,
)
from core.exports import csv_response, xlsx_response
from core.forms import NormalisedForm
from core.tabular import MAX_FILE_BYTES, ImportFileError, check_file_name, check_file_size


class DirectorsImportForm(NormalisedForm):
    """An .xlsx or .csv file of the directors in post."""

    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("An Excel workbook (.xlsx) or a CSV file of at most 5 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_file_name(upload.name)
            check_file_size(upload.size)
        except ImportFileError as exc:
            raise ValidationError(exc.message) from exc
        return upload


def _accepted_headers() -> list[tuple[str, str]]:
    names = {
        "township": _("Township"),
        "village": _("Village"),
        "name": _("Name"),
        "id_number": _("ID number"),
        "phone": _("Mobile number"),
        "education": _("Education"),
        "start": _("Contract start"),
        "end": _("Contract end"),
        "household": _("Household registration (optional)"),
    }
    return [(names[column], " / ".join(HEADERS[column])) for column in names]


@login_required
@permission_required(PERMISSION, raise_exception=True)
def directors_import(request):
    """Import the directors in post of the user's county from an .xlsx or .csv file."""
    county = request.user.county
    report = None
    status = 200
    if request.method == "POST":
        form = DirectorsImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = run_import(
                    file_name=upload.name, content=b"".join(upload.chunks()), by=request.user
                )
            except ImportFileError as exc:
                form.add_error("file", exc.message)
            except PermissionDenied as exc:
                form.add_error("file", str(exc))
        if not form.is_valid() or (report is not None and not report.ok):
            status = 400
    else:
        form = DirectorsImportForm()
    return render(
        request,
        "contracts/import.html",
        {
            "form": form,
            "report": report,
            "county": county,
            "accepted_headers": _accepted_headers(),
            "max_megabytes": MAX_FILE_BYTES // 1024 // 1024,
            "max_rows": MAX_ROWS,
        },
        status=status,
    )


@login_required
@permission_required(PERMISSION, raise_exception=True)
def directors_import_template(request):
    """An empty sheet in the import layout: CSV (UTF-8 with a BOM), or .xlsx with
    ``?format=xlsx``; written through ``core.exports``."""
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            [TEMPLATE_HEADER], filename="directors-template.xlsx", sheet_title="在岗村级人口主任"
        )
    return csv_response([TEMPLATE_HEADER], filename="directors-template.csv")
