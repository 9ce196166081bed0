"""Copy the skeleton's Flower app (the directory whose pyproject.toml has a
[tool.flwr.app] table) to a work directory and print its path, so that
`flwr run` never writes into the repository.

Usage: find_app.py <skeleton-dir> <dest-dir>
"""

from __future__ import annotations

import shutil
import sys
import tomllib
from pathlib import Path


def find_app(skeleton: Path) -> Path:
    apps = []
    for pyproject in sorted(skeleton.rglob("pyproject.toml")):
        try:
            config = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise SystemExit(f"{pyproject}: not valid TOML ({err}); templated files are not supported") from None
        if "app" in config.get("tool", {}).get("flwr", {}):
            apps.append(pyproject.parent)
    if len(apps) != 1:
        raise SystemExit(f"expected one Flower app under {skeleton}, found {[str(a) for a in apps]}")
    return apps[0]


def main() -> None:
    skeleton, dest = Path(sys.argv[1]), Path(sys.argv[2])
    app = find_app(skeleton)
    shutil.copytree(app, dest, ignore=shutil.ignore_patterns(".git", ".github", "__pycache__", "*.pyc"))
    print(dest)


if __name__ == "__main__":
    main()
