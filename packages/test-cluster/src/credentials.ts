import crypto from 'node:crypto';

/** A user of the static token file. */
export interface TestUser {
  name: string;
  /** Groups besides system:authenticated (added by the API server). */
  groups?: string[];
}

export const ADMIN_USER = 'flsec-admin';
export const RESTRICTED_USER = 'flsec-reader';

const NAME = /^[a-z0-9]([a-z0-9.:-]*[a-z0-9])?$/;

export function randomToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/**
 * The --token-auth-file contents (CSV: token,user,uid,"group,group").
 * Names are restricted to characters that cannot break the CSV.
 */
export function tokenAuthFile(users: TestUser[], tokens: Record<string, string>): string {
  return users
    .map(user => {
      for (const name of [user.name, ...(user.groups ?? [])]) {
        if (!NAME.test(name)) {
          throw new Error(`invalid user or group name ${JSON.stringify(name)}`);
        }
      }
      const fields = [tokens[user.name], user.name, `uid-${user.name}`];
      if (user.groups && user.groups.length > 0) {
        fields.push(`"${user.groups.join(',')}"`);
      }
      return fields.join(',');
    })
    .join('\n')
    .concat('\n');
}

/** A fresh EC P-256 key pair for signing service-account tokens. */
export function serviceAccountKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
  });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/**
 * The API server writes a self-signed serving certificate and its CA into
 * --cert-dir; clients trust that CA (the certificate whose subject equals
 * its issuer and which may sign certificates).
 */
export function caFromServingChain(chainPem: string): string {
  const blocks = chainPem.match(
    /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g,
  );
  for (const block of blocks ?? []) {
    const cert = new crypto.X509Certificate(block);
    if (cert.ca && cert.subject === cert.issuer && cert.verify(cert.publicKey)) {
      return `${block}\n`;
    }
  }
  throw new Error('the API server serving certificate chain contains no CA');
}
