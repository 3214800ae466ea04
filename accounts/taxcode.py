"""Vietnamese tax codes (mã số thuế, MST): 10 digits, or 13 for a branch written NNNNNNNNNN-NNN."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.vn import mst


def tax_code_normalize(value: str) -> str:
    """Return the tax code in its canonical written form, or raise ValidationError."""
    try:
        compact = mst.validate(value or "")
    except InvalidLength as error:
        raise ValidationError(
            _("A tax code has 10 digits, or 13 for a branch (NNNNNNNNNN-NNN)."),
            code="tax_code_length",
        ) from error
    except InvalidChecksum as error:
        raise ValidationError(
            _("This tax code's check digit is wrong: please check it for a typing mistake."),
            code="tax_code_checksum",
        ) from error
    except InvalidComponent as error:
        raise ValidationError(
            _("This tax code does not start with a valid province code: please check it."),
            code="tax_code_component",
        ) from error
    except (InvalidFormat, ValueError) as error:
        raise ValidationError(
            _("A tax code contains digits only (and one dash before a branch number)."),
            code="tax_code_format",
        ) from error
    return str(mst.format(compact))


def validate_tax_code(value: str) -> None:
    """Model and form field validator."""
    tax_code_normalize(value)
