"""The numbered page links of ``templates/partials/pagination.html``."""

from collections.abc import Iterator

from django import template
from django.core.paginator import Page

register = template.Library()


@register.filter
def page_numbers(page: Page) -> Iterator[int | str]:
    """The page numbers around ``page`` and at both ends, with the paginator's ellipsis
    for the pages left out."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
