"""Every flag the generator renders exists in the pinned Flower's --help, and
the rendered command lines ask for TLS and node authentication."""

from __future__ import annotations

import shlex

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


def _documented_command_lines(generated_dir):  # type: ignore[no-untyped-def]
    """`flower-superlink ...` / `flower-supernode ...` lines in generated Markdown."""
    found = []
    for doc in sorted(generated_dir.rglob("*.md")):
        for line in doc.read_text(encoding="utf-8").splitlines():
            words = shlex.split(line.strip()) if line.strip().startswith("flower-") else []
            if words and words[0] in ("flower-superlink", "flower-supernode"):
                found.append((doc, words))
    return found


def test_documented_command_lines_use_existing_flags(generated_dir, link_flags, node_flags):  # type: ignore[no-untyped-def]
    lines = _documented_command_lines(generated_dir)
    assert {w[0] for _, w in lines} == {"flower-superlink", "flower-supernode"}, "generated docs show no Flower command lines"
    problems = []
    for doc, words in lines:
        specs = link_flags if words[0] == "flower-superlink" else node_flags
        for flag, value in cli_flags.split_args(words[1:], specs):
            if flag and flag not in specs:
                problems.append(f"{doc.name}: {words[0]} {flag} is not a flag of this Flower version")
            elif flag and specs[flag].deprecated:
                problems.append(f"{doc.name}: {words[0]} {flag} is deprecated")
    assert not problems, "\n".join(problems)


def test_documented_command_lines_match_the_deployments(generated_dir):  # type: ignore[no-untyped-def]
    """The README shows what the pods run (a participant line may show any participant)."""
    deployed = {tuple(c.args) for c in find_flower_containers(load_documents(generated_dir))}
    for doc, words in _documented_command_lines(generated_dir):
        assert tuple(words[1:]) in deployed, f"{doc.name}: {' '.join(words)} is not the command line of any generated container"
