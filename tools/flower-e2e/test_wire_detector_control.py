"""Control for the wire checks: the same federation and app with TLS switched
off (--insecure on every process) must be caught by the very checks that pass
for the generated TLS run. Without this, "no Flower data in clear" could pass
because the markers were wrong or the capture saw nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import new_group
from flsec_e2e import federation
from flsec_e2e.capture import Capture
from flsec_e2e.markers import all_markers
from flsec_e2e.plan import Plan, build_plan
from flsec_e2e.wire import WireReport, analyse
from test_federation_tls import rounds_config


@pytest.fixture(scope="module")
def plaintext_run(generated_dir: Path, workdir: Path, venv: Path, app_dir: Path, link_flags, node_flags) -> Iterator[tuple[Plan, federation.Running, WireReport]]:  # type: ignore[no-untyped-def]
    plan = build_plan(generated_dir, workdir / "control", link_flags, node_flags)
    group = new_group(workdir, venv, plan, "control-run")
    capture = Capture(workdir / "control-run" / "fleet.pcap", [plan.port])
    try:
        capture.start()
        running = federation.start(plan, group, venv, workdir / "control-run", insecure=True)
        federation.run_app(running, app_dir, rounds_config(app_dir), timeout=300)
        capture.stop()
        yield plan, running, analyse(capture.pcap, plan.port)
    finally:
        capture.stop()
        group.stop_all()
        assert group.tagged_pids() == [], "processes of the suite survived teardown"


def test_plaintext_run_completes(plaintext_run) -> None:  # type: ignore[no-untyped-def]
    _, running, _ = plaintext_run
    assert running.run is not None and running.run["status"] == "finished:completed", running.run_logs[-3000:]


def test_record_check_flags_plaintext(plaintext_run) -> None:  # type: ignore[no-untyped-def]
    _, _, wire = plaintext_run
    assert wire.connections > 0
    assert any("is not a TLS record" in p for p in wire.problems), wire.problems[:5]


def test_marker_search_finds_flower_data(plaintext_run) -> None:  # type: ignore[no-untyped-def]
    _, _, wire = plaintext_run
    hits = " | ".join(wire.find(all_markers([])))
    for expected in ("'/v1/fleet/'", "pull-messages", "b'\\x93NUMPY'", "'pyproject.toml'", "flwr-public-key"):
        assert expected in hits, f"{expected} not found in the plaintext capture: {hits}"
