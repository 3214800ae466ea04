"""One date format: dd/mm/yyyy on pages and in e-mails in both languages; ISO 8601 in the
API and the CSV export."""

from datetime import date

import pytest
from django.test import Client
from django.utils import translation

from tests.factories import BrokerFactory, LetterOfAuthorityFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "vi"])
def test_pages_write_dates_day_first_in_both_languages(client: Client, language: str) -> None:
    broker = BrokerFactory.create(valid_until=date(2027, 3, 9))
    letter = LetterOfAuthorityFactory.create(
        contract__broker=broker, valid_from=date(2026, 1, 2), valid_until=date(2026, 12, 31)
    )
    client.cookies["django_language"] = language
    register = client.get("/brokers/").content.decode()
    assert "09/03/2027" in register and "2027-03-09" not in register
    check = client.get(f"/letters/verify/{letter.verification_code}/").content.decode()
    assert "02/01/2026" in check and "31/12/2026" in check and "2026-01-02" not in check


def test_the_api_and_the_csv_keep_iso_dates(client: Client) -> None:
    broker = BrokerFactory.create(valid_until=date(2027, 3, 9))
    client.cookies["django_language"] = "vi"
    data = client.get(f"/api/v1/brokers/{broker.license_number}/").json()
    assert data["license_valid_until"] == "2027-03-09"
    csv = client.get("/brokers/export.csv").content.decode("utf-8-sig")
    assert "2027-03-09" in csv and "09/03/2027" not in csv


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_date_filter_itself_is_day_first(language: str) -> None:
    from django.template import engines

    template = engines["django"].from_string('{{ day|date }} {{ day|date:"SHORT_DATE_FORMAT" }}')
    with translation.override(language):
        assert template.render({"day": date(2026, 5, 4)}) == "04/05/2026 04/05/2026"
