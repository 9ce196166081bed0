/**
 * CERT-06: every TLS client of a served certificate would accept its path.
 * The aggregator's chain is validated as a TLS client does (x509/
 * validatePath: order-independent path building, CA:TRUE and keyCertSign
 * on every issuer, pathLen, name constraints, unknown critical extensions,
 * validity of every certificate at the scan's clock, serverAuth on the
 * leaf) against exactly what each participant that dials it is configured
 * to trust (model/trust.ts: its --root-certificates bundle, the ca.crt it
 * mounts, a trust-manager Bundle, else the system store), never the
 * issuer's CA Secret. Client certificates are validated (clientAuth)
 * against the aggregators' --ssl-ca-certfile. Trust that cannot be read is
 * a `skip` with the reason, never a pass. CA Secrets hold CA certificates.
 * Offline, Certificate specs are checked for usages and an issuer that
 * exists.
 */
import type { X509Certificate } from 'node:crypto';
import { isPassthroughIngress, exposureOf } from '../model/exposure';
import type { Federation, Member } from '../model/federation';
import { flagValue, hostOfAddress } from '../model/flower';
import { record, strings } from '../model/objects';
import {
  TlsPurpose,
  issuerOf,
  pemFrom,
  servingTlsOf,
  tlsSecretUses,
} from '../model/tls';
import { Anchors, anchorsKey, anchorsOf } from '../model/trust';
import {
  Note,
  about,
  combine,
  defineRule,
  each,
  error,
  objectRef,
  perFederation,
  verdict,
  worstOf,
} from '../ruleKit';
import {
  Certificate,
  PathResult,
  dnsNameMatches,
  ekuAllows,
  parseCertificate,
  readPemBundle,
  validateClientPath,
  validateServerPath,
} from '../x509';
import { someOf } from './shared/bounded';
import { label as labelOf } from './shared/describe';
import { dialsOf } from './shared/dialling';
import {
  CertificateSubject,
  firstOf,
  participants,
  plannedCertificates,
} from './shared/subjects';
import {
  THE_SECRET,
  TlsSecret,
  materialOf,
  parseErrors,
  tlsSecrets,
} from './shared/tlsSecrets';

/** Problems a message names before it counts the rest. */
const PROBLEMS_NAMED = 3;

const SPEC_USAGE: Partial<Record<TlsPurpose, string>> = {
  server: 'server auth',
  ingress: 'server auth',
  gateway: 'server auth',
  client: 'client auth',
};

/** Clients that verify with the same anchors. */
interface Verifiers {
  anchors: Anchors;
  who: string[];
  /** Where each of them reads the same anchors from. */
  sources: string[];
}

/** Participant processes' anchors, read once per evaluation. */
const participantAnchors = perFederation(() => {
  const memo = new WeakMap<object, Anchors>();
  return (participant: Member, process: Member['flower'][number]) => {
    let anchors = memo.get(process);
    if (!anchors) {
      anchors = anchorsOf(participant, process);
      memo.set(process, anchors);
    }
    return anchors;
  };
});

function groupByAnchors(
  clients: Array<{ anchors: Anchors; who: string }>,
): Verifiers[] {
  const groups = new Map<string, Verifiers>();
  for (const { anchors, who } of clients) {
    const key = anchorsKey(anchors);
    const source = anchors.ok ? [anchors.source] : [];
    const group = groups.get(key);
    if (group) {
      group.who.push(who);
      group.sources.push(...source);
    } else groups.set(key, { anchors, who: [who], sources: source });
  }
  return [...groups.values()];
}

function servesSecret(member: Member, secret: TlsSecret): boolean {
  const { use } = secret;
  return (
    member.index === use.index &&
    servingTlsOf(member).some(tls =>
      [tls.cert, tls.key].some(
        s =>
          s?.kind === 'Secret' &&
          s.namespace === use.namespace &&
          s.name === use.name,
      ),
    )
  );
}

/** The participants that dial the aggregator(s) serving this Secret. */
function serverVerifiers(
  secret: TlsSecret,
  federation: Federation,
): Verifiers[] {
  const anchorsFor = participantAnchors(federation);
  const clients = federation.aggregators
    .filter(a => servesSecret(a, secret))
    .flatMap(a => dialsOf(federation, a))
    .map(dial => ({
      anchors: anchorsFor(dial.participant, dial.process),
      who: dial.by,
    }));
  return groupByAnchors(clients);
}

/** Hosts an Ingress or Gateway listener serves this Secret for. */
function hostsServedWith(secret: TlsSecret, federation: Federation): string[] {
  const { use } = secret;
  const exposure = exposureOf(federation);
  const hosts: string[] = [];
  for (const ingress of exposure.ingresses) {
    if (ingress.index !== use.index || ingress.namespace !== use.namespace)
      continue;
    if (isPassthroughIngress(ingress)) continue;
    for (const tls of ingress.tls)
      if (tls.secretName === use.name)
        hosts.push(...(tls.hosts.length ? tls.hosts : ingress.hosts));
  }
  for (const route of exposure.routes) {
    if (route.index !== use.index) continue;
    for (const listener of route.listeners) {
      const serves = listener.certificateRefs.some(
        r => r.namespace === use.namespace && r.name === use.name,
      );
      if (!serves) continue;
      if (route.hostnames.length) hosts.push(...route.hostnames);
      else if (listener.hostname) hosts.push(listener.hostname);
    }
  }
  return hosts.filter(Boolean);
}

/** The participants that dial a host an Ingress or Gateway serves this Secret for. */
function edgeVerifiers(secret: TlsSecret, federation: Federation): Verifiers[] {
  const hosts = hostsServedWith(secret, federation);
  const anchorsFor = participantAnchors(federation);
  const clients: Array<{ anchors: Anchors; who: string }> = [];
  for (const participant of federation.participants)
    for (const process of participant.flower) {
      const address = flagValue(process, '--superlink');
      if (!address) continue;
      const host = hostOfAddress(address);
      if (hosts.some(h => h === host || dnsNameMatches(h, host)))
        clients.push({
          anchors: anchorsFor(participant, process),
          who: `${participant.workload.namespace}/${participant.workload.name}`,
        });
    }
  return groupByAnchors(clients);
}

/** What the aggregators trust for client certificates (--ssl-ca-certfile). */
const clientVerifiers = perFederation((federation): Verifiers[] => {
  const clients: Array<{ anchors: Anchors; who: string }> = [];
  for (const aggregator of federation.aggregators)
    for (const tls of servingTlsOf(aggregator)) {
      if (!tls.ca) continue;
      const who = `${aggregator.workload.namespace}/${aggregator.workload.name}`;
      const source =
        tls.ca.kind === 'Secret' || tls.ca.kind === 'ConfigMap'
          ? `${tls.ca.kind} ${tls.ca.namespace}/${tls.ca.name} key ${tls.ca.key}`
          : '--ssl-ca-certfile';
      const pem = pemFrom(aggregator.index, tls.ca);
      let anchors: Anchors;
      if (pem.text !== undefined) {
        const bundle = readPemBundle(pem.text);
        anchors = bundle.certificates.length
          ? {
              ok: true,
              certificates: bundle.certificates,
              source,
              errors: bundle.errors.map(e => `${source}: ${e.message}`),
            }
          : {
              ok: false,
              status: 'error',
              reason: `${source} holds no readable certificate`,
            };
      } else
        anchors = {
          ok: false,
          status: pem.error ? 'error' : 'skip',
          reason:
            pem.error ?? `${source} (--ssl-ca-certfile) is not in the snapshot`,
        };
      clients.push({ anchors, who });
    }
  return groupByAnchors(clients);
});

const validations = perFederation(() => new Map<string, PathResult>());

function validate(
  federation: Federation,
  chain: readonly X509Certificate[],
  anchors: readonly Certificate[],
  key: string,
  purpose: 'server' | 'client',
  now: Date,
): PathResult {
  const memo = validations(federation);
  const id = `${purpose}|${key}|${chain.map(c => c.fingerprint256).join(',')}`;
  let result = memo.get(id);
  if (!result) {
    const input = { served: chain, anchors, now };
    result =
      purpose === 'server'
        ? validateServerPath(input)
        : validateClientPath(input);
    memo.set(id, result);
  }
  return result;
}

function problemsText(result: PathResult): string {
  return someOf(
    result.problems.map(p => p.message),
    PROBLEMS_NAMED,
    '; ',
  );
}

/** One note per group of clients with the same anchors. */
function pathNotes(
  verifiers: Verifiers[],
  chain: readonly X509Certificate[],
  purpose: 'server' | 'client',
  federation: Federation,
  now: Date,
): Note[] {
  return verifiers.map(({ anchors, who, sources }) => {
    const clients = someOf(who);
    if (!anchors.ok)
      return {
        status: anchors.status === 'pass' ? 'skip' : anchors.status,
        text: `cannot validate the chain for ${clients}: ${anchors.reason}`,
      };
    const result = validate(
      federation,
      chain,
      anchors.certificates,
      anchorsKey(anchors),
      purpose,
      now,
    );
    const trust = `${someOf(sources)}${
      who.length ? ` (trusted by ${clients})` : ''
    }`;
    // Out of work (signatures, name comparisons): a client gives up too, and rejects.
    const gaveUp = result.problems.some(p => p.code === 'budget');
    if (result.indeterminate && !gaveUp)
      return {
        status: 'skip',
        text: `could not evaluate the chain against ${trust}: ${problemsText(
          result,
        )}`,
      };
    if (!result.ok)
      return {
        status: 'fail',
        text: `chain does not verify to ${trust}: ${problemsText(result)}`,
      };
    const notes = [...result.notes, ...anchors.errors];
    return notes.length
      ? {
          status: 'warn',
          text: `chain verifies to ${trust}, but ${someOf(notes, 2, '; ')}`,
        }
      : { status: 'pass', text: `chain verifies to ${trust}` };
  });
}

function serverNotes(
  secret: TlsSecret,
  purpose: TlsPurpose,
  chain: readonly X509Certificate[],
  federation: Federation,
  now: Date,
): Note[] {
  if (
    purpose === 'server' &&
    !federation.aggregators.some(a => servesSecret(a, secret))
  )
    // A federation Certificate with server auth no aggregator serves: no known client.
    return secret.use.purposes.size > 1
      ? []
      : [
          {
            status: 'skip',
            text: 'no aggregator serves it: no known client to validate the chain for',
          },
        ];
  const verifiers =
    purpose === 'server'
      ? serverVerifiers(secret, federation)
      : edgeVerifiers(secret, federation);
  if (verifiers.length === 0)
    return [
      {
        status: 'skip',
        text:
          purpose === 'server'
            ? 'no participant dials the aggregator serving it: no client trust to validate the chain against'
            : 'no participant dials a host it is served for: the clients and what they trust are unknown',
      },
    ];
  return pathNotes(verifiers, chain, 'server', federation, now);
}

function clientNotes(
  leaf: Certificate | undefined,
  chain: readonly X509Certificate[],
  federation: Federation,
  now: Date,
): Note[] {
  const verifiers = clientVerifiers(federation);
  if (verifiers.length > 0)
    return pathNotes(verifiers, chain, 'client', federation, now);
  // Nobody verifies it: say so, and still judge what the certificate allows.
  const eku = leaf && ekuAllows(leaf, 'client');
  return [
    {
      status: 'skip',
      text: 'no aggregator verifies client certificates (no --ssl-ca-certfile)',
    },
    ...(eku && !eku.allowed
      ? [{ status: 'fail' as const, text: eku.reason }]
      : []),
  ];
}

function checkSecret(secret: TlsSecret, federation: Federation, now: Date) {
  const material = materialOf(secret);
  const { use } = secret;
  const errors = parseErrors(material);
  if (material.chain.length === 0)
    return error(`${secret.label}: ${errors.join('; ') || 'no certificate'}.`);
  const parsed = parseCertificate(material.chain[0]);
  const leaf = parsed.ok ? parsed.certificate : undefined;
  const notes: Note[] = errors.map(text => ({ status: 'error', text }));
  if (!parsed.ok)
    notes.push({
      status: 'error',
      text: `the tls.crt leaf cannot be read (${parsed.error.message})`,
    });
  else if (use.purposes.has('ca'))
    notes.push(
      leaf?.extensions.basicConstraints?.ca
        ? { status: 'pass', text: 'CA certificate' }
        : {
            status: 'fail',
            text: 'the CA Secret holds a certificate without basicConstraints CA:TRUE',
          },
    );
  for (const purpose of use.purposes) {
    if (purpose === 'ca') continue;
    if (purpose === 'client')
      notes.push(...clientNotes(leaf, material.chain, federation, now));
    else
      notes.push(
        ...serverNotes(secret, purpose, material.chain, federation, now),
      );
  }
  return combine(
    notes,
    texts => `${secret.label}: ${someOf(texts, PROBLEMS_NAMED, '; ')}.`,
  );
}

/** What each TLS Secret is used for, by cluster/namespace/name. */
const purposesOf = perFederation(federation => {
  const purposes = new Map<string, Set<TlsPurpose>>();
  for (const use of tlsSecretUses(federation))
    purposes.set(
      `${use.index.cluster ?? ''}/${use.namespace}/${use.name}`,
      use.purposes,
    );
  return purposes;
});

function checkSpec(
  { index, certificate }: CertificateSubject,
  federation: Federation,
) {
  const spec = record(certificate.spec);
  const uses =
    purposesOf(federation).get(
      `${index.cluster ?? ''}/${certificate.metadata.namespace ?? 'default'}/${
        spec.secretName
      }`,
    ) ?? new Set();
  const issuer = issuerOf(index, certificate);
  const notes: Note[] = [
    issuer.object
      ? { status: 'pass', text: `issued by ${issuer.kind} ${issuer.name}` }
      : {
          status: 'warn',
          text: `${issuer.kind} ${issuer.name} is not in the manifests`,
        },
  ];
  const usages = strings(spec.usages);
  for (const purpose of uses) {
    const wanted = SPEC_USAGE[purpose];
    if (!wanted) continue;
    if (usages.length === 0)
      notes.push({
        status: 'warn',
        text: `no usages: the certificate will carry no extendedKeyUsage (add "${wanted}")`,
      });
    else if (!usages.includes(wanted))
      notes.push({ status: 'fail', text: `usages lack "${wanted}"` });
  }
  if (uses.has('ca') && spec.isCA !== true)
    notes.push({ status: 'fail', text: 'used as a CA but isCA is not true' });
  // Every note is shown: a spec is judged as a whole.
  return verdict(
    worstOf(notes),
    `${labelOf(certificate)}: ${[...new Set(notes.map(n => n.text))].join(
      '; ',
    )}.`,
  );
}

/** Participant trust that is there but broken (unreadable PEM): an error, federation-wide. */
const trustErrors = perFederation(federation => {
  const anchorsFor = participantAnchors(federation);
  const errors: string[] = [];
  for (const participant of federation.participants)
    for (const process of participant.flower) {
      if (!flagValue(process, '--superlink')) continue;
      const anchors = anchorsFor(participant, process);
      if (!anchors.ok && anchors.status === 'error')
        errors.push(anchors.reason);
      else if (anchors.ok) errors.push(...anchors.errors);
    }
  return errors;
});

export const cert06ChainAndUsage = defineRule({
  id: 'CERT-06',
  checks: [
    each(
      tlsSecrets,
      (secret, { federation, now }) => checkSecret(secret, federation, now),
      [THE_SECRET],
    ),
    each(firstOf(participants), (participant, { federation }) => {
      const errors = trustErrors(federation);
      return errors.length
        ? about(
            objectRef(participant.index, participant.workload.object),
            error(
              `The participants' trust bundle could not be read: ${someOf(
                errors,
                PROBLEMS_NAMED,
                '; ',
              )}.`,
            ),
          )
        : [];
    }),
    each(plannedCertificates, (certificate, { federation }) =>
      checkSpec(certificate, federation),
    ),
  ],
});
