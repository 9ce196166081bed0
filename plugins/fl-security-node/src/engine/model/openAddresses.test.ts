import { networkPolicy } from '../__testUtils__/builders';
import { AddressSet } from './addressSet';
import { compilePolicy } from './networkPolicy';
import { breadthOf, openAddresses } from './openAddresses';

const set = (...cidrs: string[]) => AddressSet.fromCidrs(cidrs).set;

const rulesOf = (ingress: unknown[]) => {
  const policy = compilePolicy(
    networkPolicy('ns', 'p', { podSelector: {}, ingress }),
  );
  return policy.ingress.map((rule, position) => ({ policy, position, rule }));
};

describe('breadthOf', () => {
  it('sees every address in halves, in both families', () => {
    expect(breadthOf(set('0.0.0.0/1', '128.0.0.0/1'))).toEqual({
      status: 'fail',
      text: 'every IPv4 address',
    });
    expect(breadthOf(set('::/1', '8000::/1'))?.text).toBe('every IPv6 address');
    expect(breadthOf(set('0.0.0.0/0', '::/0'))?.text).toBe(
      'every IPv4 address and every IPv6 address',
    );
  });

  it('names what is left out of an almost-all range', () => {
    const tenOut = set('0.0.0.0/0').except(set('10.0.0.0/8'));
    expect(breadthOf(tenOut)).toEqual({
      status: 'fail',
      text: 'every public IPv4 address (all but 10.0.0.0/8)',
    });
    const publicOut = set('0.0.0.0/0').except(set('8.8.8.0/24'));
    expect(breadthOf(publicOut)).toEqual({
      status: 'warn',
      text: 'every IPv4 address except 8.8.8.0/24',
    });
    expect(breadthOf(set('0.0.0.0/2', '64.0.0.0/2', '192.0.0.0/3'))).toEqual({
      status: 'warn',
      text: 'every IPv4 address except 128.0.0.0/2, 224.0.0.0/3',
    });
  });

  it('leaves narrow ranges alone', () => {
    expect(breadthOf(set('10.0.0.0/8', '2001:db8::/32'))).toBeUndefined();
    expect(breadthOf(set('0.0.0.0/2'))).toBeUndefined();
    expect(breadthOf(AddressSet.EMPTY)).toBeUndefined();
  });
});

describe('openAddresses', () => {
  it('adds up the rules that admit one port, not rules on other ports', () => {
    const joined = openAddresses(
      rulesOf([
        { from: [{ ipBlock: { cidr: '0.0.0.0/1' } }], ports: [{ port: 80 }] },
        {
          from: [{ ipBlock: { cidr: '128.0.0.0/1' } }],
          ports: [{ port: 70, endPort: 90 }],
        },
      ]),
    );
    const all = joined.find(o => o.breadth.status === 'fail');
    expect(all?.rules.map(r => r.position)).toEqual([0, 1]);
    expect(all?.ports).toEqual(['TCP/80']);

    const apart = openAddresses(
      rulesOf([
        { from: [{ ipBlock: { cidr: '0.0.0.0/1' } }], ports: [{ port: 80 }] },
        { from: [{ ipBlock: { cidr: '128.0.0.0/1' } }], ports: [{ port: 81 }] },
      ]),
    );
    expect(apart.map(o => o.breadth.status)).toEqual(['warn', 'warn']);
  });

  it('adds a rule for every port to every other rule', () => {
    const open = openAddresses(
      rulesOf([
        { from: [{ ipBlock: { cidr: '0.0.0.0/1' } }] },
        {
          from: [{ ipBlock: { cidr: '128.0.0.0/1' } }],
          ports: [{ protocol: 'UDP', port: 53 }],
        },
      ]),
    );
    expect(open.find(o => o.breadth.status === 'fail')?.ports).toEqual([
      'UDP/53',
    ]);
  });

  it('subtracts excepts before adding up', () => {
    const open = openAddresses(
      rulesOf([
        {
          from: [
            { ipBlock: { cidr: '0.0.0.0/1' } },
            { ipBlock: { cidr: '128.0.0.0/1', except: ['200.0.0.0/8'] } },
          ],
        },
      ]),
    );
    expect(open.map(o => o.breadth)).toEqual([
      { status: 'warn', text: 'every IPv4 address except 200.0.0.0/8' },
    ]);
  });
});
