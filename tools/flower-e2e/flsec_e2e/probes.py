"""Negative probes against a running SuperLink: SuperNodes with one thing
changed from the generated command line, plaintext clients, impostor servers."""

from __future__ import annotations

import socket
import ssl
import time
from pathlib import Path

import grpc

from .federation import TLS_NODE_FLAGS, Running, wait_listening, without_flags
from .layout import free_port
from .procs import Started

# Fail fast instead of retrying forever (Flower's default).
FAIL_FAST = ["--max-retries", "0", "--max-wait-time", "15"]


def replace_flag(args: list[str], flag: str, value: str | None) -> list[str]:
    """Drop `flag` (and its value) and, if value is given, append `flag value`."""
    out = without_flags(args, {flag}, {flag} if flag != "--insecure" else set())
    return out + ([flag, value] if value is not None else [])


def probe_supernode(running: Running, name: str, args: list[str], timeout: float = 90) -> tuple[int, str]:
    """Run a SuperNode variant (fresh runtime port, fail fast) until it exits.
    If it gets a node ID from the SuperLink it was let in: it is stopped and
    reported with exit code 0, which every negative test rejects."""
    base = running.plan.participants[0]
    args = replace_flag(args, "--port", str(free_port()))
    argv = [str(running.group.base_env["PATH"].split(":")[0] + "/flower-supernode"), *args, *FAIL_FAST]
    proc = running.group.start(f"probe-{name}", argv, extra_env=base.env)
    deadline = time.monotonic() + timeout
    while proc.popen.poll() is None:
        if "SuperNode ID:" in proc.log():
            running.group.stop(proc)
            return 0, proc.log()
        if time.monotonic() > deadline:
            running.group.stop(proc)
            raise AssertionError(f"probe {name} neither exited nor connected in {timeout}s:\n{proc.log()[-3000:]}")
        time.sleep(0.2)
    return int(proc.popen.returncode), proc.log()


def participant_args(running: Running) -> list[str]:
    return list(running.plan.participants[0].prepared.args)


def insecure_args(running: Running) -> list[str]:
    return without_flags(participant_args(running), TLS_NODE_FLAGS, TLS_NODE_FLAGS) + ["--insecure"]


def plaintext_grpc(port: int, timeout: float = 5) -> grpc.StatusCode | str:
    """A plaintext (h2c) gRPC call to the Fleet service; returns the status code,
    or 'OK' if some server answered."""
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        call = channel.unary_unary("/flwr.proto.Fleet/PullMessages", request_serializer=None, response_deserializer=None)
        try:
            call(b"", timeout=timeout, wait_for_ready=False)
        except grpc.RpcError as err:
            return err.code()  # type: ignore[no-any-return,attr-defined]
    return "OK"


def plaintext_http(port: int, host: str, timeout: float = 5) -> bytes:
    """Send a plaintext Fleet request; returns whatever the server sent back."""
    request = (
        f"POST /v1/fleet/pull-messages HTTP/1.1\r\nHost: {host}\r\n"
        "Content-Type: application/protobuf\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    ).encode()
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except (ConnectionResetError, socket.timeout):
            pass
    return received


def tls_handshake(port: int, server_name: str, ca_file: Path) -> str:
    """A TLS client that trusts the federation CA: returns the negotiated version."""
    context = ssl.create_default_context(cafile=str(ca_file))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        with context.wrap_socket(sock, server_hostname=server_name) as tls:
            return str(tls.version())


def start_impostor(running: Running, name: str, cert: Path, key: Path, ca: Path) -> tuple[Started, int]:
    """A second SuperLink with the generated flags but another certificate."""
    args = list(running.plan.superlink.args)
    port = free_port()
    for flag, value in (("--ssl-certfile", cert), ("--ssl-keyfile", key), ("--ssl-ca-certfile", ca), ("--port", port)):
        args = replace_flag(args, flag, str(value))
    args = replace_flag(args, "--database", ":flwr-in-memory:")
    bin_dir = running.group.base_env["PATH"].split(":")[0]
    proc = running.group.start(f"impostor-{name}", [f"{bin_dir}/flower-superlink", *args], extra_env=running.plan.superlink_env)
    wait_listening(port, proc, timeout=60)
    return proc, port
