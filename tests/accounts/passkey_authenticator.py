"""A software passkey for tests that drive django-otp-webauthn's endpoints with the test
client: it answers the server's options as a browser and an authenticator would (EC P-256,
attestation "none", user present and verified). The browser tests use Chromium's own
virtual authenticator instead."""

import hashlib
import json
import secrets
from base64 import urlsafe_b64decode, urlsafe_b64encode
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.contrib.sessions.backends.base import SessionBase
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import User

RP_ID = "localhost"
ORIGIN = "http://localhost:8000"

USER_PRESENT, USER_VERIFIED, ATTESTED_DATA = 0x01, 0x04, 0x40


def b64url(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


def from_b64url(text: str) -> bytes:
    return urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class SoftPasskey:
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    credential_id: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    user_handle: bytes = b""
    sign_count: int = 0

    def _client_data(self, kind: str, challenge: str) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": ORIGIN, "crossOrigin": False}
        ).encode()

    def _public_key_cose(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,  # EC2
                3: -7,  # ES256
                -1: 1,  # P-256
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def create(self, options: dict[str, Any]) -> dict[str, Any]:
        """The browser's answer to ``navigator.credentials.create`` with these options."""
        self.user_handle = from_b64url(options["user"]["id"])
        auth_data = (
            hashlib.sha256(options["rp"]["id"].encode()).digest()
            + bytes([USER_PRESENT | USER_VERIFIED | ATTESTED_DATA])
            + self.sign_count.to_bytes(4, "big")
            + bytes(16)  # AAGUID
            + len(self.credential_id).to_bytes(2, "big")
            + self.credential_id
            + self._public_key_cose()
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(
                    self._client_data("webauthn.create", options["challenge"])
                ),
                "attestationObject": b64url(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {"credProps": {"rk": True}},
            "authenticatorAttachment": "platform",
        }

    def get(self, options: dict[str, Any]) -> dict[str, Any]:
        """The browser's answer to ``navigator.credentials.get`` with these options."""
        self.sign_count += 1
        auth_data = (
            hashlib.sha256(options["rpId"].encode()).digest()
            + bytes([USER_PRESENT | USER_VERIFIED])
            + self.sign_count.to_bytes(4, "big")
        )
        client_data = self._client_data("webauthn.get", options["challenge"])
        signature = self.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": b64url(self.user_handle),
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }


def post_json(client: Client, name: str, data: Any = None, **extra: Any) -> Any:
    return client.post(
        reverse(f"otp_webauthn:{name}") + extra.pop("query", ""),
        json.dumps(data) if data is not None else "",
        content_type="application/json",
        **extra,
    )


def passkey_register(client: Client, passkey: SoftPasskey) -> Any:
    """Run the registration ceremony for the client's signed-in user; the last response."""
    options = post_json(client, "credential-registration-begin")
    if options.status_code != 200:
        return options
    return post_json(client, "credential-registration-complete", passkey.create(options.json()))


def passkey_authenticate(client: Client, passkey: SoftPasskey, *, query: str = "") -> Any:
    """Run the authentication ceremony (a second step, or passwordless when nobody is signed
    in); the last response."""
    options = post_json(client, "credential-authentication-begin")
    if options.status_code != 200:
        return options
    return post_json(
        client, "credential-authentication-complete", passkey.get(options.json()), query=query
    )


def with_passkey(user: User, name: str = "Laptop") -> SoftPasskey:
    """Register a software passkey for ``user`` on a session of its own."""
    other = Client()
    other.force_login(user)
    # A user with a second factor registers on a verified session (by a passkey if they have
    # one, as the passkey policy wants).
    existing = WebAuthnCredential.objects.filter(user=user).first() or next(
        iter(devices_for_user(user)), None
    )
    if existing is not None:
        verified_with(other, existing)
    passkey = SoftPasskey()
    response = passkey_register(other, passkey)
    assert response.status_code == 200, response.content
    WebAuthnCredential.objects.filter(pk=response.json()["id"]).update(name=name)
    return passkey


def verified_with(client: Client, device: Any) -> None:
    """Mark the client's session as verified by ``device``, as django-otp's login does."""
    session: SessionBase = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
