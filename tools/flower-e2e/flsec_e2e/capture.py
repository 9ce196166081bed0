"""Loopback packet capture with tcpdump, filtered on the suite's own ports."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class CaptureResult:
    pcap: Path
    received: int
    dropped: int
    stderr: str


class Capture:
    """`tcpdump -i lo -s 0 -U -w file 'tcp port P'` for the duration of a block."""

    def __init__(self, pcap: Path, ports: list[int]):
        if not ports:
            raise ValueError("a capture needs a port filter")
        self.pcap = pcap
        self.filter = " or ".join(f"tcp port {int(p)}" for p in ports)
        self.proc: subprocess.Popen[bytes] | None = None
        self.stderr_path = pcap.with_suffix(".tcpdump.log")

    def start(self) -> None:
        tcpdump = shutil.which("tcpdump")
        if tcpdump is None:
            raise RuntimeError("tcpdump is not installed (run tools/flower-e2e/setup.sh)")
        self.pcap.parent.mkdir(parents=True, exist_ok=True)
        stderr = open(self.stderr_path, "wb")  # pylint: disable=consider-using-with
        # -Z root: keep privileges so the file stays writable in the temp dir.
        self.proc = subprocess.Popen(  # pylint: disable=consider-using-with
            [tcpdump, "-i", "lo", "-n", "-s", "0", "-U", "-Z", "root", "-w", str(self.pcap), self.filter],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
        )
        stderr.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if "listening on" in self.stderr_path.read_text(errors="replace"):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"tcpdump did not start: {self.stderr_path.read_text(errors='replace')}")

    def stop(self) -> CaptureResult:
        if self.proc is not None and self.proc.poll() is None:
            time.sleep(0.5)  # let in-flight packets reach the kernel buffer
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        text = self.stderr_path.read_text(errors="replace") if self.stderr_path.exists() else ""
        received = re.search(r"(\d+) packets? received by filter", text)
        dropped = re.search(r"(\d+) packets? dropped by kernel", text)
        return CaptureResult(
            pcap=self.pcap,
            received=int(received.group(1)) if received else -1,
            dropped=int(dropped.group(1)) if dropped else -1,
            stderr=text,
        )
