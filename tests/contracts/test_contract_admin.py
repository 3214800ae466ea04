import pytest
from django.test import Client

from accounts.models import User
from tests.factories import LetterOfAuthorityFactory

pytestmark = pytest.mark.django_db


def test_the_admin_shows_contracts_and_letters_but_never_deletes_them(client: Client) -> None:
    letter = LetterOfAuthorityFactory.create()
    client.force_login(User.objects.create_superuser("root@example.test", "a long admin password"))
    changelist = client.get("/admin/contracts/letterofauthority/").content.decode()
    assert letter.number in changelist
    assert (
        letter.contract.reference
        in client.get("/admin/contracts/servicecontract/").content.decode()
    )
    delete = f"/admin/contracts/servicecontract/{letter.contract_id}/delete/"
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get("/admin/contracts/servicecontract/add/").status_code == 403
