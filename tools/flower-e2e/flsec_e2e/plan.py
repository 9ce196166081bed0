"""The generated federation, made runnable on loopback: issued PKI, node-auth
keys, laid-out mounts and substituted arguments for the SuperLink, its fleet
gateway and every SuperNode."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import cli_flags
from .cluster_pki import IssuedCertificate, issue_all
from .layout import Prepared, PreparedGateway, key_of, lay_out, mount_for, remap_args, remap_gateway, split_host_port
from .manifests import FlowerContainer, find_flower_containers, generated_config_maps, load_documents
from .pki import ObjectStore, generate_node_key


@dataclass
class Participant:
    name: str
    prepared: Prepared
    private_key: Path | None  # where the harness keeps the OpenSSH key pair
    public_key: Path | None
    env: dict[str, str]


@dataclass
class Plan:
    generated_dir: Path
    docs: list[tuple[Path, dict[str, Any]]]
    superlink: Prepared
    superlink_env: dict[str, str]
    # Serves the participants' port; forwards only the Fleet API to the SuperLink.
    gateway: PreparedGateway
    participants: list[Participant]
    issued: list[IssuedCertificate]
    store: ObjectStore
    # Names the SuperNodes dial, resolved to 127.0.0.1 for the test processes.
    dial_hosts: list[str] = field(default_factory=list)

    def aggregator_certificate(self) -> IssuedCertificate:
        """The issued leaf whose Secret the SuperLink mounts."""
        mounted = set()
        for m in self.superlink.container.mounts:
            if m.source_kind == "secret" and m.source_name:
                mounted.add(m.source_name)
            mounted.update(name for kind, name, _ in m.projected if kind == "secret")
        ns = self.superlink.container.namespace or ""
        found = [c for c in self.issued if c.secret_name in mounted and c.namespace in (ns, "") and not c.spec.get("isCA")]
        if len(found) != 1:
            raise AssertionError(f"expected one Certificate for the SuperLink's mounted Secrets {sorted(mounted)}, found {len(found)}")
        return found[0]

    @property
    def port(self) -> int:
        """The participants' port: the fleet gateway's listener."""
        return self.gateway.listen_port

    @property
    def control_port(self) -> int:
        """The SuperLink's own listener (Fleet, Control and Runtime APIs), on
        loopback in the pod: what an operator reaches with kubectl port-forward."""
        assert self.superlink.listen_port is not None
        return self.superlink.listen_port


def participant_name(container: FlowerContainer) -> str:
    for key in ("fl-security/participant", "app.kubernetes.io/instance"):
        if key in container.labels:
            return container.labels[key]
    return container.namespace or container.workload_name


def remap_env(container: FlowerContainer, root: Path) -> dict[str, str]:
    """Container env with absolute paths moved under root (like its args)."""
    env = {}
    for name, value in container.env.items():
        if value.startswith("/"):
            local = root / value.lstrip("/")
            if mount_for(container, value) is None:
                local.parent.mkdir(parents=True, exist_ok=True)
            env[name] = str(local)
        else:
            env[name] = value
    return env


def _add_node_key(container: FlowerContainer, args: list[str], specs: dict[str, cli_flags.FlagSpec], store: ObjectStore, keydir: Path, name: str) -> tuple[Path, Path] | None:
    """Create the participant's node-auth key pair and put the private key into
    the Secret its Deployment mounts (created out of band in a real cluster)."""
    pairs = cli_flags.split_args(args, specs)
    paths = cli_flags.values(pairs, "--auth-supernode-private-key")
    if not paths:
        return None
    mount = mount_for(container, paths[0])
    if mount is None or mount.source_kind != "secret" or not mount.source_name:
        raise AssertionError(f"{container.ref}: --auth-supernode-private-key {paths[0]} is not on a Secret volume")
    key = key_of(mount, paths[0])
    if (container.namespace or "", mount.source_name) in store.secrets:
        raise AssertionError(
            f"{container.ref}: node-auth Secret {mount.source_name!r} is also written by a generated resource"
        )
    private, public = generate_node_key(keydir / f"{name}-node-auth", comment=f"{name} node auth (e2e)")
    store.secrets[(container.namespace or "", mount.source_name)] = {key: private.read_bytes()}
    return private, public


def prepare_superlink(
    containers: list[FlowerContainer], store: ObjectStore, workdir: Path, link_specs: dict[str, cli_flags.FlagSpec]
) -> tuple[Prepared, dict[str, str], PreparedGateway]:
    """The one SuperLink and the fleet gateway of its pod, laid out under
    workdir/pods/superlink with their arguments substituted."""
    links = [c for c in containers if c.role == "superlink"]
    if len(links) != 1:
        raise AssertionError(f"expected one SuperLink container in the generated manifests, found {[c.ref for c in links]}")
    gateways = [c for c in containers if c.role == "gateway" and (c.namespace, c.workload_name) == (links[0].namespace, links[0].workload_name)]
    if len(gateways) != 1:
        raise AssertionError(f"expected one fleet gateway container in the SuperLink pod, found {[c.ref for c in gateways]}")
    link_root = workdir / "pods" / "superlink"
    lay_out(links[0], store, link_root)
    superlink = remap_args(links[0], link_specs, link_root)
    link_env = remap_env(links[0], link_root)
    link_pairs = cli_flags.split_args(links[0].args, link_specs)
    link_address = (
        (cli_flags.values(link_pairs, "--host") or ["127.0.0.1"])[0],
        int((cli_flags.values(link_pairs, "--port") or ["8000"])[0]),
    )
    assert superlink.listen_port is not None
    lay_out(gateways[0], store, link_root)
    gateway = remap_gateway(gateways[0], link_root, link_address, superlink.listen_port)
    return superlink, link_env, gateway


def build_plan(generated_dir: Path, workdir: Path, link_specs: dict[str, cli_flags.FlagSpec], node_specs: dict[str, cli_flags.FlagSpec]) -> Plan:
    docs = load_documents(generated_dir)
    containers = find_flower_containers(docs)
    nodes = [c for c in containers if c.role == "supernode"]
    if len(nodes) < 2:
        raise AssertionError(f"expected at least two SuperNode containers, found {[c.ref for c in nodes]}")

    store, issued = issue_all(docs, workdir / "pki")
    store.config_maps.update(generated_config_maps(docs))
    keys = {}
    for node in nodes:
        keys[node.ref] = _add_node_key(node, node.args, node_specs, store, workdir / "node-keys", participant_name(node))

    superlink, link_env, gateway = prepare_superlink(containers, store, workdir, link_specs)

    participants, hosts = [], []
    for node in nodes:
        name = participant_name(node)
        root = workdir / "pods" / name
        lay_out(node, store, root)
        prepared = remap_args(node, node_specs, root, superlink_port=gateway.listen_port)
        generated = cli_flags.values(cli_flags.split_args(node.args, node_specs), "--superlink")
        if generated:
            host, _ = split_host_port(generated[0])
            if host not in hosts:
                hosts.append(host)
        pair = keys[node.ref]
        participants.append(
            Participant(name, prepared, pair[0] if pair else None, pair[1] if pair else None, remap_env(node, root))
        )
    return Plan(generated_dir, docs, superlink, link_env, gateway, participants, issued, store, hosts)
