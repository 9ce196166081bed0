"""A stand-in for the aggregator's external entry. ingress-nginx with SSL
passthrough routes a TLS connection by the SNI of its ClientHello to the
Ingress rule's Service and forwards the bytes untouched: TLS still ends in
the aggregator pod. Played here by HAProxy in TCP mode (not ingress-nginx),
configured from the generated Ingress: its hosts, and its backend Service,
whose port must lead to the fleet gateway's `fleet` port. A ClientHello
naming another host, or no ClientHello, is not forwarded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .layout import PreparedGateway, free_port
from .manifests import of_kind

PASSTHROUGH = "nginx.ingress.kubernetes.io/ssl-passthrough"


@dataclass
class Passthrough:
    hosts: list[str]
    listen_port: int
    config: Path

    def argv(self, haproxy: str) -> list[str]:
        return [haproxy, "-db", "-f", str(self.config)]


def _service_target(docs: list[tuple[Path, dict[str, Any]]], namespace: str, name: str, port: Any) -> Any:
    services = [s for s in of_kind(docs, "Service") if (s["metadata"].get("namespace"), s["metadata"]["name"]) == (namespace, name)]
    if len(services) != 1:
        raise AssertionError(f"the Ingress backend Service {namespace}/{name} is not generated")
    for entry in services[0]["spec"].get("ports") or []:
        if port in (entry.get("name"), entry.get("port")):
            return entry.get("targetPort", entry["port"])
    raise AssertionError(f"Service {namespace}/{name} has no port {port!r}")


def _rules(ingress: dict[str, Any]) -> tuple[list[str], set[tuple[str, Any]]]:
    hosts, backends = [], set()
    for rule in ingress["spec"].get("rules") or []:
        hosts.append(str(rule["host"]))
        for path in (rule.get("http") or {}).get("paths") or []:
            service = path["backend"]["service"]
            port = service["port"].get("name") or service["port"].get("number")
            backends.add((str(service["name"]), port))
    return hosts, backends


def from_ingress(docs: list[tuple[Path, dict[str, Any]]], gateway: PreparedGateway, workdir: Path) -> Passthrough:
    ingresses = [i for i in of_kind(docs, "Ingress") if (i["metadata"].get("annotations") or {}).get(PASSTHROUGH) == "true"]
    if len(ingresses) != 1:
        raise AssertionError(f"expected one SSL-passthrough Ingress in the aggregator bundle, found {len(ingresses)}")
    hosts, backends = _rules(ingresses[0])
    if not hosts or len(backends) != 1:
        raise AssertionError(f"the Ingress routes hosts {hosts} to {sorted(backends)}: expected one backend")
    (name, port), = backends
    target = _service_target(docs, ingresses[0]["metadata"]["namespace"], name, port)
    fleet = gateway.container.ports.get("fleet")
    if target not in ("fleet", fleet):
        raise AssertionError(f"Service {name} port {port} targets {target!r}, not the gateway's fleet port {fleet}")
    listen = free_port()
    config = workdir / "external-entry" / "haproxy.cfg"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        "\n".join(
            [
                "defaults",
                "  mode tcp",
                "  timeout connect 5s",
                "  timeout client 10m",
                "  timeout server 10m",
                "frontend external",
                f"  bind 127.0.0.1:{listen}",
                "  tcp-request inspect-delay 5s",
                "  tcp-request content accept if { req.ssl_hello_type 1 }",
                f"  use_backend fleet if {{ req.ssl_sni -i {' '.join(hosts)} }}",
                "backend fleet",
                f"  server gateway 127.0.0.1:{gateway.listen_port}",
                "",
            ]
        ),
        encoding="utf-8",
    )
    return Passthrough(hosts, listen, config)
