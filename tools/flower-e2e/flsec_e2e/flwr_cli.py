"""The `flwr` CLI as the federation's operator uses it, over TLS to the
SuperLink's Control API. That API listens on loopback in the aggregator pod
(an operator reaches it with kubectl port-forward); the participants' port
serves the Fleet API only."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .procs import ProcessGroup

CONNECTION = "e2e"


def _json(out: str, what: str) -> dict[str, Any]:
    start = out.find("{")
    if start < 0:
        raise AssertionError(f"{what}: no JSON in output:\n{out[-3000:]}")
    try:
        return json.loads(out[start : out.rindex("}") + 1])
    except json.JSONDecodeError as err:
        raise AssertionError(f"{what}: unparsable JSON ({err}):\n{out[-3000:]}") from None


class FlwrCli:
    def __init__(self, group: ProcessGroup, bin_dir: Path, home: Path, address: str, root_certificates: Path):
        self.group = group
        self.flwr = str(bin_dir / "flwr")
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        # The connection the operator would configure: TLS, the federation's CA.
        (home / "config.toml").write_text(
            f'[superlink]\ndefault = "{CONNECTION}"\n\n'
            f'[superlink.{CONNECTION}]\naddress = "{address}"\nroot-certificates = "{root_certificates}"\n',
            encoding="utf-8",
        )
        self.calls = 0

    def run(self, *args: str, timeout: float = 60, cwd: Path | None = None) -> tuple[int, str]:
        self.calls += 1
        return self.group.run(
            f"flwr-{self.calls:02d}-{args[0]}", [self.flwr, *args], timeout=timeout, extra_env={"FLWR_HOME": str(self.home)}, cwd=cwd
        )

    def ok(self, *args: str, timeout: float = 60, cwd: Path | None = None) -> dict[str, Any]:
        code, out = self.run(*args, "--format", "json", timeout=timeout, cwd=cwd)
        data = _json(out, f"flwr {' '.join(args)}")
        if code != 0 or not data.get("success", False):
            raise AssertionError(f"flwr {' '.join(args)} failed (exit {code}):\n{out[-3000:]}")
        return data

    def attempt(self, *args: str, timeout: float = 60) -> dict[str, Any]:
        """The JSON answer of a call that may fail (flwr exits 0 either way)."""
        _, out = self.run(*args, "--format", "json", timeout=timeout)
        return _json(out, f"flwr {' '.join(args)}")

    def register(self, public_key: Path) -> int:
        return int(self.ok("supernode", "register", str(public_key), CONNECTION)["node-id"])

    def nodes(self) -> list[dict[str, Any]]:
        return list(self.ok("supernode", "list", CONNECTION).get("nodes", []))

    def run_streaming(self, app_dir: Path, run_config: str | None, timeout: float) -> tuple[int, str]:
        """`flwr run --stream`: submit the app and follow its logs until it ends.
        Returns (run id, streamed logs)."""
        args = ["run", str(app_dir), CONNECTION, "--stream"]
        if run_config:
            args += ["--run-config", run_config]
        code, out = self.run(*args, timeout=timeout)
        started = re.search(r"Successfully started run (\d+)", out)
        if code != 0 or started is None:
            raise AssertionError(f"flwr run failed (exit {code}):\n{out[-4000:]}")
        return int(started.group(1)), out

    def status(self, run_id: int) -> dict[str, Any]:
        runs = self.ok("list", CONNECTION, "--run-id", str(run_id)).get("runs", [])
        if len(runs) != 1:
            raise AssertionError(f"flwr list --run-id {run_id} returned {len(runs)} runs")
        return dict(runs[0])

