import crypto from 'node:crypto';
import { caFromServingChain, serviceAccountKeyPair, tokenAuthFile } from './credentials';

describe('tokenAuthFile', () => {
  it('writes one CSV line per user with quoted groups', () => {
    const text = tokenAuthFile(
      [{ name: 'flsec-admin', groups: ['system:masters'] }, { name: 'flsec-reader' }],
      { 'flsec-admin': 'T1', 'flsec-reader': 'T2' },
    );
    expect(text).toBe('T1,flsec-admin,uid-flsec-admin,"system:masters"\nT2,flsec-reader,uid-flsec-reader\n');
  });

  it.each(['a,b', 'a"b', 'A', 'a\nb', ''])('rejects the user name %j', name => {
    expect(() => tokenAuthFile([{ name }], { [name]: 'T' })).toThrow(/invalid user or group name/);
  });

  it('rejects a group that would break the CSV', () => {
    expect(() =>
      tokenAuthFile([{ name: 'u', groups: ['g",x'] }], { u: 'T' }),
    ).toThrow(/invalid user or group name/);
  });
});

describe('serviceAccountKeyPair', () => {
  it('returns a matching PEM key pair', () => {
    const { privateKeyPem, publicKeyPem } = serviceAccountKeyPair();
    const signature = crypto.sign('sha256', Buffer.from('x'), privateKeyPem);
    expect(crypto.verify('sha256', Buffer.from('x'), publicKeyPem, signature)).toBe(true);
  });
});

describe('caFromServingChain', () => {
  it('rejects a chain without certificates', () => {
    expect(() => caFromServingChain('no pem here')).toThrow(/contains no CA/);
  });
});
