"""A development seal for the letters, made once under ``var/`` (never in production)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path


def development_seal(directory: Path) -> tuple[Path, Path]:
    """The seal certificate and key under ``directory``, made the first time they are asked for."""
    certificate_path = directory / "registry_seal.crt"
    key_path = directory / "registry_seal.key"
    if not (certificate_path.exists() and key_path.exists()):
        from cryptography.hazmat.primitives import serialization

        from accounts.certificates import certificate_issue, private_key_pem

        now = datetime.now(UTC)
        certificate, key = certificate_issue(
            common_name="Customs broker registry (development seal)",
            not_before=now - timedelta(days=1),
            not_after=now + timedelta(days=10 * 365),
        )
        directory.mkdir(parents=True, exist_ok=True)
        key_path.write_bytes(private_key_pem(key))
        key_path.chmod(0o600)
        certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return certificate_path, key_path
