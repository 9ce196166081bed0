"""Start processes for the suite and reliably end all of them (and what they
spawned, including Flower's detached SuperExec and app processes).

Every process gets FLSEC_E2E_RUN=<token> in its environment. Flower starts its
SuperExec in a new session, so process groups are not enough: teardown ends the
started processes, then every process whose environment carries the token
(children inherit it), which can only be processes this suite started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

RUN_ENV = "FLSEC_E2E_RUN"


@dataclass
class Started:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@dataclass
class ProcessGroup:
    logdir: Path
    base_env: dict[str, str]
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    started: list[Started] = field(default_factory=list)

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = dict(self.base_env)
        env[RUN_ENV] = self.token
        env.update(extra or {})
        return env

    def start(self, name: str, argv: list[str], extra_env: dict[str, str] | None = None, cwd: Path | None = None) -> Started:
        self.logdir.mkdir(parents=True, exist_ok=True)
        log_path = self.logdir / f"{name}.log"
        with open(log_path, "wb") as log:
            popen = subprocess.Popen(  # pylint: disable=consider-using-with
                argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self.env(extra_env),
                cwd=cwd,
                start_new_session=True,
            )
        started = Started(name, popen, log_path)
        self.started.append(started)
        return started

    def run(self, name: str, argv: list[str], timeout: float, extra_env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[int, str]:
        """Run to completion (killed at timeout); returns (exit code, output)."""
        proc = self.start(name, argv, extra_env, cwd)
        try:
            code = proc.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop(proc)
            raise AssertionError(f"{name} did not finish within {timeout}s:\n{proc.log()[-3000:]}") from None
        return code, proc.log()

    def stop(self, proc: Started, grace: float = 5.0) -> None:
        """SIGTERM the process's group, then SIGKILL after grace."""
        if proc.popen.poll() is None:
            try:
                os.killpg(proc.popen.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.popen.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.popen.wait(timeout=grace)

    def tagged_pids(self) -> list[int]:
        """PIDs of live processes carrying this group's token."""
        needle = f"{RUN_ENV}={self.token}".encode()
        pids = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) == os.getpid():
                continue
            try:
                with open(f"/proc/{entry}/environ", "rb") as fh:
                    if needle in fh.read().split(b"\0"):
                        pids.append(int(entry))
            except OSError:
                continue
        return pids

    def stop_all(self) -> list[int]:
        """End everything; returns PIDs that had to be killed by token scan."""
        for proc in reversed(self.started):
            self.stop(proc)
        stragglers = self.tagged_pids()
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for pid in stragglers:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and self.tagged_pids():
                time.sleep(0.1)
            if not self.tagged_pids():
                break
        return stragglers
