"""Issue the certificates the generated cert-manager resources describe, with
the openssl CLI, and the participants' node-auth keys with ssh-keygen.

What cert-manager would write is reproduced: Secrets of type kubernetes.io/tls
with `tls.crt` (leaf), `tls.key` (key in the requested algorithm, size and
encoding) and `ca.crt` (issuing CA; the certificate itself when self-signed),
and trust-manager Bundles as ConfigMaps/Secrets named like the Bundle.
Supported issuers: selfSigned and ca (Issuer and ClusterIssuer). Any other
issuer (vault, acme, ...) cannot be reproduced here and fails the test.
"""

from __future__ import annotations

import math
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KEY_USAGES = {
    "digital signature": "digitalSignature",
    "content commitment": "nonRepudiation",
    "key encipherment": "keyEncipherment",
    "key agreement": "keyAgreement",
    "data encipherment": "dataEncipherment",
    "cert sign": "keyCertSign",
    "crl sign": "cRLSign",
    "encipher only": "encipherOnly",
    "decipher only": "decipherOnly",
}
EXT_KEY_USAGES = {
    "server auth": "serverAuth",
    "client auth": "clientAuth",
    "code signing": "codeSigning",
    "email protection": "emailProtection",
    "timestamping": "timeStamping",
    "ocsp signing": "OCSPSigning",
}
EC_CURVES = {256: "prime256v1", 384: "secp384r1", 521: "secp521r1"}


@dataclass
class ObjectStore:
    """Secrets and ConfigMaps as a cluster would hold them: (namespace, name) -> {key: bytes}."""

    secrets: dict[tuple[str, str], dict[str, bytes]] = field(default_factory=dict)
    config_maps: dict[tuple[str, str], dict[str, bytes]] = field(default_factory=dict)

    def lookup(self, kind: str, namespace: str | None, name: str) -> dict[str, bytes] | None:
        table = self.secrets if kind == "secret" else self.config_maps
        if (namespace or "", name) in table:
            return table[(namespace or "", name)]
        # Objects rendered without a namespace land in the namespace they are applied to.
        same_name = [v for (ns, n), v in table.items() if n == name and (ns == "" or namespace is None)]
        return same_name[0] if len(same_name) == 1 else None


def _run(cmd: list[str], cwd: Path) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
    if proc.returncode != 0:
        # openssl never prints key material on error; stderr is safe to show.
        raise RuntimeError(f"{cmd[0]} {cmd[1]} failed: {proc.stderr.strip()[-1500:]}")


def _duration_days(duration: str | None) -> int:
    """cert-manager durations are Go durations (e.g. 2160h, 8760h0m0s); default 90 days."""
    if not duration:
        return 90
    hours = 0.0
    for amount, unit in re.findall(r"([0-9.]+)(h|m|s|ms)", duration):
        hours += float(amount) * {"h": 1, "m": 1 / 60, "s": 1 / 3600, "ms": 1 / 3_600_000}[unit]
    if hours <= 0:
        raise ValueError(f"cannot parse duration {duration!r}")
    return max(1, math.ceil(hours / 24))


def generate_key(private_key: dict[str, Any] | None, out: Path) -> str:
    """Write a key as cert-manager would (PKCS1/SEC1 by default, or PKCS8).
    Returns a description such as 'ECDSA P-384'."""
    spec = private_key or {}
    algorithm = str(spec.get("algorithm", "RSA")).upper()
    encoding = str(spec.get("encoding", "PKCS1")).upper()
    raw = out.with_suffix(".pkcs8")
    if algorithm == "RSA":
        size = int(spec.get("size", 2048))
        _run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", f"rsa_keygen_bits:{size}", "-out", str(raw)], out.parent)
        convert = ["openssl", "rsa", "-traditional"]
        desc = f"RSA {size}"
    elif algorithm == "ECDSA":
        size = int(spec.get("size", 256))
        if size not in EC_CURVES:
            raise ValueError(f"unsupported ECDSA size {size}")
        _run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", f"ec_paramgen_curve:{EC_CURVES[size]}", "-out", str(raw)], out.parent)
        convert = ["openssl", "ec"]
        desc = f"ECDSA {EC_CURVES[size]}"
    elif algorithm == "ED25519":
        _run(["openssl", "genpkey", "-algorithm", "ED25519", "-out", str(raw)], out.parent)
        convert = []
        desc = "Ed25519"
        encoding = "PKCS8"
    else:
        raise ValueError(f"unsupported privateKey.algorithm {algorithm}")
    if encoding == "PKCS8" or not convert:
        raw.rename(out)
    else:
        _run(convert + ["-in", str(raw), "-out", str(out)], out.parent)
        raw.unlink()
    out.chmod(0o600)
    return desc


def _extensions(spec: dict[str, Any]) -> str:
    is_ca = bool(spec.get("isCA"))
    usages = [u.lower() for u in spec.get("usages") or ["digital signature", "key encipherment"]]
    if is_ca and "cert sign" not in usages:
        usages.append("cert sign")  # cert-manager adds it for CA certificates
    unknown = [u for u in usages if u not in KEY_USAGES and u not in EXT_KEY_USAGES]
    if unknown:
        raise ValueError(f"unsupported usages {unknown}")
    lines = [f"basicConstraints = critical, CA:{'TRUE' if is_ca else 'FALSE'}"]
    ku = [KEY_USAGES[u] for u in usages if u in KEY_USAGES]
    eku = [EXT_KEY_USAGES[u] for u in usages if u in EXT_KEY_USAGES]
    if ku:
        lines.append("keyUsage = critical, " + ", ".join(ku))
    if eku:
        lines.append("extendedKeyUsage = " + ", ".join(eku))
    sans = [f"DNS:{d}" for d in spec.get("dnsNames") or []]
    sans += [f"IP:{ip}" for ip in spec.get("ipAddresses") or []]
    sans += [f"URI:{u}" for u in spec.get("uris") or []]
    sans += [f"email:{e}" for e in spec.get("emailAddresses") or []]
    if sans:
        lines.append("subjectAltName = " + ", ".join(sans))
    lines.append("subjectKeyIdentifier = hash")
    return "\n".join(lines) + "\n"


def _subject(spec: dict[str, Any], fallback_cn: str) -> str:
    parts = []
    subject = spec.get("subject") or {}
    for key, attr in (("countries", "C"), ("provinces", "ST"), ("localities", "L"), ("organizations", "O"), ("organizationalUnits", "OU")):
        for value in subject.get(key) or []:
            parts.append(f"/{attr}={value}")
    cn = spec.get("commonName")
    if cn or not (spec.get("dnsNames") or spec.get("ipAddresses")):
        parts.append(f"/CN={cn or fallback_cn}")
    return "".join(parts) or "/"


def issue_certificate(
    spec: dict[str, Any], name: str, workdir: Path, ca: tuple[Path, Path] | None
) -> tuple[bytes, bytes, str]:
    """Issue one certificate per a Certificate spec: self-signed when `ca` is None,
    else signed by (ca_cert, ca_key). Returns (cert_pem, key_pem, key description)."""
    workdir.mkdir(parents=True, exist_ok=True)
    key = workdir / f"{name}.key"
    desc = generate_key(spec.get("privateKey"), key)
    ext = workdir / f"{name}.ext"
    ext.write_text(_extensions(spec), encoding="ascii")
    csr = workdir / f"{name}.csr"
    crt = workdir / f"{name}.crt"
    days = str(_duration_days(spec.get("duration")))
    _run(["openssl", "req", "-new", "-key", str(key), "-subj", _subject(spec, name), "-out", str(csr)], workdir)
    if ca is None:
        _run(["openssl", "x509", "-req", "-in", str(csr), "-key", str(key), "-days", days, "-extfile", str(ext), "-set_serial", "0x" + _serial(), "-out", str(crt)], workdir)
    else:
        _run(["openssl", "x509", "-req", "-in", str(csr), "-CA", str(ca[0]), "-CAkey", str(ca[1]), "-days", days, "-extfile", str(ext), "-set_serial", "0x" + _serial(), "-out", str(crt)], workdir)
    return crt.read_bytes(), key.read_bytes(), desc


def _serial() -> str:
    import secrets

    return secrets.token_hex(16)


def generate_node_key(out: Path, comment: str) -> tuple[Path, Path]:
    """EC P-384 key pair in OpenSSH format, as Flower node authentication expects."""
    out.parent.mkdir(parents=True, exist_ok=True)
    _run(["ssh-keygen", "-q", "-t", "ecdsa", "-b", "384", "-N", "", "-C", comment, "-f", str(out)], out.parent)
    return out, out.with_name(out.name + ".pub")
