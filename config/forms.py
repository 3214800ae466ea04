"""How every form of the site is drawn: each widget gets Bootstrap's class here, and a field
is laid out (label, widget, errors, help) by templates/forms/field.html. Forms and page
templates never write a control's class."""

from pathlib import Path
from typing import Any, cast

import django.forms
from django.conf import settings
from django.forms import BoundField, CheckboxInput, RadioSelect, Select, Widget
from django.forms.renderers import DjangoTemplates
from django.template.backends.django import DjangoTemplates as DjangoTemplatesEngine
from django.utils.functional import cached_property
from django.utils.safestring import SafeString

# Bootstrap's size modifier of each base class, for the compact filter bars above lists.
SMALL = {"form-control": "form-control-sm", "form-select": "form-select-sm"}


def bootstrap_class(widget: Widget) -> str:
    """Bootstrap's class for a widget: none for a hidden input."""
    if widget.is_hidden:
        return ""
    # RadioSelect covers CheckboxSelectMultiple: each choice is a check input.
    if isinstance(widget, CheckboxInput | RadioSelect):
        return "form-check-input"
    if isinstance(widget, Select):
        return "form-select"
    return "form-control"


class BootstrapBoundField(BoundField):
    """A field whose widget carries Bootstrap's class, an extra class its widget sets
    (``form-control-sm``), ``is-invalid`` when it has errors, and (from Django) an
    ``aria-describedby`` naming its error and help elements."""

    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: Widget | None = None
    ) -> dict[str, Any]:
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        base = bootstrap_class(widget)
        if not base:
            return attrs
        classes = [base, widget.attrs.get("class", ""), attrs.get("class", "")]
        if self.errors:
            classes.append("is-invalid")
        attrs["class"] = " ".join(name for name in classes if name)
        return attrs

    @property
    def as_small_widget(self) -> SafeString:
        """The widget in Bootstrap's small size, as the filter bars above lists show it."""
        small = SMALL.get(bootstrap_class(self.field.widget), "")
        return self.as_widget(attrs={"class": small} if small else None)


class BootstrapFormRenderer(DjangoTemplates):
    """Django's renderer, with the bound field above and the form and field templates of
    templates/forms/."""

    bound_field_class = BootstrapBoundField
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"

    @cached_property
    def engine(self) -> DjangoTemplatesEngine:
        # The site's templates/ (for forms/*.html), then Django's own widget templates.
        return DjangoTemplatesEngine(
            {
                "APP_DIRS": True,
                "DIRS": [*_site_template_dirs(), Path(django.forms.__file__).parent / "templates"],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )


def _site_template_dirs() -> list[Path]:
    engines = cast(list[dict[str, Any]], settings.TEMPLATES)
    return [Path(folder) for engine in engines for folder in engine.get("DIRS", [])]
