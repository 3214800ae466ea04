"""The e-mails to both parties of a contract: each reader in their own language, the link on
the site's address, sent by a task once the change is committed."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from contracts.emails import ContractEmail, contract_parties_email_send
from contracts.models import LetterOfAuthority, ServiceContract
from contracts.services import contract_confirm, letter_revoke
from contracts.tasks import contract_notify
from tests.factories import LetterOfAuthorityFactory, ServiceContractFactory

pytestmark = pytest.mark.django_db

SITE = "https://dangky.example.vn"


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    settings.SITE_URL = SITE


@pytest.fixture
def letter() -> LetterOfAuthority:
    """A letter under a contract whose trader admin reads English; both organisations' own
    addresses have no user."""
    contract = ServiceContractFactory.create(
        trader__email="trader@example.test",
        broker__organization__email="broker@example.test",
        valid_until=timezone.localdate() + timedelta(days=7),
        rejection_reason="Sai phạm vi dịch vụ",
        terminated_on=timezone.localdate(),
        termination_reason="Chấm dứt hợp tác",
    )
    assert contract.confirmed_by is not None
    contract.confirmed_by.language = "en"
    contract.confirmed_by.save(update_fields=["language"])
    contract.terminated_by = contract.confirmed_by
    contract.save(update_fields=["terminated_by"])
    return LetterOfAuthorityFactory.create(contract=contract, revocation_reason="Hết việc")


def _subjects(contract: ServiceContract, letter: LetterOfAuthority) -> dict[str, tuple[str, str]]:
    reference, number = contract.reference, letter.number
    return {
        ContractEmail.UPLOADED: (
            f"Contract {reference} uploaded: waiting for confirmation",
            f"Đã tải lên hợp đồng {reference}: đang chờ xác nhận",
        ),
        ContractEmail.CONFIRMED: (
            f"Contract {reference} confirmed",
            f"Hợp đồng {reference} đã được xác nhận",
        ),
        ContractEmail.REJECTED: (
            f"Contract {reference} rejected",
            f"Hợp đồng {reference} bị từ chối",
        ),
        ContractEmail.TERMINATED: (
            f"Contract {reference} terminated",
            f"Hợp đồng {reference} đã bị chấm dứt",
        ),
        ContractEmail.ENDING: (
            f"Contract {reference} ends in 7 days",
            f"Hợp đồng {reference} hết hạn sau 7 ngày",
        ),
        ContractEmail.LETTER_ISSUED: (
            f"Letter of authority {number} issued",
            f"Đã cấp giấy ủy quyền {number}",
        ),
        ContractEmail.LETTER_REVOKED: (
            f"Letter of authority {number} revoked",
            f"Giấy ủy quyền {number} đã bị thu hồi",
        ),
    }


@pytest.mark.parametrize("kind", list(ContractEmail))
def test_each_reader_gets_the_step_in_their_language_with_the_contracts_link(
    letter: LetterOfAuthority, kind: ContractEmail
) -> None:
    contract = letter.contract
    admin = contract.confirmed_by
    assert admin is not None
    sent = contract_parties_email_send(
        contract_id=contract.pk, kind=kind, letter_id=letter.pk, days_left=7
    )
    # The trader: one message in English to its admin, one in Vietnamese to its own address;
    # the broker (no admin): one in Vietnamese.
    assert sent == len(mail.outbox) == 3
    by_reader = {tuple(message.to): message for message in mail.outbox}
    english, vietnamese = _subjects(contract, letter)[kind]
    assert by_reader[(admin.email,)].subject == english
    assert by_reader[("trader@example.test",)].subject == vietnamese
    assert by_reader[("broker@example.test",)].subject == vietnamese
    link = f"{SITE}/contracts/{contract.pk}/"
    assert f"Contract {contract.reference} between" in by_reader[(admin.email,)].body
    assert f"Hợp đồng {contract.reference} giữa" in by_reader[("trader@example.test",)].body
    assert all(link in message.body for message in mail.outbox)


def test_a_revoked_letter_tells_the_reason_in_each_language(
    letter: LetterOfAuthority, django_capture_on_commit_callbacks: Any
) -> None:
    admin = letter.contract.confirmed_by
    assert admin is not None
    with django_capture_on_commit_callbacks(execute=True):
        letter_revoke(letter=letter, by=admin, reason="Không còn cần")
    by_reader = {tuple(message.to): message for message in mail.outbox}
    agent = letter.agent.full_name
    assert f"revoked letter {letter.number} of {agent}. Reason: Không còn cần" in (
        by_reader[(admin.email,)].body
    )
    assert f"đã thu hồi giấy ủy quyền {letter.number} của {agent}. Lý do: Không còn cần" in (
        by_reader[("broker@example.test",)].body
    )


def test_the_service_only_queues_the_task(django_capture_on_commit_callbacks: Any) -> None:
    contract = ServiceContractFactory.create(confirmed_at=None, confirmed_by=None)
    admin = User.objects.create(
        email="admin@trader.test", organization=contract.trader, role=User.Role.ADMIN
    )
    with django_capture_on_commit_callbacks() as callbacks:
        contract_confirm(contract=contract, by=admin)
    assert mail.outbox == []
    [callback] = callbacks
    assert callback.func == contract_notify.delay
    assert callback.args == (contract.pk, "contract_confirmed")


def test_nothing_is_sent_when_the_change_rolls_back(
    django_capture_on_commit_callbacks: Any,
) -> None:
    contract = ServiceContractFactory.create(confirmed_at=None, confirmed_by=None)
    admin = User.objects.create(
        email="admin@trader.test", organization=contract.trader, role=User.Role.ADMIN
    )
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        contract_confirm(contract=contract, by=admin)
        raise RuntimeError
    assert mail.outbox == []
    contract.refresh_from_db()
    assert contract.confirmed_at is None


def test_an_unknown_step_is_refused(letter: LetterOfAuthority) -> None:
    with pytest.raises(ValueError):
        contract_parties_email_send(contract_id=letter.contract_id, kind="../../base")
    assert mail.outbox == []
