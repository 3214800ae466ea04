from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def bootstrap(field: BoundField) -> SafeString:
    """Render a field's widget with Bootstrap's classes (and the error state)."""
    css = "form-select" if field.widget_type in {"select", "selectmultiple"} else "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})
