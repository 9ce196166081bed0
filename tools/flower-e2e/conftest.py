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
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from flsec_e2e import cli_flags
from flsec_e2e.federation import base_env
from flsec_e2e.plan import Plan, build_plan
from flsec_e2e.procs import ProcessGroup

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
