"""Fixtures of the Flower end-to-end suite.

Inputs (set by run.sh):
  FLSEC_E2E_GENERATED  directory with the generator's output (manifests)
  FLSEC_E2E_APP        the skeleton's Flower app (directory with pyproject.toml)
  FLSEC_E2E_KEEP=1     keep the work directory (logs, pcaps) after the run
The suite runs with the Python of the cached Flower virtualenv.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from flsec_e2e import cli_flags, federation
from flsec_e2e.capture import Capture
from flsec_e2e.federation import base_env
from flsec_e2e.npy import arrays_in
from flsec_e2e.plan import Plan, build_plan
from flsec_e2e.procs import ProcessGroup
from flsec_e2e.wire import WireReport, analyse

ROUNDS = 2


def _interrupt(signum: int, frame: object) -> None:
    # pytest runs fixture teardown (which ends every started process) on
    # KeyboardInterrupt, but not when killed by SIGTERM.
    raise KeyboardInterrupt(f"signal {signum}")


signal.signal(signal.SIGTERM, _interrupt)

VENV = Path(sys.prefix)


def _required_dir(var: str) -> Path:
    value = os.environ.get(var)
    if not value:
        pytest.fail(f"{var} is not set: run tools/flower-e2e/run.sh", pytrace=False)
    path = Path(value).resolve()
    if not path.is_dir():
        pytest.fail(f"{var}={value} is not a directory", pytrace=False)
    return path


@pytest.fixture(scope="session")
def venv() -> Path:
    if not (VENV / "bin" / "flower-superlink").exists():
        pytest.fail(f"{VENV} has no flower-superlink: run the suite with the Flower virtualenv's python", pytrace=False)
    return VENV


@pytest.fixture(scope="session")
def generated_dir() -> Path:
    return _required_dir("FLSEC_E2E_GENERATED")


@pytest.fixture(scope="session")
def app_dir() -> Path:
    path = _required_dir("FLSEC_E2E_APP")
    if not (path / "pyproject.toml").is_file():
        pytest.fail(f"FLSEC_E2E_APP={path} has no pyproject.toml", pytrace=False)
    return path


@pytest.fixture(scope="session")
def workdir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="flsec-e2e-"))
    path.chmod(0o700)
    yield path
    if os.environ.get("FLSEC_E2E_KEEP") == "1":
        print(f"\nflower-e2e: work directory kept at {path}")
    else:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def help_env(workdir: Path, venv: Path) -> dict[str, str]:
    return base_env(venv, [], workdir / "help-home")


@pytest.fixture(scope="session")
def link_flags(venv: Path, help_env: dict[str, str]) -> dict[str, cli_flags.FlagSpec]:
    return cli_flags.parse_help(cli_flags.read_help(venv / "bin" / "flower-superlink", help_env))


@pytest.fixture(scope="session")
def node_flags(venv: Path, help_env: dict[str, str]) -> dict[str, cli_flags.FlagSpec]:
    return cli_flags.parse_help(cli_flags.read_help(venv / "bin" / "flower-supernode", help_env))


@pytest.fixture(scope="session")
def plan(generated_dir: Path, workdir: Path, link_flags, node_flags) -> Plan:  # type: ignore[no-untyped-def]
    return build_plan(generated_dir, workdir / "tls", link_flags, node_flags)


def new_group(workdir: Path, venv: Path, plan: Plan, name: str) -> ProcessGroup:
    home = workdir / name / "home"
    home.mkdir(parents=True, exist_ok=True)
    return ProcessGroup(logdir=workdir / name / "logs", base_env=base_env(venv, plan.dial_hosts, home))


def rounds_config(app_dir: Path) -> str | None:
    """Ask for ROUNDS rounds if the app exposes Flower's usual config key."""
    config = tomllib.loads((app_dir / "pyproject.toml").read_text(encoding="utf-8"))
    run_config = config.get("tool", {}).get("flwr", {}).get("app", {}).get("config", {})
    return f"num-server-rounds={ROUNDS}" if "num-server-rounds" in run_config else None


@dataclass
class PlaintextTwin:
    """The same federation and app with TLS off, run to completion."""

    plan: Plan
    run: dict
    run_logs: str
    wire: WireReport
    arrays: list[np.ndarray]


@pytest.fixture(scope="session")
def plaintext_twin(generated_dir: Path, workdir: Path, venv: Path, app_dir: Path, link_flags, node_flags) -> PlaintextTwin:  # type: ignore[no-untyped-def]
    """Runs first and is gone before the TLS run starts: it shows what the app
    puts on the wire in clear (the markers the TLS run must hide) and that the
    wire checks catch plaintext."""
    plan = build_plan(generated_dir, workdir / "twin", link_flags, node_flags)
    group = new_group(workdir, venv, plan, "twin-run")
    # No gateway in the twin (its configuration is TLS only): everything goes
    # to the SuperLink's own port.
    capture = Capture(workdir / "twin-run" / "fleet.pcap", [plan.control_port])
    try:
        capture.start()
        running = federation.start(plan, group, venv, workdir / "twin-run", insecure=True)
        federation.run_app(running, app_dir, rounds_config(app_dir), timeout=300)
    finally:
        capture.stop()
        group.stop_all()
    assert group.tagged_pids() == [], "processes of the plaintext twin survived teardown"
    assert running.run is not None
    wire = analyse(capture.pcap, plan.control_port)
    arrays = [a for data in wire.streams.values() for a in arrays_in(data)]
    return PlaintextTwin(plan, running.run, running.run_logs, wire, arrays)
