"""Flags of the pinned Flower executables, read from their `--help`, and
splitting of rendered argument lists into (flag, value) pairs."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FlagSpec:
    """What `--help` says about a flag."""

    name: str
    takes_value: bool
    deprecated: bool


def read_help(executable: Path, env: dict[str, str]) -> str:
    """`<executable> --help` output (argparse exits 0 after printing)."""
    proc = subprocess.run(
        [str(executable), "--help"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{executable} --help exited {proc.returncode}: {proc.stderr[-2000:]}")
    return proc.stdout


def parse_help(text: str) -> dict[str, FlagSpec]:
    """Flags from an argparse help text: arity from the usage block, deprecation
    from the option descriptions."""
    usage = text.split("\n\n", 1)[0]
    specs: dict[str, FlagSpec] = {}
    # Usage entries look like `[--flag]`, `[--flag METAVAR]`, `[--flag {a,b}]`,
    # or mutually exclusive groups `[--a | --b]`.
    for group in re.findall(r"\[([^\[\]]+)\]", usage):
        for alternative in group.split("|"):
            tokens = alternative.split()
            if not tokens or not tokens[0].startswith("--"):
                continue
            specs[tokens[0]] = FlagSpec(tokens[0], takes_value=len(tokens) > 1, deprecated=False)
    # Option entries start with "  -" at the line start: flag names, then the
    # description (possibly wrapped over several lines).
    options = text.split("\n\n", 1)[1] if "\n\n" in text else ""
    for entry in re.split(r"\n(?=  -)", options):
        header, _, desc = entry.strip().partition("  ")
        if re.search(r"\b(deprecated|no longer supported)\b", " ".join(desc.split()), re.I):
            for name in re.findall(r"--[a-z0-9][a-z0-9-]*", header):
                if name in specs:
                    specs[name] = FlagSpec(name, specs[name].takes_value, deprecated=True)
    if not specs:
        raise ValueError("no flags found in the help text")
    return specs


def split_args(args: list[str], specs: dict[str, FlagSpec]) -> list[tuple[str, str | None]]:
    """Pairs (flag, value-or-None). Unknown flags are returned with the value
    that follows them if it does not look like a flag, so the caller can report
    them; positional arguments come back as ('', value)."""
    pairs: list[tuple[str, str | None]] = []
    i = 0
    while i < len(args):
        token = args[i]
        if token.startswith("--"):
            if "=" in token:
                name, value = token.split("=", 1)
                pairs.append((name, value))
            elif token in specs:
                if specs[token].takes_value:
                    if i + 1 >= len(args):
                        raise ValueError(f"flag {token} is missing its value")
                    pairs.append((token, args[i + 1]))
                    i += 1
                else:
                    pairs.append((token, None))
            else:
                nxt = args[i + 1] if i + 1 < len(args) else None
                if nxt is not None and not nxt.startswith("-"):
                    pairs.append((token, nxt))
                    i += 1
                else:
                    pairs.append((token, None))
        else:
            pairs.append(("", token))
        i += 1
    return pairs


def join_args(pairs: list[tuple[str, str | None]]) -> list[str]:
    """Inverse of split_args (always the `--flag value` form)."""
    out: list[str] = []
    for name, value in pairs:
        if name:
            out.append(name)
        if value is not None:
            out.append(value)
    return out


def values(pairs: list[tuple[str, str | None]], flag: str) -> list[str]:
    return [v for n, v in pairs if n == flag and v is not None]


def has(pairs: list[tuple[str, str | None]], flag: str) -> bool:
    return any(n == flag for n, _ in pairs)
