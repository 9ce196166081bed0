/**
 * Hostile and malformed federation specs with the exact problem lines they
 * must produce. Shared by the CLI test and the scaffolder action test.
 */
import { FederationSpecInput } from '@fl-security/plugin-fl-security-common';

export interface HostileCase {
  label: string;
  /** A spec object (serialized to YAML for the CLI) or raw YAML text. */
  spec?: unknown;
  yaml?: string;
  expected: string[];
}

const base = (): FederationSpecInput & Record<string, any> => ({
  name: 'demo',
  participants: [{ name: 'site-a' }, { name: 'site-b' }],
});

const withName = (name: string) => ({ ...base(), name });
const withParticipant = (name: string) => ({ ...base(), participants: [{ name }] });
const withHost = (externalHost: string) => ({
  ...base(),
  network: { exposure: 'ingress-nginx', externalHost },
});
const withTls = (tls: Record<string, unknown>) => ({ ...base(), tls });
const withCidr = (cidr: string) => ({ ...base(), network: { allowedCidrs: [cidr] } });
/** A site in its own cluster, with everything that needs (overridable). */
const crossSilo = (override: Record<string, unknown> = {}) => ({
  ...base(),
  aggregator: { cluster: 'hub' },
  participants: [{ name: 'site-a', cluster: 'site-a' }],
  network: { exposure: 'ingress-nginx', externalHost: 'fl.example.com', externalAddresses: ['198.51.100.10/32'] },
  ...override,
});
const PRIVATE_KEY_BASE64 = Buffer.from('-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA==\n-----END EC PRIVATE KEY-----\n').toString('base64');

const DNS_LABEL =
  'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit';
const token = (t: string) => `must not contain ${JSON.stringify(t)}`;
const CONTROL = 'must not contain control characters (newline, tab, ...)';

export const HOSTILE_CASES: HostileCase[] = [
  { label: 'newline injecting a document', spec: withName('demo\nkind: Secret'), expected: [`name: ${CONTROL}`] },
  { label: 'colon-space mapping', spec: withName('demo: x'), expected: [`name: ${token(': ')}`] },
  { label: 'flow mapping', spec: withName('{demo}'), expected: [`name: ${token('{')}`] },
  { label: 'closing brace', spec: withName('demo}'), expected: [`name: ${token('}')}`] },
  { label: 'uppercase name', spec: withName('Demo'), expected: [`name: ${DNS_LABEL}`] },
  { label: 'leading dash', spec: withName('-demo'), expected: [`name: ${DNS_LABEL}`] },
  { label: 'name too long', spec: withName('a'.repeat(31)), expected: ['name: must be at most 30 characters'] },
  { label: 'unicode line separator', spec: withName('demo\u2028x'), expected: [`name: ${CONTROL}`] },
  { label: 'NUL byte', spec: withName('demo\u0000'), expected: [`name: ${CONTROL}`] },
  { label: 'double quote', spec: withParticipant('site"a'), expected: [`participants[0].name: ${token('"')}`] },
  { label: 'single quote', spec: withParticipant("site'a"), expected: [`participants[0].name: ${token("'")}`] },
  { label: 'comment', spec: withParticipant('site#a'), expected: [`participants[0].name: ${token('#')}`] },
  { label: 'anchor', spec: withParticipant('site&a'), expected: [`participants[0].name: ${token('&')}`] },
  { label: 'alias star', spec: withParticipant('*site'), expected: [`participants[0].name: ${token('*')}`] },
  { label: 'tag', spec: withParticipant('!site'), expected: [`participants[0].name: ${token('!')}`] },
  { label: 'literal block', spec: withParticipant('a|b'), expected: [`participants[0].name: ${token('|')}`] },
  { label: 'folded block', spec: withParticipant('a>b'), expected: [`participants[0].name: ${token('>')}`] },
  { label: 'directive', spec: withParticipant('%site'), expected: [`participants[0].name: ${token('%')}`] },
  { label: 'reserved at', spec: withParticipant('a@b'), expected: [`participants[0].name: ${token('@')}`] },
  { label: 'backtick', spec: withParticipant('a`b'), expected: [`participants[0].name: ${token('`')}`] },
  { label: 'flow sequence', spec: withParticipant('a[0]'), expected: [`participants[0].name: ${token('[')}`] },
  { label: 'tab in namespace', spec: { ...base(), aggregator: { namespace: 'agg\tx' } }, expected: [`aggregator.namespace: ${CONTROL}`] },
  {
    label: 'duplicate participants',
    spec: { ...base(), participants: [{ name: 'site-a' }, { name: 'site-a' }] },
    expected: ['participants[1].name: duplicate participant name "site-a" (also participants[0])'],
  },
  {
    label: 'participant in the aggregator namespace',
    spec: { ...base(), participants: [{ name: 'a', namespace: 'demo-aggregator' }] },
    expected: ['participants[0].namespace: namespace "demo-aggregator" is already used by the aggregator'],
  },
  { label: 'kube-system namespace', spec: { ...base(), aggregator: { namespace: 'kube-system' } }, expected: ['aggregator.namespace: must be a dedicated namespace, not "kube-system"'] },
  { label: 'wildcard host', spec: withHost('*.example.com'), expected: ['network.externalHost: must not be a wildcard'] },
  { label: 'host with scheme', spec: withHost('https://fl.example.com'), expected: ['network.externalHost: must be a bare hostname without a scheme (no https://)'] },
  { label: 'host with path', spec: withHost('fl.example.com/fleet'), expected: ['network.externalHost: must be a bare hostname without a path'] },
  { label: 'host with port', spec: withHost('fl.example.com:443'), expected: ['network.externalHost: must be a bare hostname without a port'] },
  { label: 'IP as host', spec: withHost('203.0.113.7'), expected: ['network.externalHost: must be a DNS name, not an IP address'] },
  { label: 'single-label host', spec: withHost('localhost'), expected: ['network.externalHost: must be a fully qualified DNS name (at least two labels)'] },
  { label: 'exposure without host', spec: { ...base(), network: { exposure: 'ingress-nginx' } }, expected: ['network.externalHost: is required when network.exposure is ingress-nginx'] },
  { label: 'privileged port', spec: { ...base(), aggregator: { port: 80 } }, expected: ['aggregator.port: must be between 1024 and 65535 (unprivileged ports only)'] },
  { label: 'port out of range', spec: { ...base(), aggregator: { port: 70000 } }, expected: ['aggregator.port: must be between 1024 and 65535 (unprivileged ports only)'] },
  { label: 'port as string', spec: { ...base(), aggregator: { port: '9092' } }, expected: ['aggregator.port: must be a number'] },
  { label: 'fractional port', spec: { ...base(), aggregator: { port: 9092.5 } }, expected: ['aggregator.port: must be a whole number'] },
  { label: 'prose duration', spec: withTls({ duration: '90 days' }), expected: ['tls.duration: must be a duration in hours/minutes/seconds such as 2160h or 90m'] },
  { label: 'renewal after expiry', spec: withTls({ duration: '24h', renewBefore: '48h' }), expected: ['tls.renewBefore: must be shorter than tls.duration'] },
  { label: 'decade-long leaf', spec: withTls({ duration: '87600h' }), expected: ['tls.duration: must be at most 8760h (one year)'] },
  { label: 'unknown provider', spec: withTls({ provider: 'letsencrypt' }), expected: ['tls.provider: must be one of: cert-manager-ca, cert-manager-vault, cert-manager-issuer, vault-pki-secret, vault-agent'] },
  { label: 'weak RSA key', spec: withTls({ keyAlgorithm: 'RSA', keySize: 1024 }), expected: ['tls.keySize: must be one of 2048, 3072, 4096 for RSA'] },
  { label: 'vault over http', spec: withTls({ provider: 'cert-manager-vault', vault: { server: 'http://vault.example.com', role: 'r', authRole: 'a' } }), expected: ['tls.vault.server: must be an https:// URL with a host and optional port, without path'] },
  { label: 'allow everything CIDR', spec: withCidr('0.0.0.0/0'), expected: ['network.allowedCidrs[0]: must not allow every address (/0)'] },
  { label: 'CIDR with host bits', spec: withCidr('10.0.0.1/8'), expected: ['network.allowedCidrs[0]: must be a network address (host bits set to zero)'] },
  { label: 'not a CIDR', spec: withCidr('10.0.0.0'), expected: ['network.allowedCidrs[0]: must be a CIDR such as 203.0.113.0/24'] },
  { label: 'unpinned image', spec: { ...base(), images: { superlink: 'flwr/superlink:latest' } }, expected: ['images.superlink: must be pinned ("latest" is not a version)'] },
  { label: 'unknown field', spec: { ...base(), hostNetwork: true }, expected: ['hostNetwork: unknown field'] },
  { label: 'istio behind ingress-nginx', spec: { ...withHost('fl.example.com'), mesh: 'istio' }, expected: ['mesh: istio STRICT mTLS rejects passthrough traffic from ingress-nginx: use network.exposure gateway-api (Istio gateway) or none'] },
  { label: 'cluster name injecting a document', spec: crossSilo({ aggregator: { cluster: 'hub\nkind: Secret' } }), expected: [`aggregator.cluster: ${CONTROL}`] },
  { label: 'cluster name as a path', spec: crossSilo({ participants: [{ name: 'site-a', cluster: '../hub' }] }), expected: [`participants[0].cluster: ${DNS_LABEL}`] },
  { label: 'site egress to every address', spec: crossSilo({ network: { exposure: 'ingress-nginx', externalHost: 'fl.example.com', externalAddresses: ['0.0.0.0/0'] } }), expected: ['network.externalAddresses[0]: must not allow every address (/0)'] },
  { label: 'private key in the CA bundle', spec: crossSilo({ tls: { caBundle: [PRIVATE_KEY_BASE64] } }), expected: ['tls.caBundle[0]: must not contain a private key'] },
  { label: 'site in another cluster without an external entry', spec: crossSilo({ network: { exposure: 'none' } }), expected: [
    'network.exposure: must be ingress-nginx or gateway-api when a participant runs in another cluster (sites reach the aggregator through its external host)',
    "network.externalAddresses: is required when a participant runs in another cluster: the sites' egress allows only these addresses",
  ] },
  { label: 'no participants', spec: { name: 'demo', participants: [] }, expected: ['participants: must list at least one participant'] },
  { label: 'a list instead of a mapping', yaml: '- name: demo\n', expected: ['spec: must be a mapping'] },
  { label: 'two documents', yaml: 'name: a\n---\nname: b\n', expected: ['spec file: must contain exactly one YAML document'] },
  { label: 'duplicate keys', yaml: 'name: demo\nname: other\nparticipants: [{name: a}]\n', expected: ['spec file: Map keys must be unique'] },
  {
    label: 'alias expansion',
    yaml: 'name: demo\nparticipants: &p [{name: a}]\nextra: *p\n',
    expected: ['spec file: YAML aliases are not allowed'],
  },
];
