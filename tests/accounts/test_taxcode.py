import pytest
from django.core.exceptions import ValidationError

from accounts.taxcode import tax_code_normalize


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("0100109106", "0100109106"),
        (" 0100109106 ", "0100109106"),
        ("0100109106-001", "0100109106-001"),
        ("0100109106001", "0100109106-001"),
        ("0100109106 001", "0100109106-001"),
    ],
)
def test_valid_tax_codes_are_normalised(raw: str, normalised: str) -> None:
    assert tax_code_normalize(raw) == normalised


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("0100109107", "check digit is wrong"),
        ("01001091", "10 digits, or 13"),
        ("0100109106-0001", "10 digits, or 13"),
        ("01001a9106", "digits only"),
        ("1000000001", "valid province code"),
        ("", "10 digits, or 13"),
    ],
)
def test_invalid_tax_codes_say_what_is_wrong(raw: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        tax_code_normalize(raw)
    assert message in " ".join(error.value.messages)
