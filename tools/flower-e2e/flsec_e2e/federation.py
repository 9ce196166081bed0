"""Run the planned federation: SuperLink, its fleet gateway, SuperNode
registration (through the SuperLink's loopback Control API, as an operator
with kubectl port-forward), SuperNodes dialling the gateway, and one
`flwr run` of the skeleton app, all on loopback."""

from __future__ import annotations

import os
import shutil
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .flwr_cli import FlwrCli
from .plan import Plan
from .procs import ProcessGroup, Started

HOSTMAP_DIR = Path(__file__).resolve().parent.parent / "hostmap"
# Flags that make a process use TLS / node auth; dropped for the plaintext control run.
TLS_LINK_FLAGS = {"--ssl-ca-certfile", "--ssl-certfile", "--ssl-keyfile"}
TLS_NODE_FLAGS = {"--root-certificates", "--auth-supernode-private-key"}


def base_env(venv: Path, loopback_hosts: list[str], home: Path) -> dict[str, str]:
    """A clean environment: no proxies or CA overrides from the caller, no
    phoning home, generated names resolved to loopback."""
    env = {
        "PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(HOSTMAP_DIR),
        "PYTHONDONTWRITEBYTECODE": "1",
        "FLSEC_E2E_LOOPBACK_HOSTS": ",".join(loopback_hosts),
        "FLWR_TELEMETRY_ENABLED": "0",
        "FLWR_DISABLE_UPDATE_CHECK": "1",
        "NO_PROXY": "*",
        "no_proxy": "*",
        "TERM": "dumb",
        "COLUMNS": "200",
    }
    for passthrough in ("TMPDIR", "FLSEC_E2E_SESSION"):
        if passthrough in os.environ:
            env[passthrough] = os.environ[passthrough]
    return env


def without_flags(args: list[str], drop: set[str], takes_value: set[str]) -> list[str]:
    out, skip = [], False
    for i, token in enumerate(args):
        if skip:
            skip = False
            continue
        name = token.split("=", 1)[0]
        if name in drop:
            skip = "=" not in token and name in takes_value
            continue
        out.append(token)
    return out


def wait_listening(port: int, proc: Started, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.popen.poll() is not None:
            raise AssertionError(f"{proc.name} exited with {proc.popen.returncode}:\n{proc.log()[-4000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                # uvicorn accepts before the app lifespan is up; wait for its banner.
                if "Application startup complete" in proc.log():
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{proc.name} not listening on {port} after {timeout}s:\n{proc.log()[-4000:]}")


def gateway_binary() -> str:
    """Debian's HAProxy of the generated image's branch: run.sh finds (or
    unpacks) it with haproxy.sh and passes it in FLSEC_E2E_HAPROXY; without
    it, the installed haproxy (the branch test then says if it differs)."""
    found = os.environ.get("FLSEC_E2E_HAPROXY") or shutil.which(
        "haproxy", path="/usr/local/sbin:/usr/sbin:/sbin:/usr/local/bin:/usr/bin:/bin"
    )
    if not found:
        raise AssertionError("no haproxy: run tools/flower-e2e/run.sh (haproxy.sh provides the generated branch)")
    return found


def wait_gateway(port: int, proc: Started, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.popen.poll() is not None:
            raise AssertionError(f"{proc.name} exited with {proc.popen.returncode}:\n{proc.log()[-4000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{proc.name} not listening on {port} after {timeout}s:\n{proc.log()[-4000:]}")


def operator_cli(plan: Plan, group: ProcessGroup, venv: Path, home: Path, port: int) -> FlwrCli:
    """`flwr` as the operator configures it after `kubectl port-forward`:
    127.0.0.1 (the certificate's IP SAN) and the federation CA."""
    return FlwrCli(group, venv / "bin", home, f"127.0.0.1:{port}", _participant_ca(plan))


@dataclass
class Running:
    plan: Plan
    group: ProcessGroup
    cli: FlwrCli
    superlink: Started
    gateway: Started | None = None
    supernodes: dict[str, Started] = field(default_factory=dict)
    node_ids: dict[str, int] = field(default_factory=dict)
    run_id: int | None = None
    run: dict[str, Any] | None = None
    run_logs: str = ""
    insecure: bool = False


def start(plan: Plan, group: ProcessGroup, venv: Path, workdir: Path, insecure: bool = False) -> Running:
    """Start the SuperLink and its fleet gateway, register the participants'
    keys through the loopback Control API, start the SuperNodes and wait until
    every SuperNode is online. The plaintext twin (insecure) has no gateway
    (its configuration is TLS only): SuperNodes dial the SuperLink itself."""
    link_args = plan.superlink.args
    if insecure:
        link_args = without_flags(link_args, TLS_LINK_FLAGS | {"--enable-supernode-auth"}, TLS_LINK_FLAGS) + ["--insecure"]
    superlink = group.start("superlink", [str(venv / "bin" / "flower-superlink"), *link_args], extra_env=plan.superlink_env)
    wait_listening(plan.control_port, superlink, timeout=60)
    gateway = None
    if not insecure:
        gateway = group.start("fleet-gateway", [gateway_binary(), *plan.gateway.args], extra_env=plan.gateway.env)
        wait_gateway(plan.port, gateway, timeout=30)

    cli = operator_cli(plan, group, venv, workdir / "operator-flwr-home", plan.control_port)
    if insecure:
        (cli.home / "config.toml").write_text(
            f'[superlink]\ndefault = "e2e"\n\n[superlink.e2e]\naddress = "127.0.0.1:{plan.control_port}"\ninsecure = true\n',
            encoding="utf-8",
        )
    running = Running(plan, group, cli, superlink, gateway, insecure=insecure)
    for p in plan.participants:
        if p.public_key is not None and not insecure:
            running.node_ids[p.name] = cli.register(p.public_key)
    for p in plan.participants:
        node_args = p.prepared.args
        if insecure:
            host = plan.dial_hosts[0] if plan.dial_hosts else "127.0.0.1"
            node_args = without_flags(node_args, TLS_NODE_FLAGS | {"--superlink"}, TLS_NODE_FLAGS | {"--superlink"})
            node_args += ["--insecure", "--superlink", f"{host}:{plan.control_port}"]
        running.supernodes[p.name] = group.start(
            f"supernode-{p.name}", [str(venv / "bin" / "flower-supernode"), *node_args], extra_env=p.env
        )
    _wait_online(running, timeout=60)
    return running


def _participant_ca(plan: Plan) -> Path:
    """The CA file the first SuperNode is given (--root-certificates): the
    operator trusts the same federation CA."""
    args = plan.participants[0].prepared.args
    if "--root-certificates" in args:
        return Path(args[args.index("--root-certificates") + 1])
    raise AssertionError("the generated SuperNode has no --root-certificates: it would trust the system CA store")


def node_statuses(running: Running) -> dict[int, str]:
    """Each registered node's status, as the SuperLink's Control API lists it."""
    return {int(n["node-id"]): str(n.get("status")) for n in running.cli.nodes()}


def _wait_online(running: Running, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    expected = len(running.plan.participants)
    while True:
        for name, proc in running.supernodes.items():
            if proc.popen.poll() is not None:
                raise AssertionError(f"SuperNode {name} exited with {proc.popen.returncode}:\n{proc.log()[-4000:]}")
        nodes = running.cli.nodes()
        online = [n for n in nodes if str(n.get("status", "")).lower() == "online"]
        if len(online) >= expected:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{len(online)}/{expected} SuperNodes online after {timeout}s: {nodes}")
        time.sleep(1)


def run_app(running: Running, app_dir: Path, run_config: str | None, timeout: float) -> None:
    running.run_id, running.run_logs = running.cli.run_streaming(app_dir, run_config, timeout)
    running.run = running.cli.status(running.run_id)
