"""Play cert-manager and trust-manager for the generated resources: issue every
Certificate through its (Cluster)Issuer chain and materialise Bundles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .manifests import of_kind
from .pki import ObjectStore, issue_certificate

CERT_MANAGER = "cert-manager.io"
TRUST_MANAGER = "trust.cert-manager.io"


@dataclass
class IssuedCertificate:
    namespace: str
    name: str
    secret_name: str
    spec: dict[str, Any]
    key_description: str
    issuer: str  # "selfSigned" or "ca:<secret>"


def _issuer_key(ref: dict[str, Any], namespace: str) -> tuple[str, str, str]:
    kind = ref.get("kind") or "Issuer"
    return (kind, "" if kind == "ClusterIssuer" else namespace, ref["name"])


def issue_all(docs: list[tuple[Path, dict[str, Any]]], workdir: Path) -> tuple[ObjectStore, list[IssuedCertificate]]:
    """Issue all Certificates (CA chains first) and build trust bundles."""
    store = ObjectStore()
    issuers: dict[tuple[str, str, str], dict[str, Any]] = {}
    for kind in ("Issuer", "ClusterIssuer"):
        for doc in of_kind(docs, kind, CERT_MANAGER):
            ns = "" if kind == "ClusterIssuer" else (doc["metadata"].get("namespace") or "")
            issuers[(kind, ns, doc["metadata"]["name"])] = doc.get("spec") or {}

    pending = list(of_kind(docs, "Certificate", CERT_MANAGER))
    if not pending:
        raise AssertionError("the generated manifests contain no cert-manager Certificate")
    key_files: dict[tuple[str, str], tuple[Path, Path]] = {}
    issued: list[IssuedCertificate] = []
    while pending:
        progressed = False
        for doc in list(pending):
            meta, spec = doc["metadata"], doc.get("spec") or {}
            ns = meta.get("namespace") or ""
            ikey = _issuer_key(spec.get("issuerRef") or {}, ns)
            issuer = issuers.get(ikey) or (issuers.get((ikey[0], "", ikey[2])) if ikey[1] else None)
            if issuer is None:
                raise AssertionError(f"Certificate {ns}/{meta['name']} references {ikey[0]} {ikey[2]!r}, which is not generated")
            if "selfSigned" in issuer:
                ca, via = None, "selfSigned"
            elif "ca" in issuer:
                ca_secret = issuer["ca"]["secretName"]
                ca_ns = ikey[1] or ns
                ca = key_files.get((ca_ns, ca_secret))
                if ca is None and ikey[0] == "ClusterIssuer":
                    # A ClusterIssuer's CA Secret lives in cert-manager's own namespace.
                    ca = next((v for (_, n), v in key_files.items() if n == ca_secret), None)
                if ca is None:
                    continue  # its CA is issued in a later pass
                via = f"ca:{ca_secret}"
            else:
                raise AssertionError(
                    f"Certificate {ns}/{meta['name']}: issuer type {sorted(issuer)} cannot be reproduced offline"
                )
            secret = spec["secretName"]
            crt, key, desc = issue_certificate(spec, f"{ns or 'default'}-{meta['name']}", workdir, ca)
            ca_pem = crt if ca is None else ca[0].read_bytes()
            store.secrets[(ns, secret)] = {"tls.crt": crt, "tls.key": key, "ca.crt": ca_pem}
            key_files[(ns, secret)] = (
                workdir / f"{ns or 'default'}-{meta['name']}.crt",
                workdir / f"{ns or 'default'}-{meta['name']}.key",
            )
            issued.append(IssuedCertificate(ns, meta["name"], secret, spec, desc, via))
            pending.remove(doc)
            progressed = True
        if not progressed:
            names = [f"{d['metadata'].get('namespace')}/{d['metadata']['name']}" for d in pending]
            raise AssertionError(f"Certificates whose CA is never issued: {names}")

    materialise_bundles(docs, store)
    return store, issued


def materialise_bundles(docs: list[tuple[Path, dict[str, Any]]], store: ObjectStore) -> None:
    """Write every trust-manager Bundle's target into the namespaces it selects."""
    namespaces = {
        str(doc["metadata"]["name"]): dict(doc["metadata"].get("labels") or {}) for doc in of_kind(docs, "Namespace")
    }
    for bundle in of_kind(docs, "Bundle", TRUST_MANAGER):
        _materialise_bundle(bundle, store, namespaces)


def _target_namespaces(bundle: dict[str, Any], namespaces: dict[str, dict[str, str]]) -> list[str]:
    """'' (every namespace) without a selector, else the generated namespaces it matches."""
    selector = ((bundle.get("spec") or {}).get("target") or {}).get("namespaceSelector")
    if selector is None:
        return [""]
    if set(selector) - {"matchLabels"}:
        raise AssertionError(f"Bundle {bundle['metadata']['name']}: namespaceSelector {sorted(selector)} is not reproduced here")
    wanted = selector.get("matchLabels") or {}
    chosen = [ns for ns, labels in namespaces.items() if all(labels.get(k) == v for k, v in wanted.items())]
    if not chosen:
        raise AssertionError(f"Bundle {bundle['metadata']['name']} selects none of the generated namespaces {sorted(namespaces)}")
    return chosen


def _materialise_bundle(bundle: dict[str, Any], store: ObjectStore, namespaces: dict[str, dict[str, str]]) -> None:
    spec, name = bundle.get("spec") or {}, bundle["metadata"]["name"]
    pems: list[bytes] = []
    for source in spec.get("sources") or []:
        if "useDefaultCAs" in source:
            continue  # public CAs do not matter on loopback
        if "inLine" in source:
            pems.append(str(source["inLine"]).encode())
            continue
        kind = "secret" if "secret" in source else "configMap"
        ref = source.get(kind) or {}
        obj = store.lookup(kind, None, ref.get("name", ""))
        if obj is None or ref.get("key") not in obj:
            raise AssertionError(f"Bundle {name}: source {kind} {ref.get('name')}/{ref.get('key')} is not produced by any generated resource")
        pems.append(obj[ref["key"]])
    content = b"".join(p if p.endswith(b"\n") else p + b"\n" for p in pems)
    target = spec.get("target") or {}
    for kind in ("configMap", "secret"):
        if kind in target:
            table = store.config_maps if kind == "configMap" else store.secrets
            # trust-manager writes the target into every selected namespace.
            for ns in _target_namespaces(bundle, namespaces):
                table[(ns, name)] = {target[kind]["key"]: content}
