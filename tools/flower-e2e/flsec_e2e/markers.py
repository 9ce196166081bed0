"""Byte strings that must never be seen in clear on the fleet port.

All markers are at least 6 bytes long, so that ciphertext matching one by
chance is negligible (< 2^-48 per position)."""

from __future__ import annotations

import base64
from pathlib import Path

from cryptography.hazmat.primitives import serialization

# Flower's HTTP API paths, RPC/message names and headers (1.42 protobuf-over-HTTP).
FLOWER_NAMES = [
    b"/v1/fleet/",
    b"/v1/control/",
    b"/v1/runtime/",
    b"pull-messages",
    b"push-messages",
    b"send-node-heartbeat",
    b"activate-node",
    b"PullMessages",
    b"PushMessages",
    b"SendNodeHeartbeat",
    b"flwr.proto",
    b"flwr-public-key",
    b"flwr-signature",
    b"flwr-timestamp",
    b"application/protobuf",
    b"HTTP/1.1",
]
# Every numpy array Flower sends is an .npy file (Array.from_numpy_ndarray).
MODEL = [b"\x93NUMPY", b"fortran_order"]
# The app bundle (FAB) is a zip whose member names are stored in clear.
FAB = [b"pyproject.toml"]


def node_public_key_marker(openssh_public_key: Path) -> bytes:
    """The flwr-public-key header value a SuperNode sends (base64 of the PEM)."""
    key = serialization.load_ssh_public_key(openssh_public_key.read_bytes())
    pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    # Skip the PEM header and the constant P-384 SubjectPublicKeyInfo prefix.
    return base64.b64encode(pem)[96:160]


def all_markers(public_keys: list[Path], extra: dict[str, bytes] | None = None) -> dict[str, bytes]:
    markers: dict[str, bytes] = {}
    for m in FLOWER_NAMES:
        markers[f"Flower name {m.decode()!r}"] = m
    for m in MODEL:
        markers[f"model bytes {m!r}"] = m
    for m in FAB:
        markers[f"app bundle {m.decode()!r}"] = m
    for key in public_keys:
        markers[f"node public key {key.name}"] = node_public_key_marker(key)
    markers.update(extra or {})
    too_short = [k for k, v in markers.items() if len(v) < 6]
    if too_short:
        raise ValueError(f"markers shorter than 6 bytes: {too_short}")
    return markers
