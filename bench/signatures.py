"""How long validating signatures takes: a contract signed by both parties, and a letter
sealed by the registry (a WeasyPrint-sized one-page PDF), validated offline with pyHanko.

    .venv/bin/python bench/signatures.py [--rounds 20]

Needs no database: the trust list is given to the check directly.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds

    import django

    django.setup()
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization

    from accounts.certificates import certificate_issue
    from contracts.seal import pdf_seal, pdf_sign, seal_certificate
    from contracts.signatures import pdf_signatures_check
    from tests.factories import minimal_pdf

    ca, ca_key = certificate_issue(common_name="Bench CA", authority=True)
    roots = [asn1_x509.Certificate.load(ca.public_bytes(serialization.Encoding.DER))]
    content = minimal_pdf()
    for field, tax_code in (("Trader", "0101234567"), ("Broker", "0109876543")):
        certificate, key = certificate_issue(
            common_name=field, tax_code=tax_code, issuer=(ca, ca_key)
        )
        content = pdf_sign(content, certificate=certificate, key=key, chain=[ca], field_name=field)
    sealed = pdf_seal(minimal_pdf(), number="LOA-2026-000001")
    seal_roots = [
        asn1_x509.Certificate.load(seal_certificate().public_bytes(serialization.Encoding.DER))
    ]

    def timed(document: bytes, trust: list[asn1_x509.Certificate], expected: int) -> float:
        samples = []
        for _round in range(rounds):
            started = time.perf_counter()
            checks = pdf_signatures_check(document, roots=trust)
            samples.append(time.perf_counter() - started)
            assert len(checks) == expected and all(c.verdict == "valid" for c in checks), checks
        return statistics.median(samples) * 1000

    contract_ms = timed(content, roots, 2)
    seal_started = time.perf_counter()
    for _round in range(rounds):
        pdf_seal(minimal_pdf(), number="LOA-2026-000001")
    sealing_ms = (time.perf_counter() - seal_started) / rounds * 1000
    letter_ms = timed(sealed, seal_roots, 1)
    print(f"two-signature contract: validation {contract_ms:.0f} ms (median of {rounds})")
    print(f"sealed letter: validation {letter_ms:.0f} ms, sealing {sealing_ms:.0f} ms")
    print(f"bench-signatures: contract={contract_ms:.0f}ms letter={letter_ms:.0f}ms")


if __name__ == "__main__":
    main()
