import type { ReachabilityEntry } from '@fl-security/plugin-fl-security-common';
import { GRAPH, GraphBox, layoutReachability } from './reachabilityGraph';

const superlink = {
  cluster: 'fl-hub',
  kind: 'Deployment',
  namespace: 'silo-aggregator',
  name: 'superlink',
};

function entry(
  source: ReachabilityEntry['source'],
  expected: boolean,
  extra: Partial<ReachabilityEntry> = {},
): ReachabilityEntry {
  return {
    target: superlink,
    port: 9092,
    source,
    expected,
    via: ['silo-aggregator/allow-fleet'],
    ...extra,
  };
}

const crossSilo: ReachabilityEntry[] = [
  entry(
    {
      type: 'namespace',
      label: 'namespace/ingress-nginx',
      cluster: 'fl-hub',
      namespace: 'ingress-nginx',
    },
    true,
  ),
  entry(
    {
      type: 'participant',
      label: 'participants/silo-research-lab/supernode',
      cluster: 'fl-hub',
      namespace: 'silo-research-lab',
    },
    true,
  ),
  entry({ type: 'cidr', label: '203.0.113.0/24', cluster: 'fl-hub' }, true),
  entry(
    {
      type: 'participant',
      label: 'participants/silo-hospital-b/supernode',
      cluster: 'hospital-b',
      namespace: 'silo-hospital-b',
    },
    false,
    {
      via: ['silo-hospital-b/debug-egress'],
      reason: 'NET-05 fail: may also connect to every address 0.0.0.0/0.',
    },
  ),
  entry(
    {
      type: 'participant',
      label: 'participants/silo-hospital-a/supernode',
      cluster: 'hospital-a',
      namespace: 'silo-hospital-a',
    },
    true,
  ),
];

function inside(inner: GraphBox, outer: GraphBox): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

function overlap(a: GraphBox, b: GraphBox): boolean {
  return (
    a.x < b.x + b.width &&
    b.x < a.x + a.width &&
    a.y < b.y + b.height &&
    b.y < a.y + a.height
  );
}

describe('layoutReachability', () => {
  it('draws nothing for no entries', () => {
    expect(layoutReachability([])).toEqual({
      width: expect.any(Number),
      height: 0,
      groups: [],
      sources: [],
      targets: [],
      edges: [],
    });
  });

  it('groups sources by cluster: the aggregator cluster first, sites by name, addresses last', () => {
    const graph = layoutReachability(crossSilo);
    expect(graph.groups.map(g => g.label)).toEqual([
      'cluster fl-hub (aggregator)',
      'cluster hospital-a',
      'cluster hospital-b',
      'Addresses',
    ]);
    const groupOf = (label: string) =>
      graph.sources.find(s => s.title.startsWith(label))!.group;
    expect(groupOf('participants/silo-hospital-b/')).toBe('cluster:hospital-b');
    expect(groupOf('namespace/ingress-nginx')).toBe('cluster:fl-hub');
    expect(groupOf('203.0.113.0/24')).toBe('addresses');
    expect(graph.targets).toEqual([
      expect.objectContaining({
        label: 'superlink :9092',
        group: 'cluster:fl-hub',
      }),
    ]);
  });

  it('puts every node inside its group, without overlaps, within the picture', () => {
    const graph = layoutReachability(crossSilo);
    const nodes = [...graph.sources, ...graph.targets];
    for (const node of nodes) {
      const group = graph.groups.find(g => g.id === node.group)!;
      expect(inside(node, group)).toBe(true);
      expect(
        inside(node, { x: 0, y: 0, width: graph.width, height: graph.height }),
      ).toBe(true);
    }
    for (const [i, a] of nodes.entries())
      for (const b of nodes.slice(i + 1)) expect(overlap(a, b)).toBe(false);
    for (const [i, a] of graph.groups.entries())
      for (const b of graph.groups.slice(i + 1))
        expect(overlap(a, b)).toBe(false);
    // Only the aggregator's group spans the target column.
    expect(
      graph.groups
        .filter(g => g.width > GRAPH.nodeWidth + 2 * GRAPH.groupPadding)
        .map(g => g.id),
    ).toEqual(['cluster:fl-hub']);
  });

  it('draws one edge per source and port, from the source to the target, unexpected ones red and last', () => {
    const graph = layoutReachability(crossSilo);
    expect(graph.edges).toHaveLength(5);
    const last = graph.edges[graph.edges.length - 1];
    expect(last.expected).toBe(false);
    expect(last.description).toBe(
      'participants/silo-hospital-b/supernode in cluster hospital-b can reach Deployment silo-aggregator/superlink port 9092: unexpected. NET-05 fail: may also connect to every address 0.0.0.0/0.',
    );
    const from = graph.sources.find(s => s.id === last.from)!;
    const to = graph.targets.find(t => t.id === last.to)!;
    expect(from.unexpected).toBe(true);
    expect(
      last.path.startsWith(
        `M ${from.x + from.width} ${from.y + from.height / 2} C`,
      ),
    ).toBe(true);
    expect(last.path.endsWith(`${to.x} ${to.y + to.height / 2}`)).toBe(true);
    expect(graph.sources.filter(s => s.unexpected)).toHaveLength(1);
  });

  it('merges entries of one source and port (several policies), unexpected if any is', () => {
    const source = {
      type: 'any' as const,
      label: 'any source',
      cluster: 'fl-hub',
    };
    const graph = layoutReachability([
      entry(source, true),
      entry(source, false),
      entry(source, false, { port: 9093 }),
    ]);
    expect(graph.sources).toHaveLength(1);
    expect(graph.targets.map(t => t.label)).toEqual([
      'superlink :9092',
      'superlink :9093',
    ]);
    expect(graph.edges.map(e => e.expected)).toEqual([false, false]);
  });

  it('shows participants without the prefix, shortens long labels in the middle and keeps the full text as the title', () => {
    const label = `participants/${'a'.repeat(60)}/supernode`;
    const graph = layoutReachability([
      entry({ type: 'participant', label, cluster: 'fl-hub' }, true),
      entry(
        {
          type: 'participant',
          label: 'participants/lab/supernode',
          cluster: 'fl-hub',
        },
        true,
      ),
    ]);
    const [long, short] = [...graph.sources].sort(
      (a, b) => b.title.length - a.title.length,
    );
    expect(long.label).toHaveLength(GRAPH.maxLabel);
    expect(long.label).toMatch(/^a+…a*\/supernode$/);
    expect(long.title).toBe(`${label} in cluster fl-hub`);
    expect(short.label).toBe('lab/supernode');
  });

  it("names an offline report's group (no cluster)", () => {
    const offline = { ...superlink, cluster: undefined };
    const graph = layoutReachability([
      {
        target: offline,
        port: 9092,
        source: { type: 'namespace', label: 'namespace/ingress-nginx' },
        expected: true,
        via: [],
      },
    ]);
    expect(graph.groups.map(g => g.label)).toEqual(['manifests (aggregator)']);
  });
});
