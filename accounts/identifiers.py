"""How the register's identifiers are written: one regular expression each, shared by the URL
converters, the model and form validators and the API schema, so that a value the database
holds is one a URL can name, and a URL that names anything else answers 404 before any query.

Every pattern leaves out control characters (NUL included), spaces and slashes. The
converters are registered when this module is imported: the URL modules that use one import
its name from here (``path(f"brokers/<{LICENCE}:license_number>/", ...)``).
"""

from django.core.validators import RegexValidator
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

# A broker's licence number and an agent's code, as customs issues them (DL-2026-00042,
# HQ-00782-5).
LICENCE_NUMBER_PATTERN = r"[0-9A-Za-z][0-9A-Za-z._-]{0,31}"
AGENT_CODE_PATTERN = LICENCE_NUMBER_PATTERN
# The public code of a letter of authority (12 characters when issued here).
LETTER_CODE_PATTERN = r"[0-9A-Za-z]{4,32}"
# A customs office (chi cục): two digits of the department, then letters or digits.
CUSTOMS_OFFICE_PATTERN = r"[0-9]{2}[0-9A-Za-z]{2,6}"
# A tax code as written: 10 digits, or 13 for a branch (NNNNNNNNNN-NNN); the check digit is
# ``accounts.taxcode``'s to verify.
TAX_CODE_PATTERN = r"[0-9]{10}(-?[0-9]{3})?"
TAX_CODE_FORMAT_MESSAGE = _("A tax code has 10 digits, or 13 for a branch (NNNNNNNNNN-NNN).")
# A declaration's number in the clearance system.
DECLARATION_NUMBER_PATTERN = r"[0-9A-Za-z][0-9A-Za-z-]{0,31}"
# A certificate's serial number in hexadecimal, with or without separators.
SIGNER_SERIAL_PATTERN = r"[0-9A-Fa-f: -]{0,96}"


def anchored(pattern: str) -> str:
    """The pattern matching a whole value, as validators and the OpenAPI schema want it."""
    return f"^{pattern}$"


licence_number_validator = RegexValidator(
    anchored(LICENCE_NUMBER_PATTERN),
    _("A licence number has at most 32 letters, digits, dots, dashes or underscores."),
    code="licence_number_format",
)
agent_code_validator = RegexValidator(
    anchored(AGENT_CODE_PATTERN),
    _("An agent code has at most 32 letters, digits, dots, dashes or underscores."),
    code="agent_code_format",
)


class _PatternConverter:
    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class LicenceNumberConverter(_PatternConverter):
    regex = LICENCE_NUMBER_PATTERN


class AgentCodeConverter(_PatternConverter):
    regex = AGENT_CODE_PATTERN


class LetterCodeConverter(_PatternConverter):
    regex = LETTER_CODE_PATTERN


# The names the URL modules write in their routes.
LICENCE = "licence"
AGENT_CODE = "agent_code"
LETTER_CODE = "letter_code"

register_converter(LicenceNumberConverter, LICENCE)
register_converter(AgentCodeConverter, AGENT_CODE)
register_converter(LetterCodeConverter, LETTER_CODE)
# (drf-spectacular types each converter's path parameter with its ``regex`` as the pattern.)
