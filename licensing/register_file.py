"""Reading the official list of brokers from a file: a CSV (UTF-8, with or without a
byte-order mark) or an XLSX workbook, with the columns of ``/brokers/export.csv`` under their
English or Vietnamese headings. The command and the customs upload page share it."""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.text import text_fold
from brokers.register_columns import DERIVED_COLUMNS, REGISTER_COLUMNS

REQUIRED_COLUMNS = tuple(key for key, _heading in REGISTER_COLUMNS if key not in DERIVED_COLUMNS)
# The official list has about 1,000 firms; a file far larger is a mistake or an attack.
MAX_ROWS = 20_000
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class RegisterRow:
    """One line of the file: its number (the heading is line 1) and its values by column."""

    line: int
    values: dict[str, str]


def _headings() -> dict[str, str]:
    """Folded heading, in either language, to the column's key."""
    headings: dict[str, str] = {}
    for language in ("en", "vi"):
        with translation.override(language):
            for key, heading in REGISTER_COLUMNS:
                headings[text_fold(str(heading))] = key
    for key, _heading in REGISTER_COLUMNS:
        headings[key] = key
    return headings


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_from_table(table: list[list[Any]]) -> list[RegisterRow]:
    if not table:
        raise ValidationError(_("The file is empty."))
    headings = _headings()
    keys = [headings.get(text_fold(_cell_text(cell))) for cell in table[0]]
    missing = [
        str(heading)
        for key, heading in REGISTER_COLUMNS
        if key in REQUIRED_COLUMNS and key not in keys
    ]
    if missing:
        raise ValidationError(
            _("The file lacks the column(s): %(columns)s."),
            params={"columns": ", ".join(missing)},
        )
    if len(table) - 1 > MAX_ROWS:
        raise ValidationError(
            _("The file has more than %(limit)s lines."), params={"limit": f"{MAX_ROWS:,}"}
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        texts = [_cell_text(cell) for cell in cells]
        if not any(texts):
            continue
        values = {
            key: text
            for key, text in zip(keys, texts, strict=False)
            if key is not None and key not in DERIVED_COLUMNS
        }
        rows.append(RegisterRow(line=number, values=values))
    return rows


def _csv_table(content: bytes) -> list[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("This file is not in UTF-8: save it as “CSV UTF-8” and upload it again.")
        ) from error
    if "\x00" in text:
        raise ValidationError(_("This is not a CSV file."))
    try:
        # Excel in a Vietnamese locale may separate with semicolons.
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error as error:
        raise ValidationError(_("This is not a CSV file.")) from error


def _xlsx_table(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise ValidationError(_("This is not an XLSX workbook.")) from error
    try:
        sheet = workbook.worksheets[0]
        table = []
        for row in sheet.iter_rows(values_only=True):
            table.append(list(row))
            if len(table) > MAX_ROWS + 1:
                break
        return table
    finally:
        workbook.close()


def register_rows_read(stream: IO[bytes]) -> list[RegisterRow]:
    """The lines of a register file, told apart by content (an XLSX is a zip); raises
    ValidationError when it is neither a UTF-8 CSV nor a workbook, or lacks a column."""
    content = stream.read()
    if content.startswith(XLSX_MAGIC):
        return _rows_from_table(_xlsx_table(content))
    return _rows_from_table(_csv_table(content))
