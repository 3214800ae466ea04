"""Reading declarations from a CSV file (the command and the upload page share it)."""

import csv
import io
from collections.abc import Iterator
from typing import IO, Any

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


def _row(line: dict[str | None, str | list[str] | None]) -> dict[str | None, Any]:
    # csv.DictReader puts the values past the header's columns in a list under the key
    # None: they stay there, for the row's check to refuse the line.
    return {
        None if key is None else key.strip(): (
            value if isinstance(value, list) else (value or "").strip()
        )
        for key, value in line.items()
    }


def declaration_rows_stream(stream: IO[bytes]) -> Iterator[dict[str | None, Any]]:
    """The rows of a UTF-8 CSV with a header line, read one at a time (a file of any size
    takes the memory of one line). The header is checked before the first row: raises
    ValidationError when the file is not such a CSV, lacks a required column or has one it
    does not know, and later when a line is not UTF-8 or not CSV. A line with more values
    than the header keeps them under the key None."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        reader = csv.DictReader(text)
        try:
            header = {name.strip() for name in reader.fieldnames or []}
        except (UnicodeDecodeError, csv.Error) as error:
            raise ValidationError(_("This is not a UTF-8 CSV file.")) from error
        missing = sorted(REQUIRED_COLUMNS - header)
        if missing:
            raise ValidationError(
                _("The file lacks the column(s): %(columns)s."),
                params={"columns": ", ".join(missing)},
            )
        unknown = sorted(header - set(COLUMNS))
        if unknown:
            raise ValidationError(
                _("The file has unknown column(s): %(columns)s."),
                params={"columns": ", ".join(name[:40] for name in unknown)},
            )
        yield from _lines(reader)
    finally:
        text.detach()


def _lines(reader: "csv.DictReader[str]") -> Iterator[dict[str | None, Any]]:
    # A line with as many values as the header (nearly every line) is paired with the
    # stripped names at once, without DictReader's own dict of each line; any other line
    # takes DictReader's rules (values past the header under None, missing ones empty).
    keys = [name.strip() for name in reader.fieldnames or []]
    width = len(keys)
    try:
        for values in reader.reader:
            if len(values) == width:
                yield dict(zip(keys, map(str.strip, values), strict=True))
            elif values:  # DictReader skips a line with no value at all
                names = reader.fieldnames or []
                line: dict[str | None, str | list[str] | None] = dict(
                    zip(names, values, strict=False)
                )
                if len(values) > width:
                    line[None] = values[width:]
                else:
                    line.update(dict.fromkeys(names[len(values) :]))
                yield _row(line)
    except (UnicodeDecodeError, csv.Error) as error:
        raise ValidationError(_("This is not a UTF-8 CSV file.")) from error


def declaration_rows_read(stream: IO[bytes]) -> list[dict[str | None, Any]]:
    """Every row of the file at once (an upload, at most one batch): the same checks as
    ``declaration_rows_stream``, all made before any row is used."""
    return list(declaration_rows_stream(stream))
