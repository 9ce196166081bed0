"""The addresses in the generated command lines fit together: SuperNodes dial a
generated Service whose port leads to the SuperLink's --port, and the
aggregator Certificate names what is dialled (the loopback run can only
substitute ports, so these are checked on the manifests themselves)."""

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


def test_supernodes_dial_the_superlink_service(generated_dir, link_flags, node_flags) -> None:  # type: ignore[no-untyped-def]
    docs = load_documents(generated_dir)
    containers = find_flower_containers(docs)
    link = next(c for c in containers if c.role == "superlink")
    link_port = int(cli_flags.values(cli_flags.split_args(link.args, link_flags), "--port")[0])
    link_doc = next(d for _, d in docs if d.get("kind") in ("Deployment", "StatefulSet") and d["metadata"]["name"] == link.workload_name and d["metadata"].get("namespace") == link.namespace)
    pod_spec = link_doc["spec"]["template"]["spec"]
    container = next(c for c in pod_spec["containers"] if c["name"] == link.container_name)
    named_ports = {p.get("name"): p["containerPort"] for p in container.get("ports") or []}
    for node in (c for c in containers if c.role == "supernode"):
        host, port = split_host_port(cli_flags.values(cli_flags.split_args(node.args, node_flags), "--superlink")[0])
        svc = _service_for(host, docs)
        assert svc is not None, f"{node.ref}: --superlink host {host} is not a generated Service"
        assert svc["metadata"].get("namespace") == link.namespace, f"{host} is not in the SuperLink's namespace"
        selector = svc["spec"].get("selector") or {}
        pod_labels = link_doc["spec"]["template"]["metadata"].get("labels") or {}
        assert selector and all(pod_labels.get(k) == v for k, v in selector.items()), f"Service {host} does not select the SuperLink pods"
        svc_port = next((p for p in svc["spec"]["ports"] if p["port"] == port), None)
        assert svc_port is not None, f"Service {host} has no port {port}"
        target = svc_port.get("targetPort", port)
        target = named_ports.get(target, target) if isinstance(target, str) else target
        assert target == link_port, f"Service {host}:{port} targets {target}, the SuperLink listens on --port {link_port}"


def test_aggregator_certificate_names_what_is_dialled(plan: Plan, link_flags) -> None:  # type: ignore[no-untyped-def]
    spec = plan.aggregator_certificate().spec
    dns = set(spec.get("dnsNames") or [])
    missing = [h for h in plan.dial_hosts if h not in dns]
    assert not missing, f"aggregator Certificate dnsNames {sorted(dns)} miss {missing}"
    host = cli_flags.values(cli_flags.split_args(plan.superlink.container.args, link_flags), "--host")
    if host and host[0] in ("0.0.0.0", "::"):
        # Flower 1.42's SuperLink starts flower-superexec against its own API at
        # 127.0.0.1 (or ::1) over TLS: the certificate must carry that IP SAN.
        loopback = "127.0.0.1" if host[0] == "0.0.0.0" else "::1"
        assert loopback in (spec.get("ipAddresses") or []), f"aggregator Certificate lacks IP SAN {loopback}"
