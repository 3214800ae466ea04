"""Forms of the licensing pages."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.identifiers import agent_code_validator, licence_number_validator
from accounts.provinces import Province


class RegisterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Official list of brokers (CSV or XLSX)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
        help_text=_(
            "The columns of the register's CSV export (licence number, name, tax code, "
            "province, licence issued on, licence valid until), headings in English or "
            "Vietnamese; the status column is ignored."
        ),
    )

    # 1,000 firms are about 150 kB of CSV.
    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


class RenewalApplyForm(forms.Form):
    note = forms.CharField(
        label=_("Note to customs"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AgentCodeApplyForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=255)
    id_number = forms.RegexField(
        label=_("ID number"),
        regex=r"^[0-9]{9}([0-9]{3})?$",
        error_messages={"invalid": _("An ID number has 9 or 12 digits.")},
        help_text=_("Citizen identity card: 12 digits (9 for an old identity card)."),
    )
    certificate_number = forms.CharField(label=_("Professional certificate number"), max_length=32)
    certificate_date = forms.DateField(
        label=_("Professional certificate issued on"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    proof = forms.FileField(
        label=_("Proof (PDF)"),
        help_text=_("The certificate and the employment contract, as one PDF of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def __init__(self, *args: Any, renewal: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if renewal:
            del self.fields["full_name"]


class InfoRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Information needed"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class InfoAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusal"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RenewalApproveForm(forms.Form):
    valid_until = forms.DateField(
        label=_("Licence renewed until"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


class AgentCodeApproveForm(forms.Form):
    agent_code = forms.CharField(
        label=_("Agent code"), max_length=32, validators=[agent_code_validator], required=False
    )
    valid_until = forms.DateField(
        label=_("Code valid until"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


class RecognitionApplyForm(forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=255)
    address = forms.CharField(label=_("Address"), max_length=500)
    province = forms.ChoiceField(label=_("Province"), choices=Province.choices)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    business_registration = forms.FileField(
        label=_("Business registration (PDF)"),
        help_text=_("The certificate of business registration, as a PDF of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
    staff = forms.CharField(
        label=_("Qualified staff"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One employee holding the customs professional certificate a line: full name; "
            "certificate number."
        ),
    )

    def clean_staff(self) -> list[dict[str, str]]:
        staff = []
        for number, line in enumerate(self.cleaned_data["staff"].splitlines(), start=1):
            if not line.strip():
                continue
            full_name, separator, certificate_number = line.rpartition(";")
            if not separator or not full_name.strip() or not certificate_number.strip():
                raise ValidationError(
                    _("Line %(line)s: write the full name, a semicolon, then the number."),
                    params={"line": number},
                )
            staff.append(
                {"full_name": full_name.strip(), "certificate_number": certificate_number.strip()}
            )
        return staff


class RecognitionApproveForm(forms.Form):
    license_number = forms.CharField(
        label=_("Licence number"), max_length=32, validators=[licence_number_validator]
    )
    valid_until = forms.DateField(
        label=_("Licence valid until"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


class ActivityReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    declarations_filed = forms.IntegerField(
        label=_("Declarations filed"), min_value=0, max_value=10_000_000
    )
    traders_served = forms.IntegerField(label=_("Traders served"), min_value=0, max_value=1_000_000)
    staff_count = forms.IntegerField(
        label=_("Staff holding the professional certificate"), min_value=0, max_value=100_000
    )
    changes = forms.CharField(
        label=_("Changes of address or staff"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]  # type: ignore[attr-defined]


class ProposalConfirmForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=64)
