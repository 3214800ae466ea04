"""The columns of the register's CSV export, in one place: the export writes them and the
import of the official list (``licensing.register_file``) reads them, under their English or
Vietnamese headings."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# (key, heading) in the export's order. ``status`` is derived from the sanctions and dates:
# an import ignores it.
REGISTER_COLUMNS: tuple[tuple[str, Promise], ...] = (
    ("license_number", _("Licence number")),
    ("name", _("Name")),
    ("tax_code", _("Tax code")),
    ("province", _("Province")),
    ("status", _("Status")),
    ("issued_on", _("Licence issued on")),
    ("valid_until", _("Licence valid until")),
)
DERIVED_COLUMNS = frozenset({"status"})
