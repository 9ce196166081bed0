"""Every flag the generator renders exists in the pinned Flower's --help, and
the rendered command lines ask for TLS and node authentication."""

from __future__ import annotations

from flsec_e2e import cli_flags
from flsec_e2e.manifests import find_flower_containers, load_documents


def _containers(generated_dir, role):  # type: ignore[no-untyped-def]
    found = [c for c in find_flower_containers(load_documents(generated_dir)) if c.role == role]
    assert found, f"no {role} container in {generated_dir}"
    return found


def _unknown(containers, specs):  # type: ignore[no-untyped-def]
    problems = []
    for c in containers:
        for flag, value in cli_flags.split_args(c.args, specs):
            if flag == "" and value is not None:
                problems.append(f"{c.ref}: positional argument {value!r} (Flower takes none)")
            elif flag and flag not in specs:
                problems.append(f"{c.ref}: {flag} is not a flag of this Flower version")
    return problems


def _deprecated(containers, specs):  # type: ignore[no-untyped-def]
    return [
        f"{c.ref}: {flag} is deprecated (ignored or rejected) in this Flower version"
        for c in containers
        for flag, _ in cli_flags.split_args(c.args, specs)
        if flag in specs and specs[flag].deprecated
    ]


def test_superlink_flags_exist(generated_dir, link_flags):  # type: ignore[no-untyped-def]
    problems = _unknown(_containers(generated_dir, "superlink"), link_flags)
    assert not problems, "\n".join(problems)


def test_supernode_flags_exist(generated_dir, node_flags):  # type: ignore[no-untyped-def]
    problems = _unknown(_containers(generated_dir, "supernode"), node_flags)
    assert not problems, "\n".join(problems)


def test_no_deprecated_flags(generated_dir, link_flags, node_flags):  # type: ignore[no-untyped-def]
    problems = _deprecated(_containers(generated_dir, "superlink"), link_flags)
    problems += _deprecated(_containers(generated_dir, "supernode"), node_flags)
    assert not problems, "\n".join(problems)


def test_superlink_renders_tls_and_node_auth(generated_dir, link_flags):  # type: ignore[no-untyped-def]
    for c in _containers(generated_dir, "superlink"):
        pairs = cli_flags.split_args(c.args, link_flags)
        assert not cli_flags.has(pairs, "--insecure"), c.ref
        for flag in ("--ssl-ca-certfile", "--ssl-certfile", "--ssl-keyfile"):
            assert cli_flags.values(pairs, flag), f"{c.ref}: {flag} missing (Flower needs all three for TLS)"
        assert cli_flags.has(pairs, "--enable-supernode-auth"), f"{c.ref}: node authentication is off"


def test_supernodes_render_tls_and_node_auth(generated_dir, node_flags):  # type: ignore[no-untyped-def]
    for c in _containers(generated_dir, "supernode"):
        pairs = cli_flags.split_args(c.args, node_flags)
        assert not cli_flags.has(pairs, "--insecure"), c.ref
        assert cli_flags.values(pairs, "--root-certificates"), f"{c.ref}: trusts the system CA store, not the federation CA"
        assert cli_flags.values(pairs, "--auth-supernode-private-key"), f"{c.ref}: no node-auth key"
        assert cli_flags.values(pairs, "--superlink"), f"{c.ref}: no --superlink address"
