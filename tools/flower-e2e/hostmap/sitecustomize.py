"""Resolve the federation's generated DNS names to loopback in test processes.

The e2e suite runs Flower with the exact `--superlink <name>:<port>` the
generator renders, so TLS verifies the certificate against the real in-cluster
name. Only name resolution is redirected: names listed (comma-separated) in
FLSEC_E2E_LOOPBACK_HOSTS resolve to 127.0.0.1; every other name resolves as
usual. Loaded through PYTHONPATH by Python's `site` module at start-up of every
Flower process the suite launches (and of their children).
"""

import os
import socket

_NAMES = frozenset(
    name.strip().lower().rstrip(".")
    for name in os.environ.get("FLSEC_E2E_LOOPBACK_HOSTS", "").split(",")
    if name.strip()
)

if _NAMES:
    _real_getaddrinfo = socket.getaddrinfo

    def _getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        name = host.decode() if isinstance(host, bytes) else host
        if isinstance(name, str) and name.lower().rstrip(".") in _NAMES:
            host = "127.0.0.1"
        return _real_getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = _getaddrinfo
