"""A broker applies for an agent code (or its renewal); customs issues or refuses it."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from audit.models import AuditAction, AuditEntry
from brokers.models import Broker, BrokerAgent
from licensing.models import AgentCodeApplication, ApplicationStatus
from tests.contracts.hostile_pdfs import HOSTILE_PDFS
from tests.factories import (
    BrokerAgentFactory,
    BrokerFactory,
    UserFactory,
    encrypted_pdf,
    minimal_pdf,
    pdf_of_size,
)

pytestmark = pytest.mark.django_db

TODAY = date.today()


def _form(**values: object) -> dict[str, object]:
    data: dict[str, object] = {
        "full_name": "Lê Thị  Mai",
        "id_number": "001190012345",
        "certificate_number": "CC-2024-0815",
        "certificate_date": "2024-05-20",
        "proof": SimpleUploadedFile("chung-chi.pdf", minimal_pdf(), "application/pdf"),
    }
    data.update(values)
    return data


def _stored(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def test_customs_issues_the_code_and_the_agent_is_on_the_public_page(
    client: Client,
    broker_admin: User,
    officer: User,
    private_storage: Path,
    django_capture_on_commit_callbacks,
) -> None:
    client.force_login(broker_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/licensing/agent-codes/", _form())
    application = AgentCodeApplication.objects.get()
    assert response.status_code == 302
    assert application.full_name == "Lê Thị Mai"
    assert application.kind == AgentCodeApplication.Kind.NEW
    stored = _stored(private_storage)
    assert len(stored) == 1 and stored[0].suffix == ".pdf" and "chung-chi" not in stored[0].name
    assert officer.email in mail.outbox[0].to

    client.force_login(officer)
    page = client.get(f"/customs/applications/agent-code/{application.pk}/").content.decode()
    assert "CC-2024-0815" in page and "001190012345" in page
    proof = client.get(f"/licensing/applications/agent-code/{application.pk}/document.pdf")
    assert b"".join(proof.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]
    assert "no-store" in proof["Cache-Control"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/customs/applications/agent-code/{application.pk}/approve/",
            {"agent_code": "hq-00900-1", "valid_until": TODAY + timedelta(days=1000)},
        )

    assert response.status_code == 302
    agent = BrokerAgent.objects.get(agent_code="HQ-00900-1")
    assert agent.broker.license_number == "DL-0077" and agent.full_name == "Lê Thị Mai"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED and application.agent == agent
    assert any("HQ-00900-1" in m.body for m in mail.outbox if "admin@broker.test" in m.to)
    public = client.get("/api/v1/brokers/DL-0077/").json()
    assert [a["agent_code"] for a in public["agents"]] == ["HQ-00900-1"]
    assert list(
        AuditEntry.objects.filter(object_type="licensing.agentcodeapplication")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [AuditAction.APPLICATION_SUBMIT, AuditAction.APPLICATION_APPROVE]


def test_a_code_already_issued_is_refused_on_approval(
    client: Client, broker_admin: User, officer: User, private_storage: Path
) -> None:
    BrokerAgentFactory.create(agent_code="HQ-1")
    client.force_login(broker_admin)
    client.post("/licensing/agent-codes/", _form())
    application = AgentCodeApplication.objects.get()
    client.force_login(officer)
    response = client.post(
        f"/customs/applications/agent-code/{application.pk}/approve/",
        {"agent_code": "HQ-1", "valid_until": TODAY + timedelta(days=100)},
    )
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert BrokerAgent.objects.count() == 1


def test_a_renewal_extends_the_agent_s_code(
    client: Client, broker_admin: User, officer: User, private_storage: Path
) -> None:
    broker = Broker.objects.get(license_number="DL-0077")
    agent = BrokerAgentFactory.create(
        broker=broker, agent_code="NV-7", valid_until=TODAY + timedelta(days=20)
    )
    client.force_login(broker_admin)
    page = client.get("/licensing/").content.decode()
    assert "/licensing/agent-codes/?agent=NV-7" in page
    response = client.post("/licensing/agent-codes/?agent=NV-7", _form(full_name="ignored"))
    assert response.status_code == 302
    application = AgentCodeApplication.objects.get()
    assert application.kind == AgentCodeApplication.Kind.RENEWAL
    assert application.agent == agent and application.full_name == agent.full_name

    client.force_login(officer)
    new_end = TODAY + timedelta(days=3 * 365)
    client.post(
        f"/customs/applications/agent-code/{application.pk}/approve/",
        {"agent_code": "", "valid_until": new_end},
    )
    agent.refresh_from_db()
    assert agent.valid_until == new_end and agent.agent_code == "NV-7"
    assert BrokerAgent.objects.count() == 1


def test_a_withdrawn_or_another_broker_s_agent_cannot_be_renewed(
    client: Client, broker_admin: User, private_storage: Path
) -> None:
    broker = Broker.objects.get(license_number="DL-0077")
    BrokerAgentFactory.create(
        broker=broker,
        agent_code="NV-OUT",
        status=BrokerAgent.Status.WITHDRAWN,
        withdrawn_on=TODAY,
        withdrawal_reason="Nghỉ việc",
    )
    BrokerAgentFactory.create(agent_code="NV-OTHER")
    client.force_login(broker_admin)
    response = client.post("/licensing/agent-codes/?agent=NV-OUT", _form())
    assert response.status_code == 400
    assert "A withdrawn agent code cannot be renewed." in response.content.decode()
    assert client.post("/licensing/agent-codes/?agent=NV-OTHER", _form()).status_code == 404
    assert not AgentCodeApplication.objects.exists()


@pytest.mark.parametrize(
    ("proof", "message"),
    [
        (SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf"), "not a PDF document"),
        (SimpleUploadedFile("a.pdf", encrypted_pdf()), "encrypted"),
        (SimpleUploadedFile("a.pdf", pdf_of_size(10 * 1024 * 1024 + 1)), "at most 10 MB"),
        *[
            (SimpleUploadedFile("a.pdf", hostile.build()), hostile.message)
            for hostile in HOSTILE_PDFS[:3]
        ],
    ],
)
def test_a_proof_is_checked_like_a_contract(
    client: Client, broker_admin: User, private_storage: Path, proof, message
) -> None:
    client.force_login(broker_admin)
    response = client.post("/licensing/agent-codes/", _form(proof=proof))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AgentCodeApplication.objects.exists()
    assert _stored(private_storage) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "12345", "An ID number has 9 or 12 digits."),
        ("id_number", "00119001234\x00", "An ID number has 9 or 12 digits."),
        ("full_name", "Lê\x07Mai", "one line of text"),
        ("certificate_date", (TODAY + timedelta(days=2)).isoformat(), "in the future"),
        ("certificate_date", "2024-02-30", "Enter a valid date."),
        ("certificate_number", "x" * 40, "at most 32 characters"),
    ],
)
def test_bad_input_is_refused_with_a_message(
    client: Client, broker_admin: User, private_storage: Path, field, value, message
) -> None:
    client.force_login(broker_admin)
    response = client.post("/licensing/agent-codes/", _form(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AgentCodeApplication.objects.exists()


def test_a_broker_cannot_issue_its_own_code_nor_see_another_s_proof(
    client: Client, broker_admin: User, private_storage: Path
) -> None:
    client.force_login(broker_admin)
    client.post("/licensing/agent-codes/", _form())
    application = AgentCodeApplication.objects.get()
    response = client.post(
        f"/customs/applications/agent-code/{application.pk}/approve/",
        {"agent_code": "HQ-9", "valid_until": TODAY + timedelta(days=100)},
    )
    assert response.status_code == 403
    assert not BrokerAgent.objects.exists()
    # Its own proof it may download; another broker may not.
    assert (
        client.get(f"/licensing/applications/agent-code/{application.pk}/document.pdf").status_code
        == 200
    )
    client.force_login(UserFactory.create(organization=BrokerFactory.create().organization))
    for url in [
        f"/licensing/applications/agent-code/{application.pk}/",
        f"/licensing/applications/agent-code/{application.pk}/document.pdf",
    ]:
        assert client.get(url).status_code == 404


def test_the_same_person_has_one_open_application(
    client: Client, broker_admin: User, private_storage: Path
) -> None:
    client.force_login(broker_admin)
    client.post("/licensing/agent-codes/", _form())
    response = client.post("/licensing/agent-codes/", _form())
    assert response.status_code == 400
    assert "already awaiting a decision" in response.content.decode()
    assert AgentCodeApplication.objects.count() == 1
