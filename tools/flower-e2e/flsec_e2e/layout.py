"""Lay out a container's mounted Secrets/ConfigMaps under a temp dir and
rewrite its Flower arguments (and the fleet gateway's arguments and
environment): only file paths (to the remapped mounts) and listen/dial
addresses (to loopback and free ports) change."""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .cli_flags import FlagSpec, join_args, split_args
from .manifests import FlowerContainer, Mount
from .pki import ObjectStore

# Flags whose value is a file the process reads: it must come from a mount.
INPUT_FILE_FLAGS = {
    "--ssl-certfile",
    "--ssl-keyfile",
    "--ssl-ca-certfile",
    "--root-certificates",
    "--auth-supernode-private-key",
    "--auth-supernode-public-key",
    "--trusted-entities",
    "--superexec-auth-secret-file",
}
# Flags whose value is host:port.
ADDRESS_FLAGS = {"--health-server-address", "--fleet-api-address", "--control-api-address"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def split_host_port(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"not host:port: {address!r}")
    return host.strip("[]"), int(port)


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


@dataclass
class Prepared:
    """A container made runnable on loopback."""

    container: FlowerContainer
    root: Path
    args: list[str]
    # flag -> (generated value, substituted value), for the report.
    substitutions: dict[str, tuple[str, str]] = field(default_factory=dict)
    listen_port: int | None = None


def _volume_files(mount: Mount, store: ObjectStore, namespace: str | None, where: str) -> dict[str, bytes]:
    """Relative path inside the volume -> content."""
    sources = mount.projected if mount.source_kind == "projected" else [(mount.source_kind, mount.source_name, mount.items)]
    files: dict[str, bytes] = {}
    for kind, name, items in sources:
        obj = store.lookup(kind, namespace, name or "")
        if obj is None:
            raise AssertionError(f"{where}: mounts {kind} {name!r}, which no generated resource (or participant key) provides")
        if items is None:
            files.update(obj)
        else:
            for key, rel in items.items():
                if key not in obj:
                    raise AssertionError(f"{where}: {kind} {name!r} has no key {key!r} (keys: {sorted(obj)})")
                files[rel] = obj[key]
    return files


def mount_for(container: FlowerContainer, path: str) -> Mount | None:
    """The mount that holds an absolute path (longest mountPath wins)."""
    best = None
    for mount in container.mounts:
        mp = mount.mount_path.rstrip("/")
        if path == mp or path.startswith(mp + "/"):
            if best is None or len(mp) > len(best.mount_path.rstrip("/")):
                best = mount
    return best


def key_of(mount: Mount, container_path: str) -> str:
    """Secret/ConfigMap key that backs a file path inside a mount."""
    if mount.sub_path is not None:
        rel = mount.sub_path
    else:
        rel = str(PurePosixPath(container_path).relative_to(mount.mount_path))
    if mount.items:
        for key, path in mount.items.items():
            if path == rel:
                return key
        raise AssertionError(f"{container_path}: no item of the mounted volume maps to {rel!r}")
    return rel


def lay_out(container: FlowerContainer, store: ObjectStore, root: Path) -> None:
    """Write every mounted volume of the container under root/<mountPath>."""
    for mount in container.mounts:
        local = root / mount.mount_path.lstrip("/")
        if mount.source_kind in ("secret", "configMap", "projected"):
            files = _volume_files(mount, store, container.namespace, container.ref)
            if mount.sub_path is not None:
                if mount.sub_path not in files:
                    raise AssertionError(f"{container.ref}: subPath {mount.sub_path!r} is not in the volume")
                local.parent.mkdir(parents=True, exist_ok=True)
                local.write_bytes(files[mount.sub_path])
                local.chmod(0o600)
                continue
            for rel, content in files.items():
                target = local / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
                target.chmod(0o600)
        else:
            local.mkdir(parents=True, exist_ok=True)


def remap_args(
    container: FlowerContainer,
    specs: dict[str, FlagSpec],
    root: Path,
    superlink_port: int | None = None,
) -> Prepared:
    """Substitute paths and addresses; everything else is kept verbatim."""
    pairs = split_args(container.args, specs)
    prepared = Prepared(container=container, root=root, args=[])
    out: list[tuple[str, str | None]] = []
    for flag, value in pairs:
        new = value
        if value is not None and value.startswith("/"):
            mount = mount_for(container, value)
            if mount is None and flag in INPUT_FILE_FLAGS:
                raise AssertionError(f"{container.ref}: {flag} {value} is not on any mounted volume")
            new = str(root / value.lstrip("/"))
            if mount is None:
                Path(new).parent.mkdir(parents=True, exist_ok=True)
        elif flag == "--host" and value is not None:
            new = "127.0.0.1"
        elif flag == "--port" and value is not None:
            new = str(free_port())
        elif flag in ADDRESS_FLAGS and value is not None:
            new = f"127.0.0.1:{free_port()}"
        elif flag == "--superlink" and value is not None:
            host, _ = split_host_port(value)
            if superlink_port is None:
                raise ValueError("superlink port unknown")
            # Keep the generated name (TLS verifies it); only an IP literal is
            # replaced, as it cannot be mapped to loopback.
            new_host = "127.0.0.1" if is_ip(host) else host
            new = f"{new_host}:{superlink_port}"
        if new != value and value is not None:
            prepared.substitutions[flag] = (value, new)
        out.append((flag, new))
    if container.role == "superlink":
        # 1.42 serves Fleet, Control and Runtime on --host/--port (default 127.0.0.1:8000).
        if not any(f == "--port" for f, _ in out):
            port = str(free_port())
            out.append(("--port", port))
            prepared.substitutions["--port"] = ("(default 8000)", port)
        prepared.listen_port = int(next(v for f, v in out if f == "--port"))
    elif not any(f == "--port" for f, _ in out):
        # Two SuperNodes on one host cannot share the default ClientAppIo port 9094.
        port = str(free_port())
        out.append(("--port", port))
        prepared.substitutions["--port"] = ("(default 9094)", port)
    prepared.args = join_args(out)
    return prepared


ADDRESS = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.\-]+|[0-9a-fA-F:]+):(\d{1,5})$")


@dataclass
class PreparedGateway:
    """The aggregator pod's fleet gateway made runnable on loopback."""

    container: FlowerContainer
    root: Path
    args: list[str]
    env: dict[str, str]
    listen_port: int
    substitutions: dict[str, tuple[str, str]] = field(default_factory=dict)


def remap_gateway(container: FlowerContainer, root: Path, superlink_address: tuple[str, int], superlink_port: int) -> PreparedGateway:
    """Paths move under root; in the environment, the fleet port's bind address
    becomes a free loopback port and the SuperLink's address becomes its
    substituted port. Any other address fails: the gateway must forward to
    exactly the SuperLink's generated --host:--port."""
    fleet = container.ports.get("fleet")
    if fleet is None:
        raise AssertionError(f"{container.ref}: no container port named 'fleet'")
    listen = free_port()
    prepared = PreparedGateway(container=container, root=root, args=[], env={}, listen_port=listen)
    for arg in container.args:
        if arg.startswith("/"):
            if mount_for(container, arg) is None:
                raise AssertionError(f"{container.ref}: argument {arg} is not on any mounted volume")
            new = str(root / arg.lstrip("/"))
            prepared.substitutions[arg] = (arg, new)
            arg = new
        prepared.args.append(arg)
    for name, value in container.env.items():
        new = value
        match = ADDRESS.match(value)
        if value.startswith("/"):
            if mount_for(container, value) is None:
                raise AssertionError(f"{container.ref}: env {name}={value} is not on any mounted volume")
            new = str(root / value.lstrip("/"))
        elif match:
            host, port = match.group(1).strip("[]"), int(match.group(2))
            if port == fleet:
                if host not in ("0.0.0.0", "::"):
                    raise AssertionError(f"{container.ref}: env {name}={value}: the fleet port is not bound for the pod network")
                new = f"127.0.0.1:{listen}"
            elif (host, port) == superlink_address:
                new = f"127.0.0.1:{superlink_port}"
            else:
                raise AssertionError(
                    f"{container.ref}: env {name}={value} is neither the fleet port {fleet} nor the SuperLink's --host/--port {superlink_address}"
                )
        if new != value:
            prepared.substitutions[name] = (value, new)
        prepared.env[name] = new
    return prepared
