import type { GeneralName, NameConstraints } from './extensions';
import { checkNameConstraints, invalidConstraint } from './nameConstraints';

const dns = (value: string): GeneralName => ({ kind: 'dns', value });
const ip = (...bytes: number[]): GeneralName => ({
  kind: 'ip',
  bytes: Uint8Array.from(bytes),
});
const nc = (
  permitted: GeneralName[],
  excluded: GeneralName[] = [],
): NameConstraints => ({
  permitted,
  excluded,
  empty: permitted.length + excluded.length === 0,
});
const verdict = (c: NameConstraints, names: GeneralName[]) => {
  const v = checkNameConstraints(c, names, 1000);
  return v.ok ? 'ok' : `${v.kind}: ${v.reason}`;
};

describe('checkNameConstraints', () => {
  it('permits a subtree on label boundaries only', () => {
    const c = nc([dns('example.com')]);
    expect(verdict(c, [dns('example.com')])).toBe('ok');
    expect(verdict(c, [dns('fl.EXAMPLE.com')])).toBe('ok');
    expect(verdict(c, [dns('badexample.com')])).toBe(
      'violation: DNS:badexample.com is outside the permitted subtrees (DNS:example.com)',
    );
  });

  it('judges wildcard SANs defensively', () => {
    expect(verdict(nc([dns('example.com')]), [dns('*.example.com')])).toBe(
      'ok',
    );
    expect(
      verdict(nc([dns('fl.example.com')]), [dns('*.example.com')]),
    ).toMatch(/^violation/);
    expect(
      verdict(nc([], [dns('secret.example.com')]), [dns('*.example.com')]),
    ).toBe(
      'violation: DNS:*.example.com is in the excluded subtree DNS:secret.example.com',
    );
  });

  it('matches IP subtrees by family and mask', () => {
    const c = nc([ip(10, 0, 0, 0, 255, 0, 0, 0)]);
    expect(verdict(c, [ip(10, 9, 8, 7)])).toBe('ok');
    expect(verdict(c, [ip(11, 0, 0, 1)])).toMatch(
      /^violation: IP:11.0.0.1 is outside the permitted subtrees \(IP:10.0.0.0\/8\)/,
    );
    // An IPv6 name is not constrained by IPv4 subtrees of the same form.
    expect(verdict(c, [{ kind: 'ip', bytes: new Uint8Array(16) }])).toMatch(
      /^violation/,
    );
  });

  it('leaves forms without constraints alone and refuses to guess on unevaluated forms', () => {
    expect(verdict(nc([dns('example.com')]), [ip(1, 2, 3, 4)])).toBe('ok');
    expect(
      verdict(nc([{ kind: 'email', value: 'example.com' }]), [
        dns('x.example.com'),
      ]),
    ).toBe('ok');
    expect(
      verdict(nc([{ kind: 'email', value: 'example.com' }]), [
        { kind: 'email', value: 'a@evil.test' },
      ]),
    ).toBe(
      'unsupported: rfc822Name name constraints are not evaluated, and the certificate has a rfc822Name name',
    );
  });

  it('rejects malformed constraints and bounds the work', () => {
    expect(invalidConstraint(dns('.example.com'))).toMatch(
      /not a valid DNS name/,
    );
    expect(invalidConstraint(dns('*.example.com'))).toMatch(
      /not a valid DNS name/,
    );
    expect(invalidConstraint(ip(10, 0, 0, 0, 255, 0, 255, 0))).toBe(
      'iPAddress constraint has a non-contiguous mask',
    );
    expect(invalidConstraint(ip(10, 0, 0, 0))).toMatch(/4 bytes/);
    const many = nc(
      Array.from({ length: 200 }, (_, i) => dns(`n${i}.example.com`)),
    );
    const v = checkNameConstraints(
      many,
      Array.from({ length: 10 }, () => dns('a.example.com')),
      1000,
    );
    expect(v).toMatchObject({ ok: false, kind: 'budget' });
  });
});
