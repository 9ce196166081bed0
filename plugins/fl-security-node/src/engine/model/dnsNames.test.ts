import { coveredBy, dnsNameMatches } from './dnsNames';

describe('dnsNameMatches (RFC 9525)', () => {
  it.each([
    ['fl.example.com', 'fl.example.com', true],
    ['FL.Example.com.', 'fl.example.COM', true],
    ['*.example.com', 'fl.example.com', true],
    ['*.example.com', 'a.b.example.com', false], // one label only
    ['*.example.com', 'example.com', false],
    ['f*.example.com', 'fl.example.com', false], // partial wildcard
    ['*l.example.com', 'fl.example.com', false],
    ['fl.*.com', 'fl.example.com', false],
    ['*.com', 'example.com', false], // wildcard over a single label
    ['*', 'example', false],
    ['*.example.com', '*.example.com', true], // exact text (an Ingress wildcard host in tls.hosts)
    ['example.com', 'fl.example.com', false],
  ])('%s vs %s -> %s', (pattern, host, expected) => {
    expect(dnsNameMatches(pattern, host)).toBe(expected);
  });

  it('covers when any pattern matches', () => {
    expect(coveredBy(['a.example.com', '*.example.org'], 'x.example.org')).toBe(
      true,
    );
    expect(coveredBy([], 'x')).toBe(false);
  });
});
