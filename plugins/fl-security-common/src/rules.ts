/**
 * The rule catalogue: ids, titles and texts shown by the engine, the offline
 * checker (SARIF rule descriptors) and the entity tab. Ids are a public
 * contract: never renumber or reuse one.
 */
import type { RuleArea, Severity } from './report';

export type RuleId =
  | 'NET-01'
  | 'NET-02'
  | 'NET-03'
  | 'NET-04'
  | 'NET-05'
  | 'ING-01'
  | 'ING-02'
  | 'ING-03'
  | 'ING-04'
  | 'ING-05'
  | 'CERT-01'
  | 'CERT-02'
  | 'CERT-03'
  | 'CERT-04'
  | 'CERT-05'
  | 'CERT-06'
  | 'FL-01'
  | 'FL-02'
  | 'FL-03'
  | 'SEC-01'
  | 'POD-01'
  | 'POD-02'
  | 'IMG-01'
  | 'MESH-01'
  | 'SCOPE-01'
  | 'SCOPE-02';

export interface RuleMetadata {
  id: RuleId;
  title: string;
  area: RuleArea;
  severity: Severity;
  /** Why the rule exists: the risk it guards against. */
  rationale: string;
  /** What to change when the rule fails (results may be more specific). */
  remediation: string;
}

export const RULES: readonly RuleMetadata[] = [
  {
    id: 'NET-01',
    title: 'Default-deny NetworkPolicy in every namespace of the federation',
    area: 'network',
    severity: 'high',
    rationale:
      'Without a namespace-wide default-deny, every new pod starts with unrestricted ingress and egress until someone writes a policy for it.',
    remediation:
      'Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress, Egress]` (no rules, or DNS egress only) to each namespace of the federation.',
  },
  {
    id: 'NET-02',
    title: 'Every FL pod is isolated by a NetworkPolicy',
    area: 'network',
    severity: 'high',
    rationale:
      'A pod that no policy selects for a direction accepts (or opens) any connection in that direction. Selection follows Kubernetes semantics: empty versus absent selectors, matchExpressions, policyTypes defaulting.',
    remediation:
      'Make a NetworkPolicy in the pod namespace select the pod (its podSelector must match the pod labels) with Ingress and Egress in policyTypes.',
  },
  {
    id: 'NET-03',
    title: 'No allow-all peers on FL pods',
    area: 'network',
    severity: 'high',
    rationale:
      'An empty or missing `from`/`to`, a lone `namespaceSelector: {}` or ipBlocks that together admit every address (0.0.0.0/0, but also 0.0.0.0/1 plus 128.0.0.0/1, or every public address) turn a policy into an allow-all: it passes existence checks but isolates nothing.',
    remediation:
      'Replace allow-all peers with the exact sources or destinations: participant pods, the declared ingress-controller namespace, named CIDRs. DNS egress should target kube-dns.',
  },
  {
    id: 'NET-04',
    title: 'Only participants and declared sources reach the aggregator',
    area: 'network',
    severity: 'critical',
    rationale:
      'The aggregator receives model updates: any source other than the participants, the ingress controller and declared CIDRs that can open its FL port widens the attack surface of the federation.',
    remediation:
      'Restrict the ingress rules of the policies selecting the aggregator to the participants and to the sources declared in the `fl-security/allowed-sources` annotation of the aggregator workload (or declare the source there if it is intended).',
  },
  {
    id: 'NET-05',
    title: 'Participant egress is limited to the aggregator and DNS',
    area: 'network',
    severity: 'medium',
    rationale:
      'A participant holds private training data; unrestricted egress lets a compromised client app exfiltrate it.',
    remediation:
      'Give participant pods an egress policy that only allows the aggregator (or the gateway in front of it) and DNS on port 53.',
  },
  {
    id: 'ING-01',
    title: 'Every Ingress or route of the federation uses TLS',
    area: 'tls',
    severity: 'critical',
    rationale:
      'An Ingress without TLS (or a Gateway listener over plain HTTP) exposes FL traffic in clear text on the network.',
    remediation:
      'Add a `tls` section to the Ingress, use ssl-passthrough, or route through a Gateway TLS listener (TLSRoute in Passthrough mode).',
  },
  {
    id: 'ING-02',
    title: 'Every host is covered by tls.hosts and the certificate SANs',
    area: 'tls',
    severity: 'high',
    rationale:
      'Clients verify the host name against the certificate DNS SANs (RFC 9525: a wildcard matches exactly one left-most label); a host outside them fails the handshake or tempts operators to disable verification.',
    remediation:
      'List every rule host in `tls.hosts` and issue the served certificate with each host in its DNS SANs (cert-manager `spec.dnsNames`).',
  },
  {
    id: 'ING-03',
    title: 'No empty or wildcard Ingress host',
    area: 'tls',
    severity: 'medium',
    rationale:
      'A rule without host (or `*.domain`) routes any Host header to the aggregator and cannot be matched by a precise certificate.',
    remediation:
      'Set an explicit fully qualified host on every Ingress rule and route.',
  },
  {
    id: 'ING-04',
    title:
      'The Ingress TLS Secret exists, is kubernetes.io/tls and its key matches',
    area: 'tls',
    severity: 'high',
    rationale:
      'A missing or malformed Secret makes the ingress controller fall back to its default (self-signed) certificate; a key that does not match the certificate breaks the handshake.',
    remediation:
      'Reference an existing Secret of type kubernetes.io/tls whose tls.crt parses and whose tls.key belongs to the certificate (let cert-manager write it).',
  },
  {
    id: 'ING-05',
    title: 'TLS is end to end up to the aggregator pod',
    area: 'end-to-end',
    severity: 'critical',
    rationale:
      'An ingress that terminates TLS and forwards plain text exposes model updates inside the cluster; re-encryption without backend certificate verification (ingress-nginx with gRPC) is only partially better.',
    remediation:
      'Use TLS passthrough (`nginx.ingress.kubernetes.io/ssl-passthrough: "true"` or a Gateway TLSRoute with a Passthrough listener) so TLS ends inside the aggregator pod.',
  },
  {
    id: 'CERT-01',
    title: 'cert-manager Certificates are Ready and unexpired',
    area: 'tls',
    severity: 'medium',
    rationale:
      'Ready=True alone is not proof: a Certificate can stay Ready with a notAfter in the past when renewal keeps failing.',
    remediation:
      'Inspect the Certificate events and its CertificateRequest (`kubectl describe certificate`), fix the issuer, then confirm status.notAfter is in the future.',
  },
  {
    id: 'CERT-02',
    title: 'Certificates are not close to expiry',
    area: 'tls',
    severity: 'high',
    rationale:
      'An expired certificate stops the federation; Flower reads certificates only at start, so a renewed Secret still needs a pod restart.',
    remediation:
      'Renew the certificate (cert-manager `renewBefore` longer than the failure threshold) and restart the pods that read it.',
  },
  {
    id: 'CERT-03',
    title: 'Certificate keys are strong enough',
    area: 'tls',
    severity: 'high',
    rationale:
      'RSA keys below 2048 bits and EC curves below P-256 can be broken.',
    remediation:
      'Reissue with RSA 2048+ or ECDSA P-256/P-384 or Ed25519 (cert-manager `spec.privateKey`).',
  },
  {
    id: 'CERT-04',
    title: 'No MD5 or SHA-1 certificate signatures',
    area: 'tls',
    severity: 'high',
    rationale:
      'MD5 and SHA-1 signatures allow forged certificates (chosen-prefix collisions).',
    remediation:
      'Reissue the certificate (and its CA) with a SHA-256 or stronger signature.',
  },
  {
    id: 'CERT-05',
    title: 'Certificate SANs cover every name clients dial',
    area: 'tls',
    severity: 'high',
    rationale:
      'Participants dial the aggregator by its Service DNS names, external host or IP; clients match subjectAltNames only (never the CN), IPs as addresses (2001:db8::10 is 2001:DB8:0:0:0:0:0:10), a wildcard as one whole left-most label and never over a public suffix, so a missing SAN means a failed handshake or disabled verification.',
    remediation:
      'Put every dialled name in the DNS SANs: `<svc>.<ns>.svc`, `<svc>.<ns>.svc.cluster.local` and the external host (cert-manager `spec.dnsNames`).',
  },
  {
    id: 'CERT-06',
    title: 'Chains validate to what each participant trusts, as TLS clients validate them',
    area: 'tls',
    severity: 'high',
    rationale:
      'Each participant validates the aggregator chain against exactly what it is configured to trust (its --root-certificates bundle, the ca.crt it mounts, a trust-manager Bundle), not against the issuer\'s CA Secret: after a CA rotation those differ. TLS clients build the path from the served certificates in any order and reject an issuer that is not a CA or may not sign certificates, a broken pathLen or name constraint, an unknown critical extension, any certificate outside its validity, a CA certificate served as the leaf, and a leaf without serverAuth (anyExtendedKeyUsage alone is not enough).',
    remediation:
      'Issue the aggregator certificate from the CA the participants trust (roll a new CA out to their bundles before issuing from it), ship the intermediates in tls.crt, and include `server auth` in the usages (`client auth` for client certificates).',
  },
  {
    id: 'FL-01',
    title: 'The aggregator serves TLS and participants verify it',
    area: 'end-to-end',
    severity: 'critical',
    rationale:
      'Flower with `--insecure` sends model updates in clear text; a SuperNode that does not verify the SuperLink certificate can be redirected to an impostor.',
    remediation:
      'Start flower-superlink with --ssl-ca-certfile, --ssl-certfile and --ssl-keyfile (never --insecure) and flower-supernode with --root-certificates (or a trusted public CA), never --insecure.',
  },
  {
    id: 'FL-02',
    title: 'Participant authentication is enabled',
    area: 'participant-auth',
    severity: 'high',
    rationale:
      'Flower does not request X.509 client certificates: without node authentication any client that reaches the Fleet API can join the federation.',
    remediation:
      'Run flower-superlink with --enable-supernode-auth and each flower-supernode with --auth-supernode-private-key (register public keys with `flwr supernode register`), or enforce STRICT mTLS with a mesh.',
  },
  {
    id: 'FL-03',
    title: 'Internal Flower APIs are not exposed',
    area: 'network',
    severity: 'high',
    rationale:
      'ServerAppIo (9091) and ClientAppIo (9094) are in-pod APIs without participant authentication; the Control API registers node keys and starts runs (arbitrary code on every node) and has no authentication in open-source Flower. From Flower 1.37 the SuperLink serves Fleet, Control and Runtime APIs on one listener, so whoever reaches the fleet port also reaches the Control API. The in-pod gateway is trusted only after its haproxy.cfg (the ConfigMap it mounts) is read: it must deny everything but POST to the pinned release\'s exact Fleet API paths; a config that cannot be read or is not understood is an error, never a pass.',
    remediation:
      'Remove internal ports from Services and Ingresses. Bind the SuperLink to 127.0.0.1 (`--host 127.0.0.1`) and serve the fleet port from an in-pod TLS gateway that forwards only the Fleet API paths (the generator does this); reach the Control API with kubectl port-forward. A legacy Control API port may be open only to the admin namespace declared in `fl-security/admin-namespace`.',
  },
  {
    id: 'SEC-01',
    title: 'No secret literals in FL pod env or ConfigMaps',
    area: 'secrets',
    severity: 'high',
    rationale:
      'Values in env literals and ConfigMaps are readable by anyone who can read the workload or ConfigMap and end up in Git; env from Secrets leaks into crash dumps and child processes.',
    remediation:
      'Move secrets into Secrets mounted as files (read-only volume); avoid passing them through environment variables.',
  },
  {
    id: 'POD-01',
    title: 'FL pods follow the restricted Pod Security profile',
    area: 'pod-security',
    severity: 'medium',
    rationale:
      'A root, privileged or host-networked container can read the TLS keys of other pods on the node and bypass NetworkPolicies.',
    remediation:
      'Set runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities.drop: [ALL], seccompProfile.type: RuntimeDefault and readOnlyRootFilesystem: true; remove hostNetwork, hostPort and privileged.',
  },
  {
    id: 'POD-02',
    title: 'Federation namespaces enforce the restricted Pod Security Standard',
    area: 'pod-security',
    severity: 'medium',
    rationale:
      'Without `pod-security.kubernetes.io/enforce: restricted` nothing stops a later change from running a privileged pod next to the aggregator.',
    remediation:
      'Label each namespace of the federation with `pod-security.kubernetes.io/enforce: restricted`.',
  },
  {
    id: 'IMG-01',
    title: 'FL pods run images pinned by digest',
    area: 'images',
    severity: 'medium',
    rationale:
      'A tag is a mutable pointer: whoever can push to the repository, or a compromised registry, decides what runs next to the federation\'s TLS and node keys at the next start. A digest names the image content and the runtime refuses anything else. With a tag and imagePullPolicy IfNotPresent a node also runs whatever it cached under that tag, and any pod scheduled there may use a private image without pull credentials.',
    remediation:
      'Pin every image by digest (`image: <name>:<tag>@sha256:<digest>`; for generated manifests set `images.digests.superlink`, `.supernode` and `.fleetGateway` in federation.yaml and regenerate). Where an image must stay on a tag, set `imagePullPolicy: Always` so each start resolves the tag at the registry with the pod\'s pull credentials.',
  },
  {
    id: 'MESH-01',
    title: 'Mesh mTLS is STRICT for the aggregator',
    area: 'mesh',
    severity: 'high',
    rationale:
      'With a mesh in PERMISSIVE mode, or a DestinationRule that disables TLS, plain-text connections still reach the aggregator.',
    remediation:
      'Apply a PeerAuthentication with `mtls.mode: STRICT` covering the aggregator and remove DestinationRules that set `tls.mode: DISABLE` (or SIMPLE) for its hosts.',
  },
];

/**
 * Rules the backend's cluster reader evaluates before the engine runs (they
 * decide what it may read). Not in {@link RULES}: the engine and offline
 * checks never report them.
 */
export const READER_RULES: readonly RuleMetadata[] = [
  {
    id: 'SCOPE-01',
    title: 'Every namespace read is bound to the entity',
    area: 'scope',
    severity: 'high',
    rationale:
      "Catalog annotations are written by whoever writes the entity, and the portal reads with the union of every project's rights: a namespace is read for an entity only when the Namespace object itself names the entity (or an administrator mapped it in flSecurity.namespaceBindings). Anything else could show one team another team's cluster posture.",
    remediation:
      "Bind the namespace on the Namespace object: label `fl-security/federation: <federation id>` and annotation `fl-security/entity-ref: <kind:namespace/name>` (the generator writes both), or map the entity to it in `flSecurity.namespaceBindings`. Remove namespaces that are not the entity's from its annotations.",
  },
  {
    id: 'SCOPE-02',
    title: 'Every cluster of the federation was read',
    area: 'scope',
    severity: 'high',
    rationale:
      'A federation whose sites run in their own clusters is only as safe as each site. A site cluster that did not answer (unreachable, timed out, unknown to the portal, over the scan budget) has none of its objects evaluated: without a result of its own, the report of the clusters that answered would read as the whole federation.',
    remediation:
      "Make the cluster readable by the portal: configure it (kubernetes.clusterLocatorMethods or flSecurity.kubeconfig) under the name the entity's fl-security/clusters or fl-security/namespaces uses, check its address, credentials and the portal's read RBAC the generator ships for it, then scan again.",
  },
];

const RULES_BY_ID: ReadonlyMap<string, RuleMetadata> = new Map(
  [...RULES, ...READER_RULES].map(rule => [rule.id, rule]),
);

export const RULE_IDS: readonly RuleId[] = RULES.map(rule => rule.id);

/** Metadata of a rule id, or undefined for an unknown id. */
export function getRuleMetadata(id: string): RuleMetadata | undefined {
  return RULES_BY_ID.get(id);
}
