"""Reading declarations from a CSV file (the command and the upload page share it)."""

import csv
import io
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

COLUMNS = (
    "number",
    "registered_at",
    "customs_office",
    "trader_tax_code",
    "declarant_tax_code",
    "agent_code",
    "signer_serial",
    "channel",
)
REQUIRED_COLUMNS = {"number", "registered_at", "customs_office", "trader_tax_code"} | {
    "declarant_tax_code",
    "channel",
}


def declaration_rows_read(stream: IO[bytes]) -> list[dict[str, str]]:
    """The rows of a UTF-8 CSV with a header line; raises ValidationError when the file
    is not such a CSV or lacks a required column."""
    try:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        reader = csv.DictReader(text)
        header = {name.strip() for name in reader.fieldnames or []}
        missing = sorted(REQUIRED_COLUMNS - header)
        if missing:
            raise ValidationError(
                _("The file lacks the column(s): %(columns)s."),
                params={"columns": ", ".join(missing)},
            )
        rows = [
            {(key or "").strip(): (value or "").strip() for key, value in row.items()}
            for row in reader
        ]
    except (UnicodeDecodeError, csv.Error) as error:
        raise ValidationError(_("This is not a UTF-8 CSV file.")) from error
    finally:
        text.detach()
    return rows
