from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.text import multi_line_text_validate, one_line_text_validate
from brokers.models import BrokerAgent, CustomsOffice
from brokers.widgets import CustomsOfficePicker
from contracts.models import Service, ServiceContract

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContractUploadForm(forms.Form):
    trader_tax_code = forms.CharField(
        label=_("Client's tax code"),
        max_length=20,
        help_text=_("The trader's tax code (MST): 10 digits, or 13 for a branch."),
    )
    reference = forms.CharField(
        label=_("Contract reference"), max_length=64, validators=[one_line_text_validate]
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE_INPUT)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_INPUT)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE_INPUT)
    services = forms.MultipleChoiceField(
        label=_("Services"), choices=Service.choices, widget=forms.CheckboxSelectMultiple
    )
    customs_offices = forms.ModelMultipleChoiceField(
        label=_("Customs offices covered"),
        queryset=CustomsOffice.objects.all(),
        required=False,
        widget=CustomsOfficePicker,
        help_text=_("Leave empty when the contract covers every office."),
    )
    document = forms.FileField(
        label=_("Signed contract (PDF, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class DocumentCheckForm(forms.Form):
    file = forms.FileField(
        label=_("Signed PDF (at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        help_text=_("The file is checked and forgotten: nothing you upload here is stored."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[multi_line_text_validate],
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason."))
        return reason


class LetterLimitForm(forms.Form):
    limit = forms.IntegerField(
        label=_("Active letters allowed per contract"),
        min_value=1,
        max_value=50,
    )


class LetterIssueForm(forms.Form):
    agent = forms.ModelChoiceField(label=_("Agent"), queryset=BrokerAgent.objects.none())
    procedures = forms.MultipleChoiceField(
        label=_("Procedures"), choices=Service.choices, widget=forms.CheckboxSelectMultiple
    )
    customs_offices = forms.ModelMultipleChoiceField(
        label=_("Customs offices"),
        queryset=CustomsOffice.objects.none(),
        required=False,
        widget=CustomsOfficePicker,
        help_text=_("Leave empty for every office the contract covers."),
    )
    shipment_references = forms.CharField(
        label=_("Shipment or invoice references (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[multi_line_text_validate],
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_INPUT)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE_INPUT)

    def __init__(self, *args: Any, contract: ServiceContract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every agent of the broker is listed so that a withdrawn one gets a clear refusal
        # from the service rather than a silent "not a valid choice".
        agent_field = self.fields["agent"]
        assert isinstance(agent_field, forms.ModelChoiceField)
        agent_field.queryset = BrokerAgent.objects.filter(broker=contract.broker)
        procedures = self.fields["procedures"]
        assert isinstance(procedures, forms.MultipleChoiceField)
        procedures.choices = [(v, label) for v, label in Service.choices if v in contract.services]
        offices = self.fields["customs_offices"]
        assert isinstance(offices, forms.ModelMultipleChoiceField)
        contract_offices = contract.customs_offices.all()
        offices.queryset = (
            contract_offices if contract_offices.exists() else CustomsOffice.objects.all()
        )
