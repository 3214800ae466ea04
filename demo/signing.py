"""A demo certification authority on the trust list, and real signatures of both parties on
a few demo contracts, so that the signature panel shows what a signed contract looks like."""

import hashlib
from collections.abc import Callable

from cryptography.hazmat.primitives import serialization
from django.core.files.base import ContentFile

from accounts.certificates import certificate_issue
from accounts.models import Organization, TrustedCertificate, User
from accounts.services.certificates import trusted_certificate_add
from contracts.models import ServiceContract
from contracts.seal import pdf_sign
from contracts.services import contract_signatures_check
from demo.contracts import REFERENCE_PREFIX, demo_document

SIGNED_CONTRACTS = 12
CA_NAME = "Demo CA Việt Nam (not a real CA)"


def seed(*, say: Callable[[str], None]) -> None:
    """Idempotent: done once, when no demo CA is on the trust list."""
    if TrustedCertificate.objects.filter(subject__contains="Demo CA").exists():
        say("Signatures: the demo CA is already on the trust list.")
        return
    officer = User.objects.filter(organization__kind=Organization.Kind.CUSTOMS).first()
    if officer is None:
        return
    ca, ca_key = certificate_issue(common_name=CA_NAME, authority=True)
    trusted_certificate_add(content=ca.public_bytes(serialization.Encoding.PEM), by=officer)
    storage = ServiceContract._meta.get_field("document").storage  # type: ignore[union-attr]
    name, _sha256 = demo_document()
    with storage.open(name, "rb") as stored:
        blank = stored.read()
    contracts = ServiceContract.objects.filter(
        reference__startswith=REFERENCE_PREFIX
    ).select_related("trader", "broker__organization")[:SIGNED_CONTRACTS]
    for contract in contracts:
        content = blank
        for field, organization in (
            ("Trader", contract.trader),
            ("Broker", contract.broker.organization),
        ):
            certificate, key = certificate_issue(
                common_name=organization.name[:64],
                tax_code=organization.tax_code,
                issuer=(ca, ca_key),
            )
            content = pdf_sign(
                content, certificate=certificate, key=key, chain=[ca], field_name=field
            )
        contract.document.save(f"{contract.pk}.pdf", ContentFile(content), save=False)
        contract.document_sha256 = hashlib.sha256(content).hexdigest()
        contract.save(update_fields=["document", "document_sha256"])
        contract_signatures_check(contract=contract)
    say(
        f"Signatures: a demo CA on the trust list, {len(contracts)} contracts signed by both "
        "parties."
    )
