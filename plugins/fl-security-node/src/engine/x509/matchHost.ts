/**
 * Does a certificate name the host a client dials? Like OpenSSL's
 * X509_check_host / X509_check_ip with NEVER_CHECK_SUBJECT and
 * NO_PARTIAL_WILDCARDS, plus public-suffix wildcards refused (see
 * hostNames.ts): only subjectAltName entries count, the subject CN never
 * does (webpki, Go, Chrome; x509-limbo's `webpki::cn::*`), IPs compare as
 * bytes, and an IP host matches only iPAddress entries.
 */
import type { Certificate } from './certificate';
import { OID } from './extensions';
import {
  dnsNameMatches,
  isValidHostName,
  isValidSanDnsName,
} from './hostNames';
import { bytesEqual, ipBytes, ipText } from './ipAddresses';

export type HostMatch =
  | { matched: true; by: string }
  | { matched: false; reason: string };

/** The SAN names of a certificate for messages: `DNS:a, IP:1.2.3.4`. */
export function sanSummary(cert: Certificate, limit = 5): string {
  const names = (cert.extensions.subjectAltNames ?? []).flatMap(n => {
    if (n.kind === 'dns') return [`DNS:${n.value}`];
    if (n.kind === 'ip') return [`IP:${ipText(n.bytes)}`];
    return [];
  });
  if (names.length <= limit) return names.join(', ');
  return `${names.slice(0, limit).join(', ')} and ${names.length - limit} more`;
}

export function matchHost(cert: Certificate, host: string): HostMatch {
  if (cert.extensions.malformed.includes(OID.subjectAltName))
    return {
      matched: false,
      reason: 'the subjectAltName extension cannot be decoded',
    };
  const sans = cert.extensions.subjectAltNames;
  if (!sans || sans.length === 0)
    return {
      matched: false,
      reason:
        'the certificate has no subjectAltName (clients ignore the subject CN)',
    };
  const ip = ipBytes(host);
  if (ip) {
    const hit = sans.find(n => n.kind === 'ip' && bytesEqual(n.bytes, ip));
    if (hit) return { matched: true, by: `IP:${ipText(ip)}` };
    return {
      matched: false,
      reason: `no iPAddress SAN is ${ipText(ip)} (SANs: ${
        sanSummary(cert) || 'none of DNS/IP'
      })`,
    };
  }
  if (!isValidHostName(host))
    return { matched: false, reason: `"${host}" is not a valid host name` };
  for (const name of sans) {
    if (name.kind === 'dns' && dnsNameMatches(name.value, host))
      return { matched: true, by: `DNS:${name.value}` };
  }
  const invalid = sans.filter(
    n => n.kind === 'dns' && !isValidSanDnsName(n.value),
  );
  return {
    matched: false,
    reason: `no DNS SAN covers ${host} (SANs: ${
      sanSummary(cert) || 'none of DNS/IP'
    })${
      invalid.length
        ? `; ${invalid.length} dNSName entries are not valid names`
        : ''
    }`,
  };
}

/** matchHost for an IP given as text; false for anything that is not an IP literal. */
export function matchIp(cert: Certificate, ip: string): HostMatch {
  if (!ipBytes(ip))
    return { matched: false, reason: `"${ip}" is not an IP address` };
  return matchHost(cert, ip);
}
