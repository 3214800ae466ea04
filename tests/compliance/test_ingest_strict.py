"""The declaration feed is strict and exact: each field arrives as a JSON string of its
format or the row is refused (never stored as "True" or "['x']", never a 500), the customs
office is one the registry knows, the body is bounded in size and nesting, and the counts
are those of the rows actually inserted."""

import json
import threading
import time
from typing import Any

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test import Client, override_settings
from rest_framework.test import APIClient

from accounts.models import Organization, User
from compliance.models import Declaration, DeclarationAlert
from tests.factories import CustomsOfficeFactory, OrganizationFactory, UserFactory, valid_tax_code

pytestmark = pytest.mark.django_db

URL = "/api/v1/declarations/"


@pytest.fixture(autouse=True)
def _customs_office() -> None:
    CustomsOfficeFactory.create(code="03CE")


def row(number: str, **values: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": number,
        "registered_at": "2026-11-20T09:15:00+07:00",
        "customs_office": "03CE",
        "trader_tax_code": valid_tax_code(1),
        "declarant_tax_code": valid_tax_code(2),
        "agent_code": "AG-001",
        "signer_serial": "5400ABC",
        "channel": "green",
    }
    data.update(values)
    return data


@pytest.fixture
def feed() -> APIClient:
    client = APIClient()
    client.force_authenticate(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    return client


FIELDS = [
    "number",
    "registered_at",
    "customs_office",
    "trader_tax_code",
    "declarant_tax_code",
    "agent_code",
    "signer_serial",
    "channel",
]
WRONG_TYPES = [
    (True, "true or false"),
    (305001, "a number"),
    (3.5, "a number"),
    (["x"], "a list"),
    ({"a": 1}, "an object"),
]


@pytest.mark.parametrize("name", FIELDS)
@pytest.mark.parametrize(("value", "called"), WRONG_TYPES)
def test_a_value_of_another_json_type_is_a_row_error(
    feed: APIClient, name: str, value: Any, called: str
) -> None:
    broken = row("305001")
    broken[name] = value
    response = feed.post(URL, [broken, row("305002")], format="json")
    body = response.json()
    assert response.status_code == 201
    assert body["created"] == 1
    assert {
        "index": 0,
        "field": name,
        "message": f"Send this field as a JSON string, not {called}.",
    } in body["errors"]
    assert list(Declaration.objects.values_list("number", flat=True)) == ["305002"]


def test_nothing_is_stored_as_the_text_of_another_type(feed: APIClient) -> None:
    feed.post(URL, [row(True), row(["305001"]), row(305001)], format="json")  # type: ignore[arg-type]
    assert not Declaration.objects.exists()


def test_a_batch_whose_rows_all_fail_is_refused(feed: APIClient) -> None:
    response = feed.post(
        URL, [row("305001", channel=1), row("305002", customs_office="99ZZ")], format="json"
    )
    body = response.json()
    assert response.status_code == 400
    assert body["created"] == 0 and body["duplicates"] == 0
    assert [(e["index"], e["field"]) for e in body["errors"]] == [
        (0, "channel"),
        (1, "customs_office"),
    ]
    assert body["errors"][1]["message"] == "99ZZ is not a known customs office."
    assert not Declaration.objects.exists()


def test_an_empty_batch_is_refused(feed: APIClient) -> None:
    response = feed.post(URL, [], format="json")
    assert response.status_code == 400
    assert "send at least one declaration" in response.json()["detail"]


def test_null_leaves_an_optional_field_empty(feed: APIClient) -> None:
    response = feed.post(URL, [row("305001", agent_code=None, signer_serial=None)], format="json")
    assert response.status_code == 201
    declaration = Declaration.objects.get()
    assert declaration.agent_code == "" and declaration.signer_serial == ""


def test_an_unknown_field_is_a_row_error(feed: APIClient) -> None:
    response = feed.post(URL, [row("305001", note="x", **{"\x00evil": 1})], format="json")
    error = response.json()["errors"][0]
    assert response.status_code == 400
    assert error["field"] == "non_field_errors"
    assert error["message"] == "Unknown field(s): ?evil, note."


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("number", "305\x00001"),
        ("number", "305001\r\nBcc: x@example.test"),
        ("number", "305 001"),
        ("agent_code", "AG\t1"),
        ("trader_tax_code", "0100109106\n"),
        ("trader_tax_code", "0100 109 106"),
        ("customs_office", "03\x1bCE"),
        ("signer_serial", "54\x0000"),
        ("registered_at", "2026-11-20T09:15:00\x00"),
    ],
)
def test_control_characters_and_malformed_values_are_row_errors(
    feed: APIClient, name: str, value: str
) -> None:
    broken = row("305001")
    broken[name] = value
    response = feed.post(URL, [broken], format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == name
    assert not Declaration.objects.exists()


def _raw_post(body: bytes, content_type: str = "application/json") -> Any:
    client = Client()
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    return client.post(URL, body, content_type=content_type)


def test_a_deeply_nested_body_is_refused_without_a_recursion_error() -> None:
    response = _raw_post(b"[" * 100_000 + b"]" * 100_000)
    assert response.status_code == 400
    assert response.json()["detail"] == "The JSON is nested too deeply."


def test_nesting_past_the_limit_is_refused_even_when_python_could_read_it() -> None:
    nested: Any = "x"
    for _ in range(40):
        nested = [nested]
    response = _raw_post(json.dumps([{**row("305001"), "number": nested}]).encode())
    assert response.status_code == 400
    assert response.json()["detail"] == "The JSON is nested too deeply."
    assert not Declaration.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2 * 1024 * 1024)
def test_a_body_past_the_size_limit_is_refused() -> None:
    body = json.dumps([row(f"9{i:07d}") for i in range(10_000)]).encode()
    assert len(body) > 2 * 1024 * 1024
    response = _raw_post(body)
    assert response.status_code == 400
    assert response.json()["detail"] == "The request body is larger than 2 MB."
    assert not Declaration.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"number=305001&channel=green", "application/x-www-form-urlencoded"),
        (b"<declarations/>", "application/xml"),
    ],
)
def test_a_body_that_is_not_json_is_refused(body: bytes, content_type: str) -> None:
    assert _raw_post(body, content_type).status_code == 415
    assert not Declaration.objects.exists()


@pytest.mark.parametrize("body", [b"[{]", b"\xff\xfe[]", b"[NaN]", b'"text"', b"12"])
def test_broken_json_is_refused(body: bytes) -> None:
    response = _raw_post(body)
    assert response.status_code == 400
    assert not Declaration.objects.exists()


def test_a_line_of_a_csv_with_more_values_than_columns_is_a_row_error(client: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    header = ",".join(FIELDS)
    good = f"2026-11-20 09:15,03CE,{valid_tax_code(1)},{valid_tax_code(2)},AG-1,5400AB,green"
    content = f"{header}\n306001,{good}\n306002,{good},extra,values\n".encode()
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    response = client.post(
        "/declarations/upload/", {"file": SimpleUploadedFile("batch.csv", content)}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This line has more values than the header has columns." in html
    assert list(Declaration.objects.values_list("number", flat=True)) == ["306001"]


def test_a_csv_with_an_unknown_column_is_refused(client: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = (",".join([*FIELDS, "note"]) + "\n").encode()
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    response = client.post(
        "/declarations/upload/", {"file": SimpleUploadedFile("batch.csv", content)}
    )
    assert response.status_code == 400
    assert "The file has unknown column(s): note." in response.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two requests inserting at once need a database that serves them at once (PostgreSQL)",
)
def test_two_concurrent_resends_create_each_declaration_once() -> None:
    CustomsOfficeFactory.create(code="03CE")
    trader = OrganizationFactory.create(tax_code=valid_tax_code(424_242))
    UserFactory.create(
        organization=trader, role=User.Role.ADMIN, email="admin@trader.test", language="en"
    )
    DeclarationAlert.objects.create(organization=trader, email_every_declaration=True)
    feed_user = UserFactory.create(organization__kind=Organization.Kind.CUSTOMS)
    batch = [row(f"7{i:06d}") for i in range(5_000)]
    # A few rows in the trader's name who asked for an e-mail for each declaration.
    alerted = [row(f"8{i:06d}", trader_tax_code=trader.tax_code) for i in range(20)]
    start = threading.Barrier(2)
    answers: list[dict[str, Any]] = []

    def resend() -> None:
        client = APIClient()
        client.force_authenticate(feed_user)
        start.wait()
        answers.append(client.post(URL, batch + alerted, format="json").json())
        connection.close()

    threads = [threading.Thread(target=resend) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(a["created"] for a in answers) == 5_020
    assert sum(a["duplicates"] for a in answers) == 5_020
    assert Declaration.objects.count() == 5_020
    # One e-mail per declaration inserted in the trader's name, whichever request stored it.
    assert sorted(m.subject for m in mail.outbox) == sorted(
        f"Declaration 8{i:06d} was filed in your company's name" for i in range(20)
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a row stored by another transaction during the COPY needs PostgreSQL",
)
def test_a_number_stored_by_another_request_during_the_copy_is_a_duplicate() -> None:
    from compliance.services import declarations_ingest

    stored, release = threading.Event(), threading.Event()
    answers: list[Any] = []

    def other_request() -> None:
        # Stores 305001 and keeps it uncommitted: the batch below does not see it on file,
        # and its COPY waits for this transaction, then fails once it commits.
        with transaction.atomic():
            declarations_ingest(rows=[row("305001")])
            stored.set()
            release.wait(30)
        connection.close()

    def batch() -> None:
        answers.append(declarations_ingest(rows=[row("305001"), row("305002")]))
        connection.close()

    threads = [threading.Thread(target=other_request), threading.Thread(target=batch)]
    threads[0].start()
    assert stored.wait(30)
    threads[1].start()
    with connection.cursor() as cursor:
        for _attempt in range(300):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                break
            time.sleep(0.1)
    release.set()
    for thread in threads:
        thread.join()
    assert (answers[0].created, answers[0].duplicates, answers[0].errors) == (1, 1, [])
    assert sorted(Declaration.objects.values_list("number", flat=True)) == ["305001", "305002"]
