"""Control for the wire checks: the same federation and app with TLS switched
off (--insecure on every process) must be caught by the very checks that pass
for the generated TLS run. Without this, "no Flower data in clear" could pass
because the markers were wrong or the capture saw nothing."""

from __future__ import annotations

from flsec_e2e.markers import all_markers
from flsec_e2e.npy import distinctive_payloads

# Markers of the protobuf-over-HTTP transport of Flower 1.42 that a plaintext
# run must show (the gRPC method names only appear with the legacy gRPC transport).
EXPECTED_IN_CLEAR = [
    "'/v1/fleet/'",
    "'/v1/control/'",
    "'pull-messages'",
    "'push-messages'",
    "'flwr-public-key'",
    "'flwr-signature'",
    "b'\\x93NUMPY'",
    "'pyproject.toml'",
]


def test_plaintext_twin_completes(plaintext_twin) -> None:  # type: ignore[no-untyped-def]
    assert plaintext_twin.run["status"] == "finished:completed", plaintext_twin.run_logs[-3000:]


def test_record_check_flags_plaintext(plaintext_twin) -> None:  # type: ignore[no-untyped-def]
    wire = plaintext_twin.wire
    assert wire.connections > 0
    assert any("is not a TLS record" in p for p in wire.problems), wire.problems[:5]


def test_marker_search_finds_flower_data(plaintext_twin) -> None:  # type: ignore[no-untyped-def]
    hits = " | ".join(plaintext_twin.wire.find(all_markers([])))
    missing = [m for m in EXPECTED_IN_CLEAR if m not in hits]
    assert not missing, f"not found in the plaintext capture: {missing}; found: {hits}"


def test_model_arrays_are_recognisable(plaintext_twin) -> None:  # type: ignore[no-untyped-def]
    """The app's arrays are read back from the plaintext capture, and some are
    distinctive enough to search for in the TLS capture."""
    assert plaintext_twin.arrays, "no .npy arrays in the plaintext capture"
    assert distinctive_payloads(plaintext_twin.arrays), "only trivial (constant) arrays on the wire"
