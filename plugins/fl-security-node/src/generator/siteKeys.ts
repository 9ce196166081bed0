/**
 * The node-authentication key of a site in another cluster is made where it
 * is used: an init container of the SuperNode pod (same pinned image, no
 * ServiceAccount token, no network, no RBAC) creates an EC P-384 key in
 * OpenSSH format on the site's own volume once, and prints only the public
 * key to its log on every start. The private key never leaves the site's
 * volume: it is not in the repository, not in a Secret anyone else reads,
 * not in the aggregator's cluster. The site operator sends the public key to
 * the aggregator operator, who registers it (`flwr supernode register`).
 */
import { FederationSpec, ParticipantSpec } from '@fl-security/plugin-fl-security-common';
import { labels, manifest, Manifest } from './meta';
import { NODE_AUTH_DIR, NODE_AUTH_KEY_FILE, SUPERNODE } from './names';

/** Claim holding the site's node-auth key (and nothing else). */
export const NODE_AUTH_CLAIM = 'supernode-node-auth';
export const NODE_AUTH_KEYGEN = 'node-auth-keygen';
const NODE_AUTH_CLAIM_SIZE = '16Mi';

/**
 * Python of the flwr/supernode image (cryptography is a Flower dependency,
 * and Flower loads the key with load_ssh_private_key). Create-once: an
 * existing key is kept, so the registered identity survives restarts; the
 * file appears atomically (rename) with mode 0400.
 */
export function nodeAuthKeygenScript(keyFile: string = NODE_AUTH_KEY_FILE): string {
  return [
    'import os',
    'from cryptography.hazmat.primitives import serialization as s',
    'from cryptography.hazmat.primitives.asymmetric import ec',
    `path = ${JSON.stringify(keyFile)}`,
    'if not os.path.exists(path):',
    '    tmp = path + ".new"',
    '    if os.path.exists(tmp):',
    '        os.remove(tmp)',
    '    key = ec.generate_private_key(ec.SECP384R1())',
    '    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o400)',
    '    os.write(fd, key.private_bytes(s.Encoding.PEM, s.PrivateFormat.OpenSSH, s.NoEncryption()))',
    '    os.fsync(fd)',
    '    os.close(fd)',
    '    os.rename(tmp, path)',
    'with open(path, "rb") as f:',
    '    key = s.load_ssh_private_key(f.read(), None)',
    'print(key.public_key().public_bytes(s.Encoding.OpenSSH, s.PublicFormat.OpenSSH).decode())',
  ].join('\n');
}

export function nodeAuthClaim(spec: FederationSpec, participant: ParticipantSpec): Manifest {
  return manifest('v1', 'PersistentVolumeClaim', {
    name: NODE_AUTH_CLAIM,
    namespace: participant.namespace,
    labels: labels(spec, { role: 'participant', app: SUPERNODE, participant: participant.name }),
  }, {
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: NODE_AUTH_CLAIM_SIZE } },
    },
  });
}

/** The init container; `base` is the SuperNode container it shares image and hardening with. */
export function nodeAuthKeygenContainer(base: {
  image: string;
  imagePullPolicy: string;
  securityContext: unknown;
}): Record<string, unknown> {
  return {
    name: NODE_AUTH_KEYGEN,
    image: base.image,
    imagePullPolicy: base.imagePullPolicy,
    command: ['python', '-c', nodeAuthKeygenScript()],
    resources: {
      requests: { cpu: '10m', memory: '64Mi', 'ephemeral-storage': '8Mi' },
      limits: { cpu: '500m', memory: '128Mi', 'ephemeral-storage': '32Mi' },
    },
    securityContext: base.securityContext,
    volumeMounts: [{ name: 'node-auth', mountPath: NODE_AUTH_DIR }],
  };
}
