"""Cross-silo on the wire: the sites of examples/federation-cross-silo.yaml,
each in its own cluster, run from their own generated bundles. Each trusts
only the CA its bundle distributes (a ConfigMap for one site, a trust-manager
Bundle for the other) and authenticates with the key its generated init
container made on its own volume. They dial the aggregator's external host
(resolved to loopback, SNI and certificate check unchanged) through an entry
built from the generated SSL-passthrough Ingress, and the run shows what
test_federation_tls.py shows for one cluster: the app completes, only TLS
records cross the entry, the fleet port and the in-pod hop, no Flower data or
model bytes in clear; a site with the bundle generated before the federation
CA was copied in, or with a key that was never registered, is refused."""

from __future__ import annotations

import math
import re
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from conftest import ROUNDS, PlaintextTwin, new_group, rounds_config
from flsec_e2e import cli_flags, federation, probes
from flsec_e2e.capture import Capture, CaptureResult
from flsec_e2e.cross_silo import CLUSTERS_DIR, CrossSilo, SiteNode, build_cross_silo, run_keygen
from flsec_e2e.markers import all_markers
from flsec_e2e.npy import distinctive_payloads
from flsec_e2e.plan import Participant
from flsec_e2e.wire import WireReport, analyse

RunAndCapture = tuple[federation.Running, CaptureResult]


@pytest.fixture(scope="module")
def silo(workdir: Path, link_flags, node_flags) -> CrossSilo:  # type: ignore[no-untyped-def]
    return build_cross_silo(workdir / "cross-silo", link_flags, node_flags)


@pytest.fixture(scope="module")
def silo_run(silo: CrossSilo, workdir: Path, venv: Path, app_dir: Path, plaintext_twin: PlaintextTwin) -> Iterator[RunAndCapture]:
    # plaintext_twin is requested so that it runs (and is torn down) first.
    plan = silo.plan
    group = new_group(workdir, venv, plan, "silo-run")
    # The external entry the sites dial, the gateway's fleet port behind it, the SuperLink's loopback port.
    capture = Capture(workdir / "silo-run" / "fleet.pcap", [silo.entry.listen_port, plan.port, plan.control_port])
    try:
        capture.start()
        entry = group.start("external-entry", silo.entry.argv(federation.gateway_binary()))
        federation.wait_gateway(silo.entry.listen_port, entry, timeout=30)
        running = federation.start(plan, group, venv, workdir / "silo-run")
        federation.run_app(running, app_dir, rounds_config(app_dir), timeout=300)
        yield running, capture.stop()
    finally:
        capture.stop()
        group.stop_all()
        assert group.tagged_pids() == [], "processes of the cross-silo run survived teardown"


@pytest.fixture(scope="module")
def entry_wire(silo_run: RunAndCapture, silo: CrossSilo) -> WireReport:
    """What the sites send to the external entry."""
    return analyse(silo_run[1].pcap, silo.entry.listen_port)


@pytest.fixture(scope="module")
def silo_wire(silo_run: RunAndCapture, silo: CrossSilo) -> WireReport:
    """The fleet gateway's port, behind the entry."""
    return analyse(silo_run[1].pcap, silo.plan.port)


@pytest.fixture(scope="module")
def silo_inner_wire(silo_run: RunAndCapture, silo: CrossSilo) -> WireReport:
    return analyse(silo_run[1].pcap, silo.plan.control_port)


def _flag(args: list[str], flag: str, node_flags) -> str:  # type: ignore[no-untyped-def]
    values = cli_flags.values(cli_flags.split_args(args, node_flags), flag)
    assert len(values) == 1, f"{flag}: {values}"
    return values[0]


def _pems(data: bytes) -> list[bytes]:
    """The certificates of a PEM bundle, as DER (formatting does not count)."""
    return [c.public_bytes(serialization.Encoding.DER) for c in x509.load_pem_x509_certificates(data)]


def test_each_site_trusts_only_what_its_own_bundle_distributes(silo: CrossSilo, node_flags) -> None:  # type: ignore[no-untyped-def]
    """Each site reads the federation CA from its own cluster's objects (a
    ConfigMap of its bundle, or the trust-manager Bundle's target), never
    from the aggregator's PKI; its bundle holds no Secret and no key."""
    assert {s.ca_distribution for s in silo.sites} == {"configmap", "trust-manager"}
    assert {s.cluster for s in silo.sites}.isdisjoint({silo.aggregator_cluster})
    for site, participant in zip(silo.sites, silo.plan.participants):
        ca_file = Path(_flag(participant.prepared.args, "--root-certificates", node_flags))
        assert _pems(ca_file.read_bytes()) == _pems(silo.federation_ca), site.name
        assert _pems(site.stale_ca_bundle) != _pems(silo.federation_ca)
        bundle = silo.generated / CLUSTERS_DIR / site.cluster
        texts = [p.read_text(encoding="utf-8") for p in bundle.rglob("*.yaml")]
        assert not any(re.search(r"^kind: Secret$", t, re.M) for t in texts), f"{site.cluster} bundle has a Secret"
        assert not any("PRIVATE KEY" in t for t in texts), f"{site.cluster} bundle holds a private key"
        kinds = {m.group(1) for t in texts for m in re.finditer(r"^kind: (\w+)$", t, re.M)}
        expected = "Bundle" if site.ca_distribution == "trust-manager" else "ConfigMap"
        assert expected in kinds, f"{site.cluster}: no {expected} distributes the CA ({sorted(kinds)})"


def test_site_keys_stay_on_the_sites_volume(silo: CrossSilo) -> None:
    """The private key exists only where the site's init container wrote it:
    not in the generated tree, not among the aggregator cluster's objects."""
    for site, participant in zip(silo.sites, silo.plan.participants):
        assert participant.private_key is not None and participant.private_key.is_file()
        key = participant.private_key.read_bytes()
        assert b"OPENSSH PRIVATE KEY" in key
        assert participant.private_key.is_relative_to(site.pod_root)
        body = key.split(b"\n")[1]
        for objects in (silo.plan.store.secrets, silo.plan.store.config_maps):
            assert not any(body in value for obj in objects.values() for value in obj.values())
        assert not any(body in p.read_bytes() for p in silo.generated.rglob("*") if p.is_file())


def test_app_completes_across_silos(silo_run: RunAndCapture) -> None:
    running, _ = silo_run
    assert running.run is not None
    assert running.run["status"] == "finished:completed", running.run_logs[-4000:]
    link_log = running.superlink.log()
    for name, node_id in running.node_ids.items():
        pushes = len(re.findall(rf"Push replies from node_id={node_id}\b", link_log))
        assert pushes >= ROUNDS, f"{name} (node {node_id}) pushed {pushes} replies, expected >= {ROUNDS}"
    assert set(running.node_ids) == {s.name for s in running.plan.participants}


def test_capture_is_complete(silo_run: RunAndCapture) -> None:
    _, result = silo_run
    assert result.received > 0, result.stderr
    assert result.dropped == 0, f"tcpdump dropped packets: {result.stderr}"


def test_every_payload_is_tls(entry_wire: WireReport, silo_wire: WireReport, silo_inner_wire: WireReport, silo: CrossSilo) -> None:
    for wire in (entry_wire, silo_wire, silo_inner_wire):
        assert not wire.problems, "\n".join(wire.problems)
        assert wire.negotiated, "no ServerHello seen"
        assert set(wire.negotiated.values()) <= {"TLS 1.2", "TLS 1.3"}, wire.negotiated
    assert entry_wire.connections >= len(silo.plan.participants)
    assert silo_wire.connections >= len(silo.plan.participants)
    for d in entry_wire.directions + silo_wire.directions:
        assert d.nbytes == 0 or d.app_data_bytes > 0, f"{d.src}->{d.dst}: no application data records"


def test_sites_dial_the_external_host(entry_wire: WireReport, silo_wire: WireReport, silo: CrossSilo, node_flags) -> None:  # type: ignore[no-untyped-def]
    """Generated: --superlink <externalHost>:<externalPort>; on the wire every
    ClientHello to the entry, and through it to the gateway, names the
    external host (SNI), which is what the generated Ingress routes."""
    port = silo.spec["network"].get("externalPort", 443)
    for site in silo.sites:
        assert _flag(site.container.args, "--superlink", node_flags) == f"{silo.external_host}:{port}", site.name
    assert silo.plan.dial_hosts == [silo.external_host] == silo.entry.hosts
    for wire in (entry_wire, silo_wire):
        assert wire.sni, "no SNI seen"
        assert set(wire.sni.values()) == {silo.external_host}, wire.sni


def _served_certificate(port: int, server_name: str, ca_file: Path) -> x509.Certificate:
    context = ssl.create_default_context(cafile=str(ca_file))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        with context.wrap_socket(sock, server_hostname=server_name) as tls:
            der = tls.getpeercert(binary_form=True)
    assert der is not None
    return x509.load_der_x509_certificate(der)


def test_served_certificate_covers_the_external_host(silo_run: RunAndCapture, silo: CrossSilo, node_flags) -> None:  # type: ignore[no-untyped-def]
    """Through the entry, with each site's own CA file, OpenSSL (Python's ssl)
    verifies the chain and the external host name: the entry did not end TLS.
    Another name of the same domain fails (at the gateway directly: the
    entry does not forward it, see below)."""
    for participant in silo.plan.participants:
        ca_file = Path(_flag(participant.prepared.args, "--root-certificates", node_flags))
        cert = _served_certificate(silo.entry.listen_port, silo.external_host, ca_file)
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName)
        assert silo.external_host in names, names
        with pytest.raises(ssl.SSLCertVerificationError, match="Hostname mismatch"):
            _served_certificate(silo.plan.port, f"other.{silo.external_host}", ca_file)


def test_entry_forwards_only_the_external_host(silo_run: RunAndCapture, silo: CrossSilo) -> None:
    """Through the entry, a ClientHello naming another host gets no TLS
    service at all (not even a certificate to reject), while the external
    host is served (above)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", silo.entry.listen_port), timeout=10) as sock:
        with pytest.raises((ssl.SSLError, ConnectionError)):
            with context.wrap_socket(sock, server_hostname=f"other.{silo.external_host}"):
                pass


def test_no_flower_data_in_clear(entry_wire: WireReport, silo_wire: WireReport, silo_inner_wire: WireReport, silo: CrossSilo) -> None:
    keys = [p.public_key for p in silo.plan.participants if p.public_key is not None]
    assert len(keys) == len(silo.plan.participants)
    for wire in (entry_wire, silo_wire, silo_inner_wire):
        hits = wire.find(all_markers(keys))
        assert not hits, "\n".join(hits)


NUMBER = re.compile(r"-?\d+\.\d+(?:e-?\d+)?")


def _metrics(logs: str) -> tuple[list[str], list[float]]:
    lines = [line.split("INFO", 1)[-1].strip() for line in logs.splitlines() if "Aggregated MetricRecord" in line]
    return [NUMBER.sub("#", line) for line in lines], [float(n) for line in lines for n in NUMBER.findall(line)]


def test_no_model_bytes_in_clear(silo_run: RunAndCapture, entry_wire: WireReport, silo_wire: WireReport, silo_inner_wire: WireReport, plaintext_twin: PlaintextTwin) -> None:
    """Two sites with partitions 0 and 1 of 2, like the plaintext twin: the
    same aggregated metrics, so the same arrays, none of them in clear."""
    running, _ = silo_run
    twin_text, twin_numbers = _metrics(plaintext_twin.run_logs)
    text, numbers = _metrics(running.run_logs)
    assert twin_numbers and text == twin_text
    assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(numbers, twin_numbers)), (numbers, twin_numbers)
    payloads = distinctive_payloads(plaintext_twin.arrays)
    assert payloads, "the plaintext twin showed no recognisable arrays"
    markers = {f"model array #{i} ({len(p)} bytes)": p for i, p in enumerate(sorted(payloads))}
    for wire in (entry_wire, silo_wire, silo_inner_wire):
        hits = wire.find(markers)
        assert not hits, "\n".join(hits)


def test_encrypted_bytes_cover_the_run(silo_run: RunAndCapture, entry_wire: WireReport) -> None:
    running, _ = silo_run
    assert running.run is not None
    run_bytes = int(running.run["network-traffic"]["total-bytes"])
    app_data = sum(d.app_data_bytes for d in entry_wire.directions)
    assert run_bytes > 0
    assert app_data >= run_bytes, f"{app_data} encrypted bytes < {run_bytes} bytes of run traffic"


# Negative checks, against the same running SuperLink ---------------------------------


def _site(silo: CrossSilo, ca_distribution: str) -> tuple[SiteNode, Participant]:
    return next((s, p) for s, p in zip(silo.sites, silo.plan.participants) if s.ca_distribution == ca_distribution)


def test_site_with_the_bundle_generated_before_the_ca_was_copied_is_refused(silo_run: RunAndCapture, silo: CrossSilo, workdir: Path) -> None:
    """The ConfigMap site with its registered key but the CA of its first
    bundle (the example's, before the operator copied the federation CA):
    the handshake fails."""
    running, _ = silo_run
    site, participant = _site(silo, "configmap")
    stale = workdir / "probes" / f"stale-{site.name}.crt"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_bytes(site.stale_ca_bundle)
    args = probes.replace_flag(list(participant.prepared.args), "--root-certificates", str(stale))
    code, log = probes.probe_supernode(running, f"stale-bundle-{site.name}", args)
    assert code != 0, log[-3000:]
    assert "CERTIFICATE_VERIFY_FAILED" in log, log[-3000:]


def test_site_with_a_key_never_registered_is_refused(silo_run: RunAndCapture, silo: CrossSilo, workdir: Path) -> None:
    """The site's init container on an empty volume (a site that lost its
    volume) makes a new key; until the aggregator operator registers it, the
    SuperLink refuses it."""
    running, _ = silo_run
    site, participant = _site(silo, "trust-manager")
    pod_root = workdir / "probes" / "new-volume" / site.name
    printed = run_keygen(site.keygen, site.container, pod_root)
    assert printed.startswith("ecdsa-sha2-nistp384 ")
    assert participant.private_key is not None
    new_key = pod_root / participant.private_key.relative_to(site.pod_root)
    assert new_key.is_file() and new_key.read_bytes() != participant.private_key.read_bytes()
    before = federation.node_statuses(running)
    args = probes.replace_flag(list(participant.prepared.args), "--auth-supernode-private-key", str(new_key))
    code, log = probes.probe_supernode(running, "unregistered-site-key", args)
    assert code != 0, log[-3000:]
    assert "Failed to activate SuperNode" in log, log[-3000:]
    assert "No SuperNode found with the given public key" in running.superlink.log()
    assert federation.node_statuses(running) == before
