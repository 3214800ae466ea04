from typing import Any

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False, max_length=64)
    actor = forms.CharField(label=_("Actor e-mail"), required=False, max_length=255)
    object_type = forms.ChoiceField(label=_("Object type"), required=False, choices=[])
    object_query = forms.CharField(label=_("Object"), required=False, max_length=255)
    organization = forms.CharField(
        label=_("Organisation (name or tax code)"), required=False, max_length=255
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The models whose changes are recorded, named as the entries store them.
        recorded = [
            model
            for model in apps.get_models()
            if model._meta.app_label in {"accounts", "brokers", "contracts", "compliance"}
        ]
        labels = sorted(
            ((m._meta.label_lower, str(m._meta.verbose_name).capitalize()) for m in recorded),
            key=lambda choice: choice[1],
        )
        self.fields["object_type"].choices = [("", _("Any")), *labels]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            raise forms.ValidationError(_("The end date is before the start date."))
        return cleaned
