"""The one widget for picking customs offices, on the site's forms and in the register's admin.

It renders a plain ``<select multiple>`` (which works without JavaScript) marked
``data-office-picker``; static/js/office-picker.js turns it into a filter box, a list of
check boxes and removable chips. The script's words come translated in data attributes: the
CSP allows no inline script and the site has no JavaScript catalogue."""

from typing import Any

from django import forms
from django.forms.widgets import Script
from django.utils.translation import gettext


class CustomsOfficePicker(forms.SelectMultiple):
    class Media:
        css = {"all": ["css/office-picker.css"]}
        js = [Script("js/office-picker.js", defer=True)]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        # Translated when drawn, in the reader's language.
        context["widget"]["attrs"].update(
            {
                "data-office-picker": "",
                "data-filter-placeholder": gettext("Type part of a name or code"),
                "data-filter-hint": gettext(
                    "Type to filter the customs offices, then tick them in the list."
                ),
                "data-chosen-label": gettext("Chosen customs offices"),
                "data-none-chosen": gettext("No customs office chosen."),
                "data-no-match": gettext("No customs office matches."),
                "data-shown": gettext("Customs offices shown: %(count)s"),
                "data-remove": gettext("Remove %(office)s"),
            }
        )
        return context
