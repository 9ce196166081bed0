"""The generated fleet gateway fits the pinned Flower and the HAProxy this
suite runs: it forwards exactly the Fleet API of this Flower release, its
configuration is valid, and the generated image is the tested HAProxy branch."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from flsec_e2e.federation import gateway_binary
from flsec_e2e.plan import Plan


def _config(plan: Plan) -> str:
    path = next(a for a in plan.gateway.args if a.endswith(".cfg"))
    return Path(path).read_text(encoding="utf-8")


def _acl_paths(config: str, acl: str) -> set[str]:
    lines = [line.split() for line in config.splitlines() if line.split()[:2] == ["acl", acl]]
    assert len(lines) == 1, f"expected one 'acl {acl}' line, found {len(lines)}"
    words = lines[0]
    assert words[2] == "path", f"acl {acl} must match exact paths, not {words[2]!r}"
    return set(words[3:])


def test_gateway_forwards_exactly_the_fleet_api_of_this_flower(plan: Plan) -> None:
    from flwr.superlink.routers.fleet.router import router  # pylint: disable=import-outside-toplevel

    routes = {(route.path, frozenset(route.methods)) for route in router.routes}
    assert all(methods == {"POST"} for _, methods in routes), routes
    config = _config(plan)
    assert _acl_paths(config, "fleet_api") == {path for path, _ in routes}
    assert "http-request deny deny_status 403 unless METH_POST fleet_api" in config
    # Nothing else routes requests: one frontend, one backend.
    assert len(re.findall(r"^frontend ", config, re.M)) == 1
    assert len(re.findall(r"^backend ", config, re.M)) == 1


def test_gateway_reencrypts_and_verifies_the_superlink(plan: Plan) -> None:
    server = next(line.split() for line in _config(plan).splitlines() if line.strip().startswith("server "))
    for word in ("ssl", "verify", "required", "ca-file", "verifyhost"):
        assert word in server, f"backend server line lacks {word!r}: {' '.join(server)}"


def test_gateway_configuration_is_valid(plan: Plan) -> None:
    proc = subprocess.run(
        [gateway_binary(), "-c", *plan.gateway.args],
        env={"PATH": "/usr/bin:/bin", **plan.gateway.env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Deprecated or ignored directives only warn: valid, but not as written.
    assert "[WARNING]" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr


def test_generated_image_is_the_tested_haproxy_branch(plan: Plan) -> None:
    out = subprocess.run([gateway_binary(), "-v"], capture_output=True, text=True, timeout=30, check=True).stdout
    tested = re.search(r"version (\d+)\.(\d+)", out)
    assert tested, out
    image = plan.gateway.container.image
    tag = re.search(r"(?:^|/)haproxy:(\d+)\.(\d+)", image)
    assert tag, f"gateway image {image!r} does not name an HAProxy major.minor"
    assert tag.groups() == tested.groups(), f"generated {image}, tested HAProxy {tested.group(0)}"
