/**
 * The chain defects of issue #18, each checked two ways: our verdict and the
 * `openssl verify` CLI as an independent oracle. (The signature-only
 * `verifyChain` that passed them is gone; certificateVerdicts.test.ts shows
 * the same defects through CERT-06.)
 */
import {
  CA_EXT,
  Issued,
  issue,
  leafExt,
  opensslVerifies,
  smallPki,
} from './__testUtils__/issue';
import { validateServerPath, validatePath } from './validatePath';

// An hour after issuance: every test certificate is valid then.
const NOW = new Date(Date.now() + 3_600_000);
const LATER = new Date(NOW.getTime() + 200 * 86_400_000);

function ours(
  leaf: Issued,
  anchors: Issued[],
  others: Issued[] = [],
  host?: string,
  now = NOW,
) {
  return validateServerPath({
    served: [leaf.node, ...others.map(o => o.node)],
    anchors: anchors.map(a => a.node),
    now,
    host,
  });
}

function oracle(
  leaf: Issued,
  anchors: Issued[],
  others: Issued[] = [],
  host?: string,
  now = NOW,
) {
  return opensslVerifies({
    leaf: leaf.pem,
    anchors: anchors.map(a => a.pem),
    untrusted: others.map(o => o.pem),
    host: host ? { dns: host } : undefined,
    attime: now,
  }).ok;
}

describe('validatePath', () => {
  const pki = smallPki();

  it('accepts a well-formed chain and returns the path leaf → anchor', () => {
    const result = ours(pki.leaf, [pki.root], [pki.mid], 'server.example.com');
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.path.map(c => c.subject)).toEqual([
      'CN=server.example.com',
      'CN=Test Mid',
      'CN=Test Root',
    ]);
    expect(oracle(pki.leaf, [pki.root], [pki.mid], 'server.example.com')).toBe(
      true,
    );
  });

  it('builds the path from an unordered served set', () => {
    const root = issue({ subject: '/CN=Order Root', ext: CA_EXT, days: 365 });
    const upper = issue({
      subject: '/CN=Order Upper',
      ext: CA_EXT,
      issuer: root,
    });
    const lower = issue({
      subject: '/CN=Order Lower',
      ext: CA_EXT,
      issuer: upper,
    });
    const leaf = issue({
      subject: '/CN=s',
      ext: leafExt('DNS:s.example.com'),
      issuer: lower,
    });
    // Served: leaf, then the intermediates in the wrong order.
    expect(ours(leaf, [root], [upper, lower]).ok).toBe(true);
    expect(oracle(leaf, [root], [upper, lower])).toBe(true);
  });

  it('names an issuer that is not a CA', () => {
    const bad = smallPki({
      midExt: [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,keyCertSign',
      ],
    });
    const result = ours(bad.leaf, [bad.root], [bad.mid]);
    expect(result.ok).toBe(false);
    expect(result.problems.map(p => p.message)).toContain(
      'issuer CN=Test Mid is not a CA (basicConstraints CA:FALSE)',
    );
    expect(result.problems[0]).toMatchObject({
      code: 'not-a-ca',
      subject: 'CN=Test Mid',
      role: 'intermediate',
    });
    expect(oracle(bad.leaf, [bad.root], [bad.mid])).toBe(false);
  });

  it('rejects an unknown critical extension on an issuer', () => {
    const bad = smallPki({
      midExt: [...CA_EXT, '1.3.6.1.4.1.99999.1=critical,ASN1:NULL'],
    });
    const result = ours(bad.leaf, [bad.root], [bad.mid]);
    expect(result.ok).toBe(false);
    expect(result.problems[0].code).toBe('unknown-critical-extension');
    expect(result.problems[0].message).toContain('issuer CN=Test Mid');
    expect(oracle(bad.leaf, [bad.root], [bad.mid])).toBe(false);
  });

  it('fails a CA certificate served as the leaf', () => {
    const result = ours(pki.mid, [pki.root], [], undefined);
    expect(result.ok).toBe(false);
    expect(result.problems.map(p => p.code)).toContain('leaf-is-ca');
  });

  it('enforces pathLen', () => {
    const root = issue({
      subject: '/CN=Len Root',
      ext: [
        'basicConstraints=critical,CA:TRUE,pathlen:0',
        'keyUsage=critical,keyCertSign',
      ],
      days: 365,
    });
    const mid = issue({ subject: '/CN=Len Mid', ext: CA_EXT, issuer: root });
    const leaf = issue({
      subject: '/CN=s',
      ext: leafExt('DNS:s.example.com'),
      issuer: mid,
    });
    const result = ours(leaf, [root], [mid]);
    expect(result.ok).toBe(false);
    expect(result.problems[0].message).toBe(
      'trust anchor CN=Len Root allows 0 intermediate CA(s) below it (pathLen:0) but the path has 1',
    );
    expect(oracle(leaf, [root], [mid])).toBe(false);
  });

  it('enforces DNS and IP name constraints', () => {
    const root = issue({
      subject: '/CN=NC Root',
      ext: [
        ...CA_EXT,
        'nameConstraints=critical,permitted;DNS:example.com,permitted;IP:10.0.0.0/255.0.0.0',
      ],
      days: 365,
    });
    const good = issue({
      subject: '/CN=g',
      ext: leafExt('DNS:fl.example.com,IP:10.1.2.3'),
      issuer: root,
    });
    const evilDns = issue({
      subject: '/CN=e',
      ext: leafExt('DNS:fl.evil.test'),
      issuer: root,
    });
    const evilIp = issue({
      subject: '/CN=i',
      ext: leafExt('DNS:fl.example.com,IP:192.168.0.1'),
      issuer: root,
    });
    expect(ours(good, [root]).ok).toBe(true);
    const dns = ours(evilDns, [root]);
    expect(dns.problems[0].message).toContain(
      'DNS:fl.evil.test is outside the permitted subtrees (DNS:example.com)',
    );
    const ip = ours(evilIp, [root]);
    expect(ip.problems[0].message).toContain(
      'IP:192.168.0.1 is outside the permitted subtrees (IP:10.0.0.0/8)',
    );
    expect([
      oracle(good, [root]),
      oracle(evilDns, [root]),
      oracle(evilIp, [root]),
    ]).toEqual([true, false, false]);
  });

  it('checks the validity of every certificate at the given clock', () => {
    // Leaf valid 30 days, mid 180, root 365: at +200 days only the root is valid.
    const result = ours(pki.leaf, [pki.root], [pki.mid], undefined, LATER);
    expect(result.ok).toBe(false);
    expect(result.problems.map(p => p.code)).toEqual(['expired', 'expired']);
    expect(result.problems.map(p => p.subject)).toEqual([
      'CN=server.example.com',
      'CN=Test Mid',
    ]);
    expect(oracle(pki.leaf, [pki.root], [pki.mid], undefined, LATER)).toBe(
      false,
    );
  });

  it('finds the valid path when another candidate issuer is unusable (backtracking)', () => {
    const key = pki.mid.keyPem;
    // Same subject and key as Test Mid, but CA:FALSE: listed first, it must be skipped.
    const twin = issue({
      subject: '/CN=Test Mid',
      ext: ['basicConstraints=critical,CA:FALSE'],
      issuer: pki.root,
      keyPem: key,
    });
    const result = ours(pki.leaf, [pki.root], [twin, pki.mid]);
    expect(result.ok).toBe(true);
    expect(result.path[1].fingerprint256).toBe(pki.mid.node.fingerprint256);
  });

  it('fails when the anchors are not what signed the chain (CA rotation)', () => {
    const rotated = smallPki();
    const result = ours(rotated.leaf, [pki.root], [rotated.mid]);
    expect(result.ok).toBe(false);
    expect(result.problems[0].code).toBe('bad-signature');
    expect(result.problems[0].message).toBe(
      'issuer CN=Test Mid is not signed by the key of trust anchor CN=Test Root',
    );
  });

  it('requires serverAuth, refusing anyExtendedKeyUsage alone', () => {
    const leaf = issue({
      subject: '/CN=any',
      ext: leafExt('DNS:any.example.com', 'anyExtendedKeyUsage'),
      issuer: pki.mid,
    });
    const result = ours(leaf, [pki.root], [pki.mid]);
    expect(result.problems.map(p => p.code)).toEqual(['extended-key-usage']);
    expect(oracle(leaf, [pki.root], [pki.mid])).toBe(false);
  });

  it('accepts a leaf without EKU and notes it', () => {
    const leaf = issue({
      subject: '/CN=noeku',
      ext: leafExt('DNS:n.example.com', ''),
      issuer: pki.mid,
    });
    const result = ours(leaf, [pki.root], [pki.mid]);
    expect(result.ok).toBe(true);
    expect(result.notes).toEqual([
      'leaf CN=noeku has no extendedKeyUsage (any purpose is accepted)',
    ]);
  });

  it('checks the host name when given', () => {
    const result = ours(pki.leaf, [pki.root], [pki.mid], 'other.example.com');
    expect(result.ok).toBe(false);
    expect(result.problems[0].code).toBe('host-mismatch');
  });

  it('needs clientAuth for a client certificate', () => {
    const result = validatePath({
      served: [pki.leaf.node, pki.mid.node],
      anchors: [pki.root.node],
      now: NOW,
      purpose: 'client',
    });
    expect(result.problems.map(p => p.message)).toEqual([
      'leaf CN=server.example.com: extendedKeyUsage lacks clientAuth (serverAuth)',
    ]);
  });

  it('accepts a self-signed leaf that is itself the trust anchor', () => {
    const self = issue({
      subject: '/CN=self',
      ext: leafExt('DNS:self.example.com'),
    });
    expect(ours(self, [self], [], 'self.example.com').ok).toBe(true);
    expect(ours(self, [pki.root]).problems[0].message).toBe(
      'leaf CN=self is self-signed but is not a trust anchor',
    );
  });

  it('says so when there is nothing to trust or nothing served', () => {
    expect(
      ours(pki.leaf, [], [pki.mid]).problems.map(p => p.message),
    ).toContain('there is no trust anchor to validate against');
    const empty = validateServerPath({
      served: [],
      anchors: [pki.root.node],
      now: NOW,
    });
    expect(empty).toMatchObject({
      ok: false,
      problems: [{ code: 'no-certificate' }],
    });
  });
});
