"""Forms of the client import: they only clean what staff send; clients.imports judges the file."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import ClientImport

ACCEPTED_TYPES = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ClientImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("A CSV file (comma or semicolon separated) or an Excel workbook (.xlsx), up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_TYPES}),
        error_messages={"required": _("Choose the file to upload."), "empty": _("This file is empty.")},
    )


class ClientImportRunForm(forms.Form):
    mode = forms.ChoiceField(choices=ClientImport.Mode.choices)
