"""The ingest reads plainly right rows without a form (``DeclarationRowCleaner``): what it
accepts that way must be exactly what the form accepts, cleaned the same."""

from itertools import product
from typing import Any

import pytest

from compliance.forms import DeclarationRow, DeclarationRowCleaner, DeclarationRowForm
from tests.factories import valid_tax_code

OFFICES = frozenset({"03CE", "01BB"})

VARIANTS: dict[str, list[Any]] = {
    "number": ["305001", "A-1", "-1", "3" * 32, "3" * 33, "305 001", "305001\n", "", None, 7],
    "registered_at": [
        "2026-11-20T09:15:00+07:00",
        "2026-11-20T09:15:00",
        "2026-11-20 09:15",
        "2026-11-20",
        "2026-11-20T09:15:00Z",
        " 2026-11-20T09:15:00",
        "2026-11-20\x0009:15",
        "2099-01-01T00:00:00+07:00",
        "yesterday",
        "",
    ],
    "customs_office": ["03CE", "03ce", "99ZZ", "03C", "03CE\n", "\uff10\uff13CE", None],
    "trader_tax_code": [valid_tax_code(1), "0301234560", "123", valid_tax_code(1) + "\n"],
    "agent_code": ["ag-001", "", None, "AG\t1", "A" * 33, "đl-1", 5],
    "signer_serial": ["54:00:0a:bc", "", None, "0000", "00" * 48, "5 4-0:0", "xyz", "0" * 97],
    "channel": ["green", "red", "Green", "blue", "", None],
}


def base() -> dict[str, Any]:
    return {
        "number": "305001",
        "registered_at": "2026-11-20T09:15:00+07:00",
        "customs_office": "03CE",
        "trader_tax_code": valid_tax_code(1),
        "declarant_tax_code": valid_tax_code(2),
        "agent_code": "AG-001",
        "signer_serial": "5400ABC",
        "channel": "green",
    }


def _rows() -> list[dict[Any, Any]]:
    rows: list[dict[Any, Any]] = [
        {**base(), name: value} for name, values in VARIANTS.items() for value in values
    ]
    # Two fields at once, and rows without an optional or a required field, or with more.
    rows += [
        {**base(), "number": number, "signer_serial": serial}
        for number, serial in product(VARIANTS["number"][:4], VARIANTS["signer_serial"])
    ]
    rows += [{k: v for k, v in base().items() if k != name} for name in base()]
    rows += [{**base(), "note": "x"}, {**base(), None: ["extra"]}]
    return rows


@pytest.mark.parametrize("row", _rows())
def test_a_row_read_without_the_form_is_the_row_the_form_reads(row: dict[str, Any]) -> None:
    cleaner = DeclarationRowCleaner(offices=OFFICES)
    quick = cleaner._quick(row)
    form = DeclarationRowForm(data=row, offices=OFFICES)
    if quick is not None:
        assert form.is_valid(), form.errors
        assert quick == DeclarationRow(*(form.cleaned_data[n] for n in DeclarationRow._fields))
    cleaned, errors = cleaner.clean(row)
    assert (cleaned is not None) == form.is_valid()
    if cleaned is None:
        assert errors == {name: list(messages) for name, messages in form.errors.items()}


def test_plain_rows_are_read_without_the_form() -> None:
    assert DeclarationRowCleaner(offices=OFFICES)._quick(base()) == DeclarationRow(
        "305001",
        DeclarationRowForm(data=base(), offices=OFFICES)
        .fields["registered_at"]
        .clean("2026-11-20T09:15:00+07:00"),
        "03CE",
        valid_tax_code(1),
        valid_tax_code(2),
        "AG-001",
        "5400ABC",
        "green",
    )


def test_a_row_that_is_not_an_object_is_refused_in_words() -> None:
    cleaned, errors = DeclarationRowCleaner(offices=OFFICES).clean("305001")
    assert cleaned is None and errors == {"__all__": ["A declaration is an object."]}
