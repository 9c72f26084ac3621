from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.core.files.uploadedfile import UploadedFile

from journal.access import SignedInRequest, password_again
from journal.forms import SubmittedOnce
from journal.models import User
from journal.portability.files import MAX_IMPORT_BYTES, ImportFile, read_export


class ImportForm(SubmittedOnce):
    file = forms.FileField(
        label="Your export file",
        help_text=f"The .json file you downloaded, up to {MAX_IMPORT_BYTES // 2**20} MB.",
        error_messages={
            "required": "Choose the export file to import.",
            "empty": "The file is empty.",
            "invalid": "Choose the export file to import.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    mend_days = forms.BooleanField(
        label="Mend the days that break the rules",
        required=False,
        help_text=(
            "Only if the import says the file has such days. On a day with a day of space "
            "beside contact, the contact logged first stays (or the first day of space) "
            "and takes in the notes of the days of space beside it."
        ),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.export: ImportFile | None = None
        self.helper = FormHelper()
        # The template draws the <form>, with its token, multipart encoding and
        # buttons, and lists the file's problems above it.
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.form_show_errors = False

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        self.export = read_export(upload, user=self.user)
        return upload


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to delete your account."},
    )

    def __init__(self, *args, request: SignedInRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.helper = FormHelper()
        # The template draws the <form>, its token and its two buttons.
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if problem := password_again(self.request, password):
            raise forms.ValidationError(f"{problem} Nothing was deleted.")
        return password
