"""The node-auth key of a site in another cluster is made by the init
container of its SuperNode pod (examples/federation-cross-silo.yaml): run
that exact script with the pinned Flower's Python and check that Flower
itself accepts what it writes (the SuperNode's private-key loader, the
`flwr supernode register` public-key loader), that it keeps the key across
restarts, and that it prints only the public key."""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from flwr.cli.supernode.register import try_load_public_key
from flwr.supernode.cli.flower_supernode import _try_setup_client_authentication

ROOT = Path(__file__).resolve().parents[2]
KEY_PATH = "/var/run/fl-security/node-auth/private-key"


@pytest.fixture(scope="module")
def keygen_script(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("cross-silo")
    yarn = shutil.which("yarn")
    assert yarn, "yarn is not on PATH (source scripts/env.sh)"
    subprocess.run(
        [yarn, "fl-security", "generate", "--spec", str(ROOT / "examples" / "federation-cross-silo.yaml"), "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    manifest = out / "deploy" / "clusters" / "hospital-a" / "participants" / "hospital-a" / "supernode.yaml"
    deployment = next(d for d in yaml.safe_load_all(manifest.read_text()) if d and d["kind"] == "Deployment")
    pod = deployment["spec"]["template"]["spec"]
    (init,) = pod["initContainers"]
    assert init["name"] == "node-auth-keygen"
    assert init["command"][:2] == ["python", "-c"]
    supernode = pod["containers"][0]
    # The SuperNode reads the key where the init container writes it.
    assert supernode["args"][supernode["args"].index("--auth-supernode-private-key") + 1] == KEY_PATH
    script = init["command"][2]
    assert script.count(KEY_PATH) == 1
    return script


def _run(script: str, key: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script.replace(KEY_PATH, str(key))],
        check=True,
        capture_output=True,
        text=True,
    )
    assert done.stderr == ""
    return done.stdout


def test_writes_a_key_flower_accepts_and_prints_only_the_public_key(keygen_script: str, tmp_path: Path) -> None:
    key = tmp_path / "private-key"
    printed = _run(keygen_script, key)
    assert "PRIVATE" not in printed
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o400
    # What flower-supernode --auth-supernode-private-key does with the file.
    loaded = _try_setup_client_authentication(
        argparse.Namespace(auth_supernode_private_key=str(key), auth_supernode_public_key=None)
    )
    assert loaded is not None
    private, public = loaded
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    assert private.curve.name == "secp384r1"
    # What `flwr supernode register <file>` does with the printed public key
    # (it sends the key as PEM): the same key the SuperNode signs with.
    public_file = tmp_path / "site.pub"
    public_file.write_text(printed)
    registered = try_load_public_key(public_file)
    assert registered == public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def test_keeps_the_key_across_restarts_and_recovers_from_a_torn_write(keygen_script: str, tmp_path: Path) -> None:
    key = tmp_path / "private-key"
    first = _run(keygen_script, key)
    content = key.read_bytes()
    assert _run(keygen_script, key) == first
    assert key.read_bytes() == content
    # A pod killed between create and rename leaves only the temporary file.
    other = tmp_path / "other" / "private-key"
    other.parent.mkdir()
    torn = other.with_name("private-key.new")
    torn.write_bytes(b"partial")
    torn.chmod(0o400)
    fresh = _run(keygen_script, other)
    assert fresh.startswith("ecdsa-sha2-nistp384 ")
    assert not torn.exists()
