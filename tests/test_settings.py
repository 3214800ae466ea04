import os
import subprocess
import sys
import tempfile
from pathlib import Path

from config.seal import development_seal

ROOT = Path(__file__).resolve().parent.parent


def _django(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    dropped = {
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "AUDIT_HMAC_KEY",
        "REGISTRY_SEAL_CERT",
        "REGISTRY_SEAL_KEY",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key() -> None:
    result = _django(["check"], DJANGO_ENV="production", ALLOWED_HOSTS="registry.example.gov.vn")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts() -> None:
    result = _django(["check"], DJANGO_ENV="production", SECRET_KEY="x" * 64)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_settings_pass_the_deployment_checks() -> None:
    result = _django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr


_SEAL_CERT, _SEAL_KEY = development_seal(Path(tempfile.mkdtemp(prefix="production-seal-")))
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k3y-" + "a1B2c3D4e5F6g7H8" * 4,
    "ALLOWED_HOSTS": "registry.example.gov.vn",
    "AUDIT_HMAC_KEY": "audit-" + "Z9y8X7w6V5u4" * 4,
    "REGISTRY_SEAL_CERT": str(_SEAL_CERT),
    "REGISTRY_SEAL_KEY": str(_SEAL_KEY),
}


def test_production_refuses_to_start_without_the_seal() -> None:
    settings = {k: v for k, v in PRODUCTION.items() if k != "REGISTRY_SEAL_KEY"}
    result = _django(["check"], **settings)
    assert result.returncode != 0
    assert "REGISTRY_SEAL_KEY" in result.stderr


def test_production_refuses_to_start_without_the_audit_chain_key() -> None:
    settings = {k: v for k, v in PRODUCTION.items() if k != "AUDIT_HMAC_KEY"}
    result = _django(["check"], **settings)
    assert result.returncode != 0
    assert "AUDIT_HMAC_KEY" in result.stderr


def test_seed_demo_refuses_to_run_under_production_settings() -> None:
    result = _django(["seed_demo"], **PRODUCTION, DATABASE_URL="sqlite:////nonexistent/never.db")
    assert result.returncode != 0
    assert "production" in result.stderr
    assert "Demo data is in place" not in result.stdout


def test_make_run_on_another_port_links_to_that_port() -> None:
    # `make -n` prints the commands without running them: every process of the site gets the
    # address it is served on, unless SITE_URL says otherwise.
    def commands(**env: str) -> str:
        clean = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
        return subprocess.run(
            ["make", "-n", "run", "PORT=8765"],  # noqa: S607
            cwd=ROOT,
            env={**clean, **env},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout

    started = [line for line in commands().splitlines() if "honcho start" in line]
    assert started and started[0].startswith("SITE_URL=http://127.0.0.1:8765 ")
    assert "8000" not in commands()
    overridden = commands(SITE_URL="https://registry.example.gov.vn")
    assert "SITE_URL=https://registry.example.gov.vn PORT=8765" in overridden
