"""The throw-away PKI is what the generated cert-manager resources ask for:
names, key algorithm and size, CA flag, usages and issuer chain. (If this
drifted, the TLS run would prove something about other certificates.)"""

from __future__ import annotations

import ipaddress

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from cryptography.x509.oid import ExtendedKeyUsageOID

from flsec_e2e.plan import Plan

EKU = {"server auth": ExtendedKeyUsageOID.SERVER_AUTH, "client auth": ExtendedKeyUsageOID.CLIENT_AUTH}
CURVES = {256: ec.SECP256R1, 384: ec.SECP384R1, 521: ec.SECP521R1}


def _sans(cert: x509.Certificate, kind: type) -> list[str]:
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    return [str(v) for v in ext.get_values_for_type(kind)]


def test_every_certificate_matches_its_spec(plan: Plan) -> None:
    assert plan.issued
    for issued in plan.issued:
        spec = issued.spec
        secret = plan.store.secrets[(issued.namespace, issued.secret_name)]
        cert = x509.load_pem_x509_certificate(secret["tls.crt"])
        where = f"Certificate {issued.namespace}/{issued.name}"
        assert sorted(_sans(cert, x509.DNSName)) == sorted(spec.get("dnsNames") or []), where
        ips = [str(ipaddress.ip_address(ip)) for ip in spec.get("ipAddresses") or []]
        assert sorted(_sans(cert, x509.IPAddress)) == sorted(ips), where
        assert sorted(_sans(cert, x509.UniformResourceIdentifier)) == sorted(spec.get("uris") or []), where
        if spec.get("commonName"):
            cn = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
            assert [a.value for a in cn] == [spec["commonName"]], where

        key_spec = spec.get("privateKey") or {}
        public = cert.public_key()
        if str(key_spec.get("algorithm", "RSA")).upper() == "ECDSA":
            assert isinstance(public, ec.EllipticCurvePublicKey), where
            assert isinstance(public.curve, CURVES[int(key_spec.get("size", 256))]), where
        elif str(key_spec.get("algorithm", "RSA")).upper() == "RSA":
            assert isinstance(public, rsa.RSAPublicKey), where
            assert public.key_size == int(key_spec.get("size", 2048)), where

        basic = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
        assert basic.ca == bool(spec.get("isCA")), where
        wanted_eku = [EKU[u] for u in spec.get("usages") or [] if u in EKU]
        if wanted_eku:
            eku = list(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
            assert sorted(e.dotted_string for e in eku) == sorted(e.dotted_string for e in wanted_eku), where

        ca = x509.load_pem_x509_certificate(secret["ca.crt"])
        cert.verify_directly_issued_by(ca)  # raises if the chain is not the generated one
        if issued.issuer.startswith("ca:"):
            assert ca.subject != cert.subject, f"{where}: expected a CA-issued certificate"


def test_aggregator_key_is_of_the_generated_type(plan: Plan) -> None:
    """The key file the SuperLink is given is the key of its certificate."""
    aggregator = plan.aggregator_certificate()
    secret = plan.store.secrets[(aggregator.namespace, aggregator.secret_name)]
    key = load_pem_private_key(secret["tls.key"], password=None)
    cert = x509.load_pem_x509_certificate(secret["tls.crt"])
    assert key.public_key() == cert.public_key()
