"""The cross-silo federation (examples/federation-cross-silo.yaml, reduced to
its sites in other clusters) made runnable on loopback the way its operators
deploy it:

1. generate; issue the aggregator bundle's PKI as cert-manager would;
2. copy the federation CA into tls.caBundle (what the example tells the
   aggregator operator to do) and generate again: the site bundles now
   distribute it, as a ConfigMap or a trust-manager Bundle;
3. every site cluster is its own object store: a site's SuperNode gets only
   what its own bundle and its own volume hold, nothing of the aggregator's;
4. each site's generated init container makes the node-auth key on the site's
   volume and prints the public key, which the aggregator operator registers.

SuperNodes keep dialling the generated external host (only its port becomes
the external entry's loopback port); hostmap resolves that name to 127.0.0.1.
The entry (passthrough.py) forwards by SNI to the fleet gateway, untouched.
"""

from __future__ import annotations

import base64
import copy
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import cli_flags
from .cluster_pki import IssuedCertificate, issue_all, materialise_bundles
from .layout import lay_out, remap_args, split_host_port
from .manifests import FlowerContainer, InitContainer, find_flower_containers, generated_config_maps, init_containers_of, load_documents
from .passthrough import Passthrough, from_ingress
from .pki import ObjectStore
from .plan import Participant, Plan, participant_name, prepare_superlink, remap_env

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "federation-cross-silo.yaml"
CLUSTERS_DIR = Path("deploy") / "clusters"


@dataclass
class SiteNode:
    """One participant in its own cluster."""

    cluster: str
    name: str
    ca_distribution: str
    container: FlowerContainer
    keygen: InitContainer
    pod_root: Path
    # The site's bundle as first generated, with the example CA (before the
    # operator copied the federation CA into tls.caBundle).
    stale_ca_bundle: bytes


@dataclass
class CrossSilo:
    plan: Plan
    spec: dict[str, Any]
    initial: Path  # generated with the example's caBundle
    generated: Path  # generated with the federation CA copied in
    federation_ca: bytes
    # The external entry the sites dial (ingress-nginx's SSL passthrough, played by HAProxy).
    entry: Passthrough
    sites: list[SiteNode] = field(default_factory=list)

    @property
    def external_host(self) -> str:
        return str(self.spec["network"]["externalHost"])

    @property
    def aggregator_cluster(self) -> str:
        return str(self.spec["aggregator"]["cluster"])


def reduced_spec(source: Path = EXAMPLE) -> dict[str, Any]:
    """The example with only its participants in other clusters than the
    aggregator's (the sites), at most two, like the single-cluster run."""
    spec = yaml.safe_load(source.read_text(encoding="utf-8"))
    hub = spec["aggregator"]["cluster"]
    sites = [p for p in spec["participants"] if p.get("cluster") not in (None, hub)][:2]
    modes = {p.get("caDistribution", "configmap") for p in sites}
    if len(sites) < 2 or modes != {"configmap", "trust-manager"}:
        raise AssertionError(f"{source}: expected two sites in other clusters, one per CA distribution, found {sites}")
    spec["participants"] = sites
    return spec


def generate(spec: dict[str, Any], out: Path) -> Path:
    """`yarn fl-security generate` of the spec (the published generator path)."""
    yarn = shutil.which("yarn")
    if not yarn:
        raise AssertionError("yarn is not on PATH (run the suite through tools/flower-e2e/run.sh)")
    out.mkdir(parents=True)
    spec_file = out / "federation.yaml"
    spec_file.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    done = subprocess.run(
        [yarn, "fl-security", "generate", "--spec", str(spec_file), "--out", str(out / "generated")],
        cwd=ROOT, capture_output=True, text=True, timeout=180, check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"fl-security generate failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return out / "generated"


def federation_ca(store: ObjectStore, issued: list[IssuedCertificate]) -> bytes:
    """What the operator copies: the CA Certificate's Secret, key ca.crt."""
    cas = [c for c in issued if c.spec.get("isCA")]
    if len(cas) != 1:
        raise AssertionError(f"expected one CA Certificate in the aggregator bundle, found {[c.name for c in cas]}")
    return store.secrets[(cas[0].namespace, cas[0].secret_name)]["ca.crt"]


def site_store(docs: list[tuple[Path, dict[str, Any]]]) -> ObjectStore:
    """A site cluster's objects: its bundle's ConfigMaps and what trust-manager writes."""
    store = ObjectStore()
    store.config_maps.update(generated_config_maps(docs))
    materialise_bundles(docs, store)
    return store


def run_keygen(init: InitContainer, node: FlowerContainer, pod_root: Path) -> str:
    """Run the generated `python -c` init container with the pinned Flower's
    Python (the image's), its volume paths moved under pod_root. Returns
    what it prints: the site's public key."""
    if init.command[:2] != ["python", "-c"] or len(init.command) != 3:
        raise AssertionError(f"{node.ref}: init container {init.name} is not `python -c <script>`: cannot be reproduced")
    script = init.command[2]
    node_mounts = {(m.mount_path, m.source_kind) for m in node.mounts}
    for mount in init.mounts:
        if (mount.mount_path, mount.source_kind) not in node_mounts:
            raise AssertionError(f"{node.ref}: init container {init.name} mounts {mount.mount_path} where the SuperNode does not")
        quoted = f'"{mount.mount_path.rstrip("/")}/'
        if quoted not in script:
            raise AssertionError(f"{init.name}: the script names no file under {mount.mount_path}")
        script = script.replace(quoted, f'"{pod_root}{mount.mount_path.rstrip("/")}/')
        (pod_root / mount.mount_path.lstrip("/")).mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0 or done.stderr:
        raise AssertionError(f"init container {init.name} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout


def _stale_bundle(initial: Path, cluster: str, node: FlowerContainer, node_specs: dict[str, cli_flags.FlagSpec]) -> bytes:
    """The CA file the SuperNode would read from the first generation's bundle."""
    docs = load_documents(initial / CLUSTERS_DIR / cluster)
    store = site_store(docs)
    path = cli_flags.values(cli_flags.split_args(node.args, node_specs), "--root-certificates")[0]
    scratch = initial.parent / "stale" / cluster
    lay_out(node, store, scratch)
    return (scratch / path.lstrip("/")).read_bytes()


def _site_nodes(spec: dict[str, Any], generated: Path, initial: Path, workdir: Path, node_specs: dict[str, cli_flags.FlagSpec]) -> list[SiteNode]:
    by_name = {p["name"]: p for p in spec["participants"]}
    sites = []
    for bundle in sorted(p for p in (generated / CLUSTERS_DIR).iterdir() if p.name != spec["aggregator"]["cluster"]):
        docs = load_documents(bundle)
        store = site_store(docs)
        for node in (c for c in find_flower_containers(docs) if c.role == "supernode"):
            name = participant_name(node)
            inits = init_containers_of(docs, node)
            if len(inits) != 1:
                raise AssertionError(f"{node.ref}: expected one init container (the node-auth keygen), found {[i.name for i in inits]}")
            root = workdir / "pods" / name
            lay_out(node, store, root)
            mode = by_name[name].get("caDistribution", "configmap")
            stale = _stale_bundle(initial, bundle.name, node, node_specs)
            sites.append(SiteNode(bundle.name, name, mode, node, inits[0], root, stale))
    return sites


def _changed_files(a: Path, b: Path) -> list[str]:
    files = {p.relative_to(a) for p in a.rglob("*") if p.is_file()} | {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    return sorted(str(f) for f in files if not (a / f).is_file() or not (b / f).is_file() or (a / f).read_bytes() != (b / f).read_bytes())


def build_cross_silo(workdir: Path, link_specs: dict[str, cli_flags.FlagSpec], node_specs: dict[str, cli_flags.FlagSpec]) -> CrossSilo:
    spec = reduced_spec()
    hub = spec["aggregator"]["cluster"]
    initial = generate(spec, workdir / "gen-example-ca")
    agg_docs = load_documents(initial / CLUSTERS_DIR / hub)
    store, issued = issue_all(agg_docs, workdir / "pki")
    store.config_maps.update(generated_config_maps(agg_docs))
    ca = federation_ca(store, issued)
    final_spec = copy.deepcopy(spec)
    final_spec["tls"]["caBundle"] = [base64.b64encode(ca).decode()]
    generated = generate(final_spec, workdir / "gen")
    changed = _changed_files(initial / CLUSTERS_DIR / hub, generated / CLUSTERS_DIR / hub)
    if changed:
        # The PKI issued above would not be the one of the applied bundle.
        raise AssertionError(f"copying the CA into tls.caBundle changed the aggregator bundle: {changed}")

    superlink, link_env, gateway = prepare_superlink(find_flower_containers(agg_docs), store, workdir, link_specs)
    entry = from_ingress(agg_docs, gateway, workdir)
    sites = _site_nodes(final_spec, generated, initial, workdir, node_specs)
    participants, hosts = [], []
    for site in sites:
        printed = run_keygen(site.keygen, site.container, site.pod_root)
        public = workdir / "site-public-keys" / f"{site.name}.pub"
        public.parent.mkdir(parents=True, exist_ok=True)
        public.write_text(printed, encoding="utf-8")
        prepared = remap_args(site.container, node_specs, site.pod_root, superlink_port=entry.listen_port)
        private = cli_flags.values(cli_flags.split_args(prepared.args, node_specs), "--auth-supernode-private-key")
        host, _ = split_host_port(cli_flags.values(cli_flags.split_args(site.container.args, node_specs), "--superlink")[0])
        if host not in hosts:
            hosts.append(host)
        participants.append(
            Participant(site.name, prepared, Path(private[0]) if private else None, public, remap_env(site.container, site.pod_root))
        )
    plan = Plan(generated, agg_docs, superlink, link_env, gateway, participants, issued, store, hosts)
    return CrossSilo(plan, final_spec, initial, generated, ca, entry, sites)
