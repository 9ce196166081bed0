"""The addresses in the generated command lines fit together: SuperNodes dial a
generated Service whose port leads to the fleet gateway in the SuperLink pod,
the SuperLink itself listens on loopback only, and the aggregator Certificate
names what is dialled (the loopback run can only substitute ports, so these
are checked on the manifests themselves)."""

from __future__ import annotations

from typing import Any

from flsec_e2e import cli_flags
from flsec_e2e.layout import split_host_port
from flsec_e2e.manifests import find_flower_containers, load_documents, of_kind
from flsec_e2e.plan import Plan


def _service_for(host: str, docs: list[Any]) -> dict[str, Any] | None:
    labels = host.split(".")
    name, namespace = labels[0], labels[1] if len(labels) > 1 else None
    for svc in of_kind(docs, "Service"):
        meta = svc["metadata"]
        if meta["name"] == name and (namespace is None or meta.get("namespace") == namespace):
            return svc
    return None


def test_superlink_listens_on_loopback_only(generated_dir, link_flags) -> None:  # type: ignore[no-untyped-def]
    """Flower 1.42 serves Fleet, Control and Runtime APIs on --host/--port: the
    generated SuperLink must bind it to loopback and declare no container port."""
    docs = load_documents(generated_dir)
    link = next(c for c in find_flower_containers(docs) if c.role == "superlink")
    host = cli_flags.values(cli_flags.split_args(link.args, link_flags), "--host")
    assert host and host[0] in ("127.0.0.1", "::1"), f"{link.ref}: --host {host} is not loopback"
    assert not link.ports, f"{link.ref} declares container ports {link.ports}"


def test_supernodes_dial_the_fleet_gateway(generated_dir, node_flags) -> None:  # type: ignore[no-untyped-def]
    docs = load_documents(generated_dir)
    containers = find_flower_containers(docs)
    link = next(c for c in containers if c.role == "superlink")
    gateway = next(c for c in containers if c.role == "gateway" and (c.namespace, c.workload_name) == (link.namespace, link.workload_name))
    link_doc = next(d for _, d in docs if d.get("kind") in ("Deployment", "StatefulSet") and d["metadata"]["name"] == link.workload_name and d["metadata"].get("namespace") == link.namespace)
    named_ports = gateway.ports
    assert "fleet" in named_ports, f"{gateway.ref} has no port named fleet"
    assert gateway.env.get("FLEET_BIND", "").endswith(f":{named_ports['fleet']}"), f"{gateway.ref} does not bind its fleet port"
    for node in (c for c in containers if c.role == "supernode"):
        host, port = split_host_port(cli_flags.values(cli_flags.split_args(node.args, node_flags), "--superlink")[0])
        svc = _service_for(host, docs)
        assert svc is not None, f"{node.ref}: --superlink host {host} is not a generated Service"
        assert svc["metadata"].get("namespace") == link.namespace, f"{host} is not in the SuperLink's namespace"
        selector = svc["spec"].get("selector") or {}
        pod_labels = link_doc["spec"]["template"]["metadata"].get("labels") or {}
        assert selector and all(pod_labels.get(k) == v for k, v in selector.items()), f"Service {host} does not select the SuperLink pods"
        assert [p["port"] for p in svc["spec"]["ports"]] == [port], f"Service {host} exposes {svc['spec']['ports']}, expected only {port}"
        target = svc["spec"]["ports"][0].get("targetPort", port)
        target = named_ports.get(target, target) if isinstance(target, str) else target
        assert target == named_ports["fleet"], f"Service {host}:{port} targets {target}, not the gateway's fleet port"


def test_aggregator_certificate_names_what_is_dialled(plan: Plan, link_flags) -> None:  # type: ignore[no-untyped-def]
    spec = plan.aggregator_certificate().spec
    dns = set(spec.get("dnsNames") or [])
    missing = [h for h in plan.dial_hosts if h not in dns]
    assert not missing, f"aggregator Certificate dnsNames {sorted(dns)} miss {missing}"
    host = cli_flags.values(cli_flags.split_args(plan.superlink.container.args, link_flags), "--host")
    # Flower 1.42's SuperLink starts flower-superexec against its own API at
    # 127.0.0.1 (or ::1) over TLS, and operators dial it there through kubectl
    # port-forward: the certificate must carry that IP SAN.
    loopback = "::1" if host and host[0] in ("::", "::1") else "127.0.0.1"
    assert loopback in (spec.get("ipAddresses") or []), f"aggregator Certificate lacks IP SAN {loopback}"
    # The gateway verifies the SuperLink by a name of its certificate.
    tls_name = plan.gateway.env.get("SUPERLINK_TLS_NAME")
    assert tls_name in dns, f"the gateway checks the SuperLink as {tls_name!r}, not in dnsNames {sorted(dns)}"
