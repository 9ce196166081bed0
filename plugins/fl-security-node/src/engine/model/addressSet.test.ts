import fc from 'fast-check';
import { isAllAddresses, parseCidr } from './cidr';
import { AddressSet, ipBlocksSet, parseCidrRange } from './addressSet';

function set(...cidrs: string[]): AddressSet {
  const { set: out, errors } = AddressSet.fromCidrs(cidrs);
  expect(errors).toEqual([]);
  return out;
}

describe('AddressSet', () => {
  it('sees 0.0.0.0/1 + 128.0.0.0/1 as every IPv4 address (today NET-03 sees two literal CIDRs)', () => {
    const blocks = ipBlocksSet([
      { cidr: '0.0.0.0/1' },
      { cidr: '128.0.0.0/1' },
    ]);
    expect(blocks.set.coversAll(4)).toBe(true);
    expect(blocks.set.coversAll(6)).toBe(false);
    expect(blocks.set.toCidrs()).toEqual(['0.0.0.0/0']);
    // Today's check: each ipBlock alone must be /0.
    expect(
      ['0.0.0.0/1', '128.0.0.0/1'].some(c => isAllAddresses(parseCidr(c)!)),
    ).toBe(false);
  });

  it('covers all IPv6 from halves and quarters', () => {
    expect(set('::/1', '8000::/2', 'c000::/2').coversAll(6)).toBe(true);
    expect(set('::/1', '8000::/2').coversAll(6)).toBe(false);
  });

  it('subtracts except entries', () => {
    const blocks = ipBlocksSet([{ cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] }]);
    expect(blocks.set.coversAll(4)).toBe(false);
    expect(blocks.set.toCidrs()).toEqual([
      '0.0.0.0/5',
      '8.0.0.0/7',
      '11.0.0.0/8',
      '12.0.0.0/6',
      '16.0.0.0/4',
      '32.0.0.0/3',
      '64.0.0.0/2',
      '128.0.0.0/1',
    ]);
    // An except in one block does not remove what another block admits.
    const reopened = ipBlocksSet([
      { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] },
      { cidr: '10.0.0.0/8' },
    ]);
    expect(reopened.set.coversAll(4)).toBe(true);
  });

  it('answers "does it admit more than the allowed set?" with the excess', () => {
    const allowed = set('10.0.0.0/8', '2001:db8::/32');
    const policy = ipBlocksSet([
      { cidr: '10.0.0.0/7' },
      { cidr: '2001:db8:1::/48' },
    ]).set;
    expect(allowed.covers(policy)).toBe(false);
    expect(policy.except(allowed).toCidrs()).toEqual(['11.0.0.0/8']);
    expect(allowed.covers(set('10.1.0.0/16', '2001:db8::1'))).toBe(true);
  });

  it('compares IPv6 canonically and keeps the families apart', () => {
    expect(set('2001:DB8:0:0:0:0:0:10').covers(set('2001:db8::10/128'))).toBe(
      true,
    );
    expect(set('0.0.0.0/0').covers(set('::ffff:10.0.0.1'))).toBe(false);
  });

  it('reads host bits as Kubernetes does and rejects what it rejects', () => {
    expect(set('10.0.0.1/8').toCidrs()).toEqual(['10.0.0.0/8']);
    for (const bad of [
      '010.0.0.0/8',
      '10.0.0.0/33',
      '10.0.0/8',
      '::/129',
      'fe80::1%eth0/64',
      '10.0.0.0/',
      'x',
    ])
      expect(parseCidrRange(bad).ok).toBe(false);
    const blocks = ipBlocksSet([
      { cidr: 'nonsense' },
      { cidr: '192.168.0.0/16', except: ['bad'] },
    ]);
    expect(blocks.errors).toEqual([
      '"nonsense" is not a CIDR (Invalid IPv4 address.)',
      '"bad" is not a CIDR (Invalid IPv4 address.)',
    ]);
    // An unreadable except is not subtracted: the set never shrinks from bad input.
    expect(blocks.set.toCidrs()).toEqual(['192.168.0.0/16']);
  });

  it('merges, intersects and sizes', () => {
    const a = set('10.0.0.0/9', '10.128.0.0/9', '192.168.1.0/24');
    expect(a.toCidrs()).toEqual(['10.0.0.0/8', '192.168.1.0/24']);
    expect(a.intersect(set('10.5.0.0/16', '172.16.0.0/12')).toCidrs()).toEqual([
      '10.5.0.0/16',
    ]);
    expect(a.size(4)).toBe(2n ** 24n + 256n);
    expect(AddressSet.EMPTY.isEmpty()).toBe(true);
    expect(AddressSet.all(6).toCidrs()).toEqual(['::/0']);
  });
});

describe('AddressSet against brute force', () => {
  const cidr = fc
    .tuple(
      fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      fc.integer({ min: 0, max: 32 }),
    )
    .map(([n, p]) => ({ n: BigInt(n), p }));
  const text = (c: { n: bigint; p: number }) =>
    `${[24n, 16n, 8n, 0n].map(s => String((c.n >> s) & 255n)).join('.')}/${
      c.p
    }`;
  const inside = (c: { n: bigint; p: number }, a: bigint) =>
    a >> BigInt(32 - c.p) === c.n >> BigInt(32 - c.p);

  it('agrees with per-address membership for unions with excepts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cidr, fc.array(cidr, { maxLength: 3 })), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), {
          minLength: 1,
          maxLength: 20,
        }),
        (blocks, probes) => {
          const { set: s } = ipBlocksSet(
            blocks.map(([c, ex]) => ({ cidr: text(c), except: ex.map(text) })),
          );
          for (const probe of probes) {
            const a = BigInt(probe);
            const expected = blocks.some(
              ([c, ex]) => inside(c, a) && !ex.some(e => inside(e, a)),
            );
            const address = [24n, 16n, 8n, 0n]
              .map(sh => String((a >> sh) & 255n))
              .join('.');
            expect(s.covers(set(address))).toBe(expected);
          }
          // The CIDR rendering is exact: reading it back gives the same set.
          expect(set(...s.toCidrs()).toCidrs()).toEqual(s.toCidrs());
        },
      ),
      { seed: 3, numRuns: 300 },
    );
  });
});
