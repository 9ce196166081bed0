"""Read the generated Kubernetes manifests and find the Flower containers.

A Flower container is recognised the way the checker recognises it: by its
command (`flower-superlink`, `flower-supernode`) or, when the image entrypoint
is used, by its image (`flwr/superlink`, `flwr/supernode`). The aggregator
pod's fleet gateway (command `haproxy`) is found the same way, role `gateway`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "Pod"}
ROLES = {"flower-superlink": "superlink", "flower-supernode": "supernode", "haproxy": "gateway"}
IMAGE_ROLES = {"flwr/superlink": "superlink", "flwr/supernode": "supernode"}


@dataclass
class Mount:
    """One volumeMount joined with its volume's source."""

    mount_path: str
    sub_path: str | None
    read_only: bool
    # 'secret' | 'configMap' | 'emptyDir' | 'persistentVolumeClaim' | 'projected' | ...
    source_kind: str
    # Secret or ConfigMap name (None for emptyDir/PVC).
    source_name: str | None
    # key -> relative path, when the volume lists `items`; None = all keys.
    items: dict[str, str] | None
    # For projected volumes: list of (kind, name, items).
    projected: list[tuple[str, str, dict[str, str] | None]] = field(default_factory=list)


@dataclass
class FlowerContainer:
    """A SuperLink or SuperNode container of a generated workload."""

    role: str  # 'superlink' | 'supernode' | 'gateway'
    workload_kind: str
    workload_name: str
    namespace: str | None
    labels: dict[str, str]
    container_name: str
    image: str
    # Flags and values as Flower receives them (executable removed).
    args: list[str]
    env: dict[str, str]
    mounts: list[Mount]
    source_file: Path
    # containerPort by port name.
    ports: dict[str, int] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        return f"{self.workload_kind} {self.namespace or '-'}/{self.workload_name} container {self.container_name}"


def load_documents(directory: Path) -> list[tuple[Path, dict[str, Any]]]:
    """All YAML documents (dicts with a kind) under a directory, sorted by path."""
    docs: list[tuple[Path, dict[str, Any]]] = []
    for path in sorted(directory.rglob("*")):
        if path.suffix not in (".yaml", ".yml") or not path.is_file():
            continue
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if isinstance(doc, dict) and "kind" in doc:
                if doc["kind"] == "List":
                    docs.extend((path, item) for item in doc.get("items", []) if isinstance(item, dict))
                else:
                    docs.append((path, doc))
    return docs


def _pod_spec(doc: dict[str, Any]) -> dict[str, Any] | None:
    kind = doc.get("kind")
    if kind not in WORKLOAD_KINDS:
        return None
    if kind == "Pod":
        return doc.get("spec")
    return ((doc.get("spec") or {}).get("template") or {}).get("spec")


def _role_and_args(container: dict[str, Any]) -> tuple[str, list[str]] | None:
    command = [str(c) for c in container.get("command") or []]
    args = [str(a) for a in container.get("args") or []]
    if command:
        exe = os.path.basename(command[0])
        if exe in ROLES:
            return ROLES[exe], command[1:] + args
        return None
    if args and os.path.basename(args[0]) in ROLES:
        return ROLES[os.path.basename(args[0])], args[1:]
    image = str(container.get("image", ""))
    for marker, role in IMAGE_ROLES.items():
        if re.search(rf"(^|/){re.escape(marker)}(:|@|$)", image):
            return role, args
    return None


def _expand_env(value: str, env: dict[str, str], where: str) -> str:
    """Kubernetes `$(VAR)` expansion; unresolvable references fail loudly."""

    def repl(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in env:
            raise ValueError(f"{where}: argument references $({name}) which has no literal value")
        return env[name]

    return re.sub(r"(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)", repl, value).replace("$$(", "$(")


def _volume_sources(pod_spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {v["name"]: v for v in pod_spec.get("volumes") or [] if "name" in v}


def _items(items: list[dict[str, Any]] | None) -> dict[str, str] | None:
    if not items:
        return None
    return {str(i["key"]): str(i["path"]) for i in items}


def _mount(vm: dict[str, Any], volumes: dict[str, dict[str, Any]], where: str) -> Mount:
    volume = volumes.get(vm["name"])
    if volume is None:
        raise ValueError(f"{where}: volumeMount {vm['name']!r} has no volume")
    common = dict(
        mount_path=str(vm["mountPath"]),
        sub_path=vm.get("subPath"),
        read_only=bool(vm.get("readOnly", False)),
    )
    if "secret" in volume:
        src = volume["secret"]
        return Mount(**common, source_kind="secret", source_name=src.get("secretName"), items=_items(src.get("items")))
    if "configMap" in volume:
        src = volume["configMap"]
        return Mount(**common, source_kind="configMap", source_name=src.get("name"), items=_items(src.get("items")))
    if "projected" in volume:
        parts = []
        for s in (volume["projected"] or {}).get("sources") or []:
            if "secret" in s:
                parts.append(("secret", s["secret"]["name"], _items(s["secret"].get("items"))))
            elif "configMap" in s:
                parts.append(("configMap", s["configMap"]["name"], _items(s["configMap"].get("items"))))
        return Mount(**common, source_kind="projected", source_name=None, items=None, projected=parts)
    for kind in ("emptyDir", "persistentVolumeClaim", "ephemeral", "hostPath"):
        if kind in volume:
            return Mount(**common, source_kind=kind, source_name=None, items=None)
    raise ValueError(f"{where}: volume {vm['name']!r} has an unsupported source {sorted(volume)}")


def find_flower_containers(docs: list[tuple[Path, dict[str, Any]]]) -> list[FlowerContainer]:
    """Every SuperLink/SuperNode container in the documents."""
    found: list[FlowerContainer] = []
    for path, doc in docs:
        pod_spec = _pod_spec(doc)
        if not pod_spec:
            continue
        meta = doc.get("metadata") or {}
        volumes = _volume_sources(pod_spec)
        for container in pod_spec.get("containers") or []:
            role_args = _role_and_args(container)
            if role_args is None:
                continue
            role, raw_args = role_args
            where = f"{doc['kind']} {meta.get('name')} ({path.name})"
            env = {str(e["name"]): str(e["value"]) for e in container.get("env") or [] if "value" in e}
            args = [_expand_env(a, env, where) for a in raw_args]
            mounts = [_mount(vm, volumes, where) for vm in container.get("volumeMounts") or []]
            found.append(
                FlowerContainer(
                    role=role,
                    workload_kind=str(doc["kind"]),
                    workload_name=str(meta.get("name")),
                    namespace=meta.get("namespace"),
                    labels=dict(meta.get("labels") or {}),
                    container_name=str(container.get("name")),
                    image=str(container.get("image", "")),
                    args=args,
                    env=env,
                    mounts=mounts,
                    source_file=path,
                    ports={str(p["name"]): int(p["containerPort"]) for p in container.get("ports") or [] if "name" in p},
                )
            )
    return found


def generated_config_maps(docs: list[tuple[Path, dict[str, Any]]]) -> dict[tuple[str, str], dict[str, bytes]]:
    """ConfigMaps the generator writes: (namespace, name) -> {key: bytes}."""
    out = {}
    for _, doc in docs:
        if doc.get("kind") == "ConfigMap" and doc.get("apiVersion") == "v1":
            meta = doc.get("metadata") or {}
            data = {str(k): str(v).encode() for k, v in (doc.get("data") or {}).items()}
            out[(str(meta.get("namespace") or ""), str(meta.get("name")))] = data
    return out


def of_kind(docs: list[tuple[Path, dict[str, Any]]], kind: str, api_group: str | None = None) -> list[dict[str, Any]]:
    """Documents of one kind (optionally of one API group)."""
    out = []
    for _, doc in docs:
        if doc.get("kind") != kind:
            continue
        if api_group is not None and not str(doc.get("apiVersion", "")).startswith(api_group + "/"):
            continue
        out.append(doc)
    return out


@dataclass
class InitContainer:
    """An init container of a Flower pod (e.g. the site's node-auth keygen)."""

    name: str
    command: list[str]
    mounts: list[Mount]


def init_containers_of(docs: list[tuple[Path, dict[str, Any]]], container: FlowerContainer) -> list[InitContainer]:
    """The init containers of the workload that runs `container`, with their
    mounts joined to the pod's volumes like the Flower container's."""
    for path, doc in docs:
        meta = doc.get("metadata") or {}
        if (doc.get("kind"), meta.get("name"), meta.get("namespace")) != (container.workload_kind, container.workload_name, container.namespace):
            continue
        pod_spec = _pod_spec(doc) or {}
        volumes = _volume_sources(pod_spec)
        where = f"{doc['kind']} {meta.get('name')} ({path.name})"
        return [
            InitContainer(
                name=str(init.get("name")),
                command=[str(c) for c in (init.get("command") or []) + (init.get("args") or [])],
                mounts=[_mount(vm, volumes, where) for vm in init.get("volumeMounts") or []],
            )
            for init in pod_spec.get("initContainers") or []
        ]
    raise AssertionError(f"{container.ref}: its workload is not among the documents")
