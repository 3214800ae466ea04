"""Text people type: no control character reaches the database, an e-mail header or an HTTP
header. A one-line value (a reference, a number) takes no control character at all; a
multi-line one (a reason, a note) keeps its tabs and line breaks and nothing else."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 controls (NUL, CR and LF among them), DEL, C1 controls, and Unicode's line and
# paragraph separators, which mail clients read as line breaks too.
_ONE_LINE_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MULTI_LINE_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def one_line_text_validate(value: str) -> None:
    """Validator of a field that is one line of text."""
    if _ONE_LINE_FORBIDDEN.search(value):
        raise ValidationError(
            _("This field is one line of text: remove the line breaks and control characters."),
            code="control_characters",
        )


def multi_line_text_validate(value: str) -> None:
    """Validator of a field of several lines of text."""
    if _MULTI_LINE_FORBIDDEN.search(value):
        raise ValidationError(
            _("This text contains control characters: remove them."),
            code="control_characters",
        )


def text_fold(text: str) -> str:
    """Lower case, without diacritics (``đ`` becomes ``d``), whitespace collapsed: the form
    in which ``hai phong`` and ``Hải Phòng`` are the same text."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())
