"""A real Flower federation with the generated command lines and certificates:
the skeleton app completes over TLS, the fleet port (the in-pod gateway)
carries only TLS records with no Flower data in clear, so does the in-pod hop
to the SuperLink, and what must be refused is refused, including the Control
API from a participant's position."""

from __future__ import annotations

import http.client
import math
import re
import ssl
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from conftest import ROUNDS, PlaintextTwin, new_group, rounds_config
from flsec_e2e import federation, probes
from flsec_e2e.capture import Capture, CaptureResult
from flsec_e2e.flwr_cli import CONNECTION, FlwrCli
from flsec_e2e.markers import all_markers
from flsec_e2e.npy import distinctive_payloads
from flsec_e2e.pki import generate_node_key, issue_certificate
from flsec_e2e.plan import Plan
from flsec_e2e.wire import WireReport, analyse

@pytest.fixture(scope="module")
def tls_run(plan: Plan, workdir: Path, venv: Path, app_dir: Path, plaintext_twin: PlaintextTwin) -> Iterator[tuple[federation.Running, CaptureResult]]:
    # plaintext_twin is requested so that it runs (and is torn down) first.
    group = new_group(workdir, venv, plan, "tls-run")
    # The participants' port (gateway) and the SuperLink's loopback port.
    capture = Capture(workdir / "tls-run" / "fleet.pcap", [plan.port, plan.control_port])
    try:
        # The capture starts before the SuperLink, so every connection is seen from its SYN.
        capture.start()
        running = federation.start(plan, group, venv, workdir / "tls-run")
        federation.run_app(running, app_dir, rounds_config(app_dir), timeout=300)
        # Stop before the negative probes: their plaintext attempts are not part of the run.
        result = capture.stop()
        yield running, result
    finally:
        capture.stop()
        group.stop_all()
        assert group.tagged_pids() == [], "processes of the suite survived teardown"


@pytest.fixture(scope="module")
def wire(tls_run: tuple[federation.Running, CaptureResult], plan: Plan) -> WireReport:
    return analyse(tls_run[1].pcap, plan.port)


@pytest.fixture(scope="module")
def inner_wire(tls_run: tuple[federation.Running, CaptureResult], plan: Plan) -> WireReport:
    """The SuperLink's own listener, on loopback in the pod: the gateway's
    forwarded Fleet calls, the operator's Control API calls, the ServerApp runner."""
    return analyse(tls_run[1].pcap, plan.control_port)


def test_app_completes_over_tls(tls_run: tuple[federation.Running, CaptureResult]) -> None:
    running, _ = tls_run
    assert running.run is not None
    assert running.run["status"] == "finished:completed", running.run_logs[-4000:]
    # Each participant answered in every round: the SuperLink logs one push per reply.
    link_log = running.superlink.log()
    for name, node_id in running.node_ids.items():
        pushes = len(re.findall(rf"Push replies from node_id={node_id}\b", link_log))
        assert pushes >= ROUNDS, f"{name} (node {node_id}) pushed {pushes} replies, expected >= {ROUNDS}"


def test_capture_is_complete(tls_run: tuple[federation.Running, CaptureResult]) -> None:
    _, result = tls_run
    assert result.received > 0, result.stderr
    assert result.dropped == 0, f"tcpdump dropped packets: {result.stderr}"


def test_every_payload_is_tls(wire: WireReport, plan: Plan) -> None:
    assert not wire.problems, "\n".join(wire.problems)
    # The SuperNodes (the operator CLI and the ServerApp runner use the
    # SuperLink's loopback port, checked below).
    assert wire.connections >= len(plan.participants)
    assert wire.negotiated, "no ServerHello seen"
    assert set(wire.negotiated.values()) <= {"TLS 1.2", "TLS 1.3"}, wire.negotiated
    for d in wire.directions:
        assert d.nbytes == 0 or d.app_data_bytes > 0, f"{d.src}->{d.dst}: no application data records"


def test_in_pod_hop_and_control_api_are_tls(inner_wire: WireReport, plan: Plan) -> None:
    """Behind the gateway, on the SuperLink's loopback port: TLS again (the
    gateway verifies the SuperLink certificate), no Flower data in clear."""
    assert not inner_wire.problems, "\n".join(inner_wire.problems)
    # Gateway connections, the operator CLI, the ServerApp runner.
    assert inner_wire.connections >= 3, inner_wire.connections
    assert set(inner_wire.negotiated.values()) <= {"TLS 1.2", "TLS 1.3"}, inner_wire.negotiated
    keys = [p.public_key for p in plan.participants if p.public_key is not None]
    hits = inner_wire.find(all_markers(keys))
    assert not hits, "\n".join(hits)


def test_participants_verify_the_generated_name(wire: WireReport, plan: Plan) -> None:
    """SuperNodes dial the generated Service name (SNI), so the certificate is
    checked against the name used in the cluster, not against 127.0.0.1."""
    assert plan.dial_hosts, "no --superlink host in the generated SuperNodes"
    names = set(wire.sni.values())
    assert set(plan.dial_hosts) <= names, f"SNI seen: {names}"


def test_no_flower_data_in_clear(wire: WireReport, plan: Plan) -> None:
    keys = [p.public_key for p in plan.participants if p.public_key is not None]
    hits = wire.find(all_markers(keys))
    assert not hits, "\n".join(hits)


NUMBER = re.compile(r"-?\d+\.\d+(?:e-?\d+)?")


def _metrics(logs: str) -> tuple[list[str], list[float]]:
    """Aggregated metric lines of a run log: their text (numbers blanked) and numbers."""
    lines = [line.split("INFO", 1)[-1].strip() for line in logs.splitlines() if "Aggregated MetricRecord" in line]
    return [NUMBER.sub("#", line) for line in lines], [float(n) for line in lines for n in NUMBER.findall(line)]


def test_runs_exchange_the_same_model(tls_run, plaintext_twin: PlaintextTwin) -> None:  # type: ignore[no-untyped-def]
    """The app is deterministic: the TLS run computes what the plaintext twin
    computed (up to the order in which replies are averaged), so it sent the
    same arrays, which the next test looks for."""
    running, _ = tls_run
    twin_text, twin_numbers = _metrics(plaintext_twin.run_logs)
    tls_text, tls_numbers = _metrics(running.run_logs)
    assert twin_numbers, "no aggregated metrics in the run logs"
    assert tls_text == twin_text
    assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(tls_numbers, twin_numbers)), (tls_numbers, twin_numbers)


def test_no_model_bytes_in_clear(wire: WireReport, plaintext_twin: PlaintextTwin) -> None:
    payloads = distinctive_payloads(plaintext_twin.arrays)
    assert payloads, "the plaintext twin showed no recognisable arrays"
    markers = {f"model array #{i} ({len(p)} bytes)": p for i, p in enumerate(sorted(payloads))}
    hits = wire.find(markers)
    assert not hits, "\n".join(hits)


def test_encrypted_bytes_cover_the_run(wire: WireReport, tls_run: tuple[federation.Running, CaptureResult]) -> None:
    """The capture saw at least the traffic Flower accounts to the run, all of it
    inside TLS application_data records."""
    running, _ = tls_run
    assert running.run is not None
    run_bytes = int(running.run["network-traffic"]["total-bytes"])
    app_data = sum(d.app_data_bytes for d in wire.directions)
    assert run_bytes > 0
    assert app_data >= run_bytes, f"{app_data} encrypted bytes < {run_bytes} bytes of run traffic"


# Negative checks, against the same running SuperLink ---------------------------------


def test_participant_without_ca_is_refused(tls_run, workdir: Path) -> None:  # type: ignore[no-untyped-def]
    """With no --root-certificates the SuperNode uses the system trust store,
    which does not know the federation CA: the handshake fails."""
    running, _ = tls_run
    key, pub = generate_node_key(workdir / "probes" / "no-ca", "no-ca probe")
    node_id = running.cli.register(pub)
    args = probes.replace_flag(probes.participant_args(running), "--root-certificates", None)
    args = probes.replace_flag(args, "--auth-supernode-private-key", str(key))
    code, log = probes.probe_supernode(running, "no-ca", args)
    assert code != 0, log[-3000:]
    assert "CERTIFICATE_VERIFY_FAILED" in log, log[-3000:]
    assert federation.node_statuses(running)[node_id] == "registered"


def test_participant_trusting_another_ca_is_refused(tls_run, workdir: Path) -> None:  # type: ignore[no-untyped-def]
    running, _ = tls_run
    rogue_dir = workdir / "probes" / "rogue-ca"
    rogue_ca, _, _ = issue_certificate({"isCA": True, "commonName": "rogue CA", "privateKey": {"algorithm": "ECDSA", "size": 384}}, "rogue-ca", rogue_dir, None)
    (rogue_dir / "rogue-ca.pem").write_bytes(rogue_ca)
    key, pub = generate_node_key(workdir / "probes" / "rogue-trust", "rogue-trust probe")
    node_id = running.cli.register(pub)
    args = probes.replace_flag(probes.participant_args(running), "--root-certificates", str(rogue_dir / "rogue-ca.pem"))
    args = probes.replace_flag(args, "--auth-supernode-private-key", str(key))
    code, log = probes.probe_supernode(running, "rogue-trust", args)
    assert code != 0, log[-3000:]
    assert "CERTIFICATE_VERIFY_FAILED" in log, log[-3000:]
    assert federation.node_statuses(running)[node_id] == "registered"


def test_insecure_participant_is_refused(tls_run) -> None:  # type: ignore[no-untyped-def]
    """A SuperNode speaking plaintext HTTP to the TLS port gets no answer."""
    running, _ = tls_run
    before = federation.node_statuses(running)
    code, log = probes.probe_supernode(running, "insecure", probes.insecure_args(running))
    assert code != 0, log[-3000:]
    # The TLS gateway either closes or resets a plaintext connection (timing);
    # both mean no HTTP answer.
    assert any(
        sign in log
        for sign in ("Server disconnected without sending a response", "Connection reset by peer")
    ), log[-3000:]
    assert federation.node_statuses(running) == before


def test_insecure_flag_with_node_key_is_rejected_by_flower(tls_run) -> None:  # type: ignore[no-untyped-def]
    """Flower itself refuses node authentication without TLS."""
    running, _ = tls_run
    args = probes.replace_flag(probes.participant_args(running), "--root-certificates", None) + ["--insecure"]
    code, log = probes.probe_supernode(running, "insecure-with-key", args)
    assert code != 0, log[-3000:]
    assert "Node authentication can only be used when TLS is enabled" in log, log[-3000:]


def test_participant_without_node_key_cannot_self_register(tls_run) -> None:  # type: ignore[no-untyped-def]
    """Without a key a SuperNode asks the SuperLink to register it; the generated
    --enable-supernode-auth makes the SuperLink refuse (only the operator
    registers keys)."""
    running, _ = tls_run
    before = federation.node_statuses(running)
    args = probes.replace_flag(probes.participant_args(running), "--auth-supernode-private-key", None)
    code, log = probes.probe_supernode(running, "self-register", args)
    assert code != 0, log[-3000:]
    assert "All SuperNodes must be registered via the CLI" in log, log[-3000:]
    assert federation.node_statuses(running) == before


def test_unregistered_participant_is_refused(tls_run, workdir: Path) -> None:  # type: ignore[no-untyped-def]
    """A site with the federation CA and a key the operator never registered."""
    running, _ = tls_run
    key, _ = generate_node_key(workdir / "probes" / "unregistered", "unregistered probe")
    before = federation.node_statuses(running)
    args = probes.replace_flag(probes.participant_args(running), "--auth-supernode-private-key", str(key))
    code, log = probes.probe_supernode(running, "unregistered", args)
    assert code != 0, log[-3000:]
    assert "Failed to activate SuperNode" in log, log[-3000:]
    assert "No SuperNode found with the given public key" in running.superlink.log()
    assert federation.node_statuses(running) == before


def test_control_api_is_refused_on_the_fleet_port(tls_run, plan: Plan, workdir: Path) -> None:  # type: ignore[no-untyped-def]
    """From a participant's position (the fleet port, the name it dials, the
    federation CA) `flwr` gets no Control API: no node key registration, no
    node or run listing. The same calls work on the loopback port (above)."""
    running, _ = tls_run
    host = plan.dial_hosts[0]
    outsider = FlwrCli(running.group, Path(running.cli.flwr).parent, workdir / "probes" / "outsider-flwr-home", f"{host}:{plan.port}", federation._participant_ca(plan))  # pylint: disable=protected-access
    _, pub = generate_node_key(workdir / "probes" / "outsider", "outsider probe")
    before = federation.node_statuses(running)
    for args in (("supernode", "register", str(pub), CONNECTION), ("supernode", "list", CONNECTION), ("list", CONNECTION)):
        answer = outsider.attempt(*args)
        assert answer.get("success") is False, f"flwr {' '.join(args)} on the fleet port: {answer}"
        assert "403 Forbidden" in str(answer.get("error-message")), answer
    assert federation.node_statuses(running) == before, "a node key was registered through the fleet port"


FORBIDDEN = [
    ("POST", "/v1/control/list-runs"),
    ("POST", "/v1/control/register-node"),
    ("POST", "/v1/runtime/list-runs"),
    ("GET", "/docs"),
    ("GET", "/health"),
    ("GET", "/v1/fleet/pull-messages"),
    ("POST", "/v1/fleet/../control/list-nodes"),
    ("POST", "/v1/fleet/%2e%2e/control/list-nodes"),
    ("POST", "/v1/fleet/pull-messages/../../control/list-nodes"),
    ("POST", "//v1/control/list-runs"),
]


def _https(plan: Plan, method: str, path: str) -> int:
    context = ssl.create_default_context(cafile=str(federation._participant_ca(plan)))  # pylint: disable=protected-access
    conn = http.client.HTTPSConnection("127.0.0.1", plan.port, context=context, timeout=10)
    try:
        conn.request(method, path, body=b"" if method == "POST" else None, headers={"Host": plan.dial_hosts[0], "Content-Type": "application/protobuf"})
        return conn.getresponse().status
    finally:
        conn.close()


@pytest.mark.parametrize(("method", "path"), FORBIDDEN)
def test_gateway_forwards_only_fleet_calls(tls_run, plan: Plan, method: str, path: str) -> None:  # type: ignore[no-untyped-def]
    assert _https(plan, method, path) == 403


def test_gateway_forwards_fleet_calls(tls_run, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    """Control for the refusals above: a Fleet call reaches Flower (which
    rejects the unsigned empty request itself, not with the gateway's 403)."""
    status = _https(plan, "POST", "/v1/fleet/get-run")
    assert status != 403 and status < 500, status


def test_plaintext_grpc_gets_no_service(tls_run, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    assert probes.plaintext_grpc(plan.port) == grpc.StatusCode.UNAVAILABLE


def test_plaintext_http_gets_no_service(tls_run, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    answer = probes.plaintext_http(plan.port, plan.dial_hosts[0] if plan.dial_hosts else "localhost")
    assert not answer.startswith(b"HTTP/"), answer[:200]
    # Either nothing or a TLS alert record.
    assert answer == b"" or answer[0] == 21, answer[:40]


def test_tls_client_with_federation_ca_is_served(tls_run, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    """Control for the two checks above: the port does answer TLS."""
    running, _ = tls_run
    ca = federation._participant_ca(plan)  # pylint: disable=protected-access
    assert probes.tls_handshake(plan.port, plan.dial_hosts[0], ca) in ("TLSv1.2", "TLSv1.3")


def test_participant_refuses_impostor_with_participant_certificate(tls_run, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    """A participant's certificate is issued by the same CA but does not name the
    SuperLink: a SuperNode will not take a (compromised) participant for the
    SuperLink."""
    running, _ = tls_run
    participant_cert = next(c for c in plan.issued if c.secret_name != plan.aggregator_certificate().secret_name and not c.spec.get("isCA"))
    secret = plan.store.secrets[(participant_cert.namespace, participant_cert.secret_name)]
    probe_dir = plan.superlink.root.parent / "impostor-participant"
    probe_dir.mkdir(parents=True, exist_ok=True)
    for name, content in secret.items():
        (probe_dir / name).write_bytes(content)
    _, port = probes.start_impostor(running, "participant-cert", probe_dir / "tls.crt", probe_dir / "tls.key", probe_dir / "ca.crt")
    args = probes.replace_flag(probes.participant_args(running), "--superlink", f"{plan.dial_hosts[0]}:{port}")
    code, log = probes.probe_supernode(running, "to-impostor", args)
    assert code != 0, log[-3000:]
    assert "CERTIFICATE_VERIFY_FAILED" in log, log[-3000:]


def test_participant_refuses_impostor_from_another_ca(tls_run, plan: Plan, workdir: Path) -> None:  # type: ignore[no-untyped-def]
    """Same names and key type as the generated aggregator Certificate, but
    signed by a CA the federation does not trust."""
    running, _ = tls_run
    rogue_dir = workdir / "probes" / "impostor"
    issue_certificate({"isCA": True, "commonName": "rogue CA"}, "rogue", rogue_dir, None)
    issue_certificate(plan.aggregator_certificate().spec, "impostor", rogue_dir, (rogue_dir / "rogue.crt", rogue_dir / "rogue.key"))
    _, port = probes.start_impostor(running, "rogue-ca", rogue_dir / "impostor.crt", rogue_dir / "impostor.key", rogue_dir / "rogue.crt")
    args = probes.replace_flag(probes.participant_args(running), "--superlink", f"{plan.dial_hosts[0]}:{port}")
    code, log = probes.probe_supernode(running, "to-rogue", args)
    assert code != 0, log[-3000:]
    assert "CERTIFICATE_VERIFY_FAILED" in log, log[-3000:]
