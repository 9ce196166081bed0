/**
 * What each participant is configured to trust when it verifies the
 * aggregator: the PEM file behind its --root-certificates flag (a Secret or
 * ConfigMap key it mounts, e.g. the `ca.crt` cert-manager writes; a
 * trust-manager Bundle's target, read from the Bundle's sources when the
 * target is not rendered in the snapshot), or the system trust store when
 * the flag is absent. Never the issuer's CA Secret or any other CA Secret
 * the participant does not mount as its trust: after a CA rotation that is
 * the new CA while the participants still trust the old one.
 */
import { rootCertificates } from 'node:tls';
import type { CheckStatus } from '@fl-security/plugin-fl-security-common';
import { Certificate, readPemBundle } from '../x509';
import { configMapValue, secretValue } from './certificates';
import type { ClusterIndex } from './clusterIndex';
import type { Member } from './federation';
import { FlowerProcess, flagValue } from './flower';
import { record, str } from './objects';
import { compileSelector } from './selectors';
import { pemFrom } from './tls';
import { FileSource, resolveFile } from './volumes';

export type Anchors =
  | {
      ok: true;
      certificates: Certificate[];
      /** Where they come from, for messages. */
      source: string;
      /** Blocks of the bundle that could not be read (the others still count). */
      errors: string[];
    }
  | { ok: false; status: CheckStatus; reason: string };

/** trust-manager reads Bundle sources from its trust namespace (its default). */
export const TRUST_NAMESPACE = 'cert-manager';

let systemRoots: Certificate[] | undefined;

/** Node's bundled Mozilla roots: the nearest offline stand-in for a client's default roots. */
export function systemTrustStore(): Certificate[] {
  systemRoots ??= readPemBundle(rootCertificates.join('\n'), {
    maxBlocks: 10_000,
  }).certificates;
  return systemRoots;
}

const SYSTEM_SOURCE =
  "the system trust store (no --root-certificates: gRPC's default roots; judged with Node's bundled Mozilla roots)";

/**
 * Bundles by PEM text: a thousand participants mount the same CA, and
 * scheduled scans see it again. readPemBundle is pure, so sharing is safe.
 */
const BUNDLE_MEMO_LIMIT = 5_000;
const bundleMemo = new Map<string, ReturnType<typeof readPemBundle>>();

function readBundle(text: string) {
  let bundle = bundleMemo.get(text);
  if (!bundle) {
    bundle = readPemBundle(text);
    if (bundleMemo.size >= BUNDLE_MEMO_LIMIT) bundleMemo.clear();
    bundleMemo.set(text, bundle);
  }
  return bundle;
}

function fromPem(text: string, source: string): Anchors {
  const bundle = readBundle(text);
  if (bundle.certificates.length === 0)
    return {
      ok: false,
      status: 'error',
      reason: `${source} holds no readable certificate${
        bundle.errors.length ? ` (${bundle.errors[0].message})` : ''
      }`,
    };
  return {
    ok: true,
    certificates: bundle.certificates,
    source,
    errors: bundle.errors.map(e => `${source}: ${e.message}`),
  };
}

/** A trust-manager Bundle whose target is the ConfigMap/Secret key a participant mounts. */
function bundleFor(
  index: ClusterIndex,
  source: { kind: 'Secret' | 'ConfigMap'; name: string; key: string },
) {
  return index.ofKind('Bundle').find(bundle => {
    if (bundle.metadata.name !== source.name) return false;
    const target = record(record(bundle.spec).target);
    const into = record(
      source.kind === 'ConfigMap' ? target.configMap : target.secret,
    );
    return str(into.key) === source.key;
  });
}

/** The Bundle's sources, as trust-manager would render them. */
function fromBundleSources(
  index: ClusterIndex,
  name: string,
  sources: unknown,
): Anchors {
  const what = `trust-manager Bundle ${name}`;
  const certificates: Certificate[] = [];
  const errors: string[] = [];
  const list = Array.isArray(sources) ? sources : [];
  for (const raw of list) {
    const entry = record(raw);
    let text: string | undefined;
    let from: string;
    if (entry.useDefaultCAs === true) {
      certificates.push(...systemTrustStore());
      continue;
    } else if (typeof entry.inLine === 'string') {
      text = entry.inLine;
      from = `${what} inLine source`;
    } else if (entry.configMap || entry.secret) {
      const kind = entry.configMap ? 'ConfigMap' : 'Secret';
      const ref = record(entry.configMap ?? entry.secret);
      const refName = str(ref.name) ?? '';
      const key = str(ref.key) ?? '';
      from = `${what} source ${kind} ${TRUST_NAMESPACE}/${refName} key ${key}`;
      const object = index.get(kind, TRUST_NAMESPACE, refName);
      if (!object)
        return {
          ok: false,
          status: 'skip',
          reason: `${from} is not in the snapshot`,
        };
      if (kind === 'ConfigMap') text = configMapValue(object, key);
      else {
        const value = secretValue(object, key);
        text = value?.ok ? value.text : undefined;
      }
      if (text === undefined)
        return { ok: false, status: 'error', reason: `${from} cannot be read` };
    } else {
      return {
        ok: false,
        status: 'skip',
        reason: `${what} has a source kind the checker does not read`,
      };
    }
    const read = fromPem(text, from);
    if (!read.ok) return read;
    certificates.push(...read.certificates);
    errors.push(...read.errors);
  }
  if (certificates.length === 0)
    return { ok: false, status: 'error', reason: `${what} has no source` };
  return { ok: true, certificates, source: what, errors };
}

function describeSource(source: FileSource, path: string): string {
  return source.kind === 'Secret' || source.kind === 'ConfigMap'
    ? `${source.kind} ${source.namespace}/${source.name} key ${source.key}`
    : path;
}

/** The anchors one participant process verifies the aggregator with. */
export function anchorsOf(
  participant: Member,
  process: FlowerProcess,
): Anchors {
  const path = flagValue(process, '--root-certificates');
  if (!path)
    return {
      ok: true,
      certificates: systemTrustStore(),
      source: SYSTEM_SOURCE,
      errors: [],
    };
  const source = resolveFile(participant.workload, process.container, path);
  const what = describeSource(source, path);
  if (source.kind === 'VaultAgent')
    return {
      ok: false,
      status: 'skip',
      reason: `--root-certificates ${path} is rendered by the Vault agent at run time`,
    };
  const pem = pemFrom(participant.index, source);
  if (pem.text !== undefined) return fromPem(pem.text, what);
  if (pem.error)
    return {
      ok: false,
      status: 'error',
      reason: `--root-certificates: ${pem.error}`,
    };
  // Not in the snapshot: a trust-manager Bundle may render it.
  if (source.kind === 'Secret' || source.kind === 'ConfigMap') {
    const bundle = bundleFor(participant.index, source);
    const selector = compileSelector(
      record(record(bundle?.spec).target).namespaceSelector,
    );
    const labels =
      participant.index.namespaces.get(source.namespace)?.labels ?? {};
    if (bundle && (!selector.ok || !selector.matcher.matches(labels)))
      return {
        ok: false,
        status: 'error',
        reason: `trust-manager Bundle ${
          bundle.metadata.name
        } does not render into namespace ${
          source.namespace
        } (its target.namespaceSelector ${
          selector.ok ? 'does not match the namespace labels' : 'is invalid'
        }), so ${what} will not exist`,
      };
    if (bundle)
      return fromBundleSources(
        participant.index,
        bundle.metadata.name,
        record(bundle.spec).sources,
      );
    const gap = participant.index.gapFor(
      source.kind,
      source.namespace,
      source.name,
    );
    if (gap)
      return {
        ok: false,
        status: gap.status,
        reason: `${what} (--root-certificates) could not be read: ${gap.reason}`,
      };
  }
  return {
    ok: false,
    status: 'skip',
    reason: `${what} (--root-certificates) is not in the snapshot`,
  };
}

/** A stable key of an anchor set: participants with the same anchors are validated once. */
export function anchorsKey(anchors: Anchors): string {
  return anchors.ok
    ? anchors.certificates
        .map(c => c.fingerprint256)
        .sort()
        .join(',')
    : `unreadable:${anchors.status}:${anchors.reason}`;
}
