/**
 * The names a served certificate carries: from the Secret's tls.crt leaf
 * when the snapshot has it, else (offline) from the cert-manager
 * Certificate that will write it. Whether it covers a host is decided as
 * OpenSSL's X509_check_host does (x509/matchHost: SANs only, canonical IPs,
 * whole-label wildcards, none over a public suffix).
 */
import type { CheckStatus } from '@fl-security/plugin-fl-security-common';
import { tlsMaterial } from '../../model/certificates';
import type { ClusterIndex } from '../../model/clusterIndex';
import type { Member } from '../../model/federation';
import {
  PlannedCertificate,
  plannedFor,
  vaultAgentTemplate,
} from '../../model/planned';
import { servingTlsOf } from '../../model/tls';
import { gapVerdict } from '../../ruleKit';
import {
  HostMatch,
  bytesEqual,
  dnsNameMatches,
  ipBytes,
  ipText,
  matchHost,
  parseCertificate,
} from '../../x509';
import { describe } from './describe';

export type ServedNames =
  | {
      ok: true;
      dns: readonly string[];
      ip: readonly string[];
      from: string;
      commonName?: string;
      /** Whether a client dialling `host` accepts the certificate's names. */
      covers(host: string): HostMatch;
    }
  | { ok: false; status: CheckStatus; reason: string };

/** X509_check_host over names a Certificate spec requests (no certificate yet). */
export function coversByNames(
  dns: readonly string[],
  ip: readonly string[],
): (host: string) => HostMatch {
  return host => {
    const wanted = ipBytes(host);
    if (wanted) {
      const hit = ip.find(a => {
        const bytes = ipBytes(a);
        return bytes !== undefined && bytesEqual(bytes, wanted);
      });
      return hit
        ? { matched: true, by: `IP:${ipText(wanted)}` }
        : { matched: false, reason: `no IP address is ${ipText(wanted)}` };
    }
    const hit = dns.find(pattern => dnsNameMatches(pattern, host));
    return hit
      ? { matched: true, by: `DNS:${hit}` }
      : { matched: false, reason: `no DNS name covers ${host}` };
  };
}

export const ISSUED_AT_DEPLOY = 'not in the snapshot: issued at deploy time';

function fromPlanned(
  planned: PlannedCertificate,
  secretText: string,
): ServedNames {
  return {
    ok: true,
    dns: planned.dnsNames,
    ip: planned.ipAddresses,
    commonName: planned.commonName,
    covers: coversByNames(planned.dnsNames, planned.ipAddresses),
    from: `${planned.label} spec (${secretText} ${ISSUED_AT_DEPLOY})`,
  };
}

/** Names served from a TLS Secret (or the Certificate writing it). */
export function namesOfSecret(
  index: ClusterIndex,
  namespace: string,
  name: string,
): ServedNames {
  const what = `Secret ${namespace}/${name}`;
  const secret = index.get('Secret', namespace, name);
  if (secret) {
    const material = tlsMaterial(secret);
    if (material.chainError || material.chain.length === 0) {
      return {
        ok: false,
        status: 'error',
        reason: `${what}: ${material.chainError ?? 'no certificate'}`,
      };
    }
    const parsed = parseCertificate(material.chain[0]);
    if (!parsed.ok)
      return {
        ok: false,
        status: 'error',
        reason: `${what}: the tls.crt leaf cannot be read (${parsed.error.message})`,
      };
    const leaf = parsed.certificate;
    if (leaf.extensions.malformed.length)
      return {
        ok: false,
        status: 'error',
        reason: `${what}: the tls.crt leaf has an undecodable extension ${leaf.extensions.malformed[0]}`,
      };
    const sans = leaf.extensions.subjectAltNames ?? [];
    return {
      ok: true,
      dns: sans.flatMap(n => (n.kind === 'dns' ? [n.value] : [])),
      ip: sans.flatMap(n => (n.kind === 'ip' ? [ipText(n.bytes)] : [])),
      commonName: leaf.subjectCommonNames[0],
      from: `${what} tls.crt`,
      covers: host => matchHost(leaf, host),
    };
  }
  const gap = index.gapFor('Secret', namespace, name);
  if (gap)
    return {
      ok: false,
      status: gap.status,
      reason: gapVerdict(gap, what).message,
    };
  const planned = plannedFor(index, namespace, name);
  if (planned) return fromPlanned(planned, what);
  return index.offline
    ? {
        ok: false,
        status: 'skip',
        reason: `${what} is not in the manifests and no Certificate issues it`,
      }
    : { ok: false, status: 'error', reason: `${what} does not exist` };
}

/** Names of the certificate the aggregator itself serves (--ssl-certfile). */
export function namesServedBy(aggregator: Member): ServedNames {
  const serving = servingTlsOf(aggregator);
  const cert = serving.find(s => s.cert)?.cert;
  if (!cert) {
    return {
      ok: false,
      status: 'skip',
      reason:
        'the aggregator serves no certificate (no --ssl-certfile; see FL-01)',
    };
  }
  if (cert.kind === 'unmounted')
    return {
      ok: false,
      status: 'error',
      reason: `--ssl-certfile: ${cert.reason}`,
    };
  if (cert.kind === 'VaultAgent') {
    if (!cert.template) {
      return {
        ok: false,
        status: 'skip',
        reason:
          'the certificate is rendered by the Vault agent at run time without a template to read names from',
      };
    }
    return fromPlanned(
      vaultAgentTemplate(cert.template, describe(aggregator)),
      'the file',
    );
  }
  if (cert.kind === 'ConfigMap') {
    return {
      ok: false,
      status: 'error',
      reason: `--ssl-certfile comes from ConfigMap ${cert.namespace}/${cert.name}, not a Secret`,
    };
  }
  return namesOfSecret(aggregator.index, cert.namespace, cert.name);
}
