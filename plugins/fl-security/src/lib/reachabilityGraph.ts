/**
 * Layout of the "who can reach the aggregator" picture: a pure function from
 * the report's reachability section to boxes, nodes and edges in SVG user
 * units. Clusters are groups; the aggregator's cluster is on top and holds
 * the aggregator's FL ports on the right; sources of other clusters (sites)
 * and plain addresses are groups below it on the left.
 */
import type {
  ReachabilityEntry,
  ReachabilitySource,
  ResourceRef,
} from '@fl-security/plugin-fl-security-common';

export const GRAPH = {
  margin: 8,
  nodeWidth: 300,
  nodeHeight: 34,
  nodeGap: 10,
  groupPadding: 12,
  groupHeader: 26,
  groupGap: 18,
  columnGap: 110,
  targetWidth: 240,
  maxLabel: 42,
} as const;

export interface GraphBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphGroup extends GraphBox {
  id: string;
  label: string;
  /** Holds the aggregator (the targets). */
  aggregator: boolean;
}

export interface GraphNode extends GraphBox {
  id: string;
  /** Shown (shortened to GRAPH.maxLabel characters). */
  label: string;
  /** Full text, for the tooltip and the text alternative. */
  title: string;
  group: string;
  /** A source with at least one unexpected edge. */
  unexpected: boolean;
}

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  expected: boolean;
  /** SVG path data, a cubic curve from the source's right to the target's left. */
  path: string;
  /** One sentence for the text alternative. */
  description: string;
}

export interface ReachabilityGraph {
  width: number;
  height: number;
  groups: GraphGroup[];
  sources: GraphNode[];
  targets: GraphNode[];
  edges: GraphEdge[];
}

const ADDRESSES = 'addresses';

/** At most GRAPH.maxLabel characters; the middle goes, the name at the end stays. */
function shorten(text: string): string {
  if (text.length <= GRAPH.maxLabel) return text;
  const tail = Math.ceil((GRAPH.maxLabel - 1) / 2);
  const head = GRAPH.maxLabel - 1 - tail;
  return `${text.slice(0, head)}…${text.slice(text.length - tail)}`;
}

/** What a node shows: participants without the prefix (the group says where). */
function sourceLabel(source: ReachabilitySource): string {
  const prefix = 'participants/';
  return shorten(
    source.type === 'participant' && source.label.startsWith(prefix)
      ? source.label.slice(prefix.length)
      : source.label,
  );
}

function targetTitle(target: ResourceRef, port: number): string {
  const where = [target.namespace, target.name].filter(Boolean).join('/');
  return `${target.kind} ${where} port ${port}`;
}

/** Addresses belong to no cluster; everything else to its own (or the target's). */
function groupOf(source: ReachabilitySource, target: ResourceRef): string {
  if (source.type === 'cidr' || source.type === 'any') return ADDRESSES;
  return `cluster:${source.cluster ?? target.cluster ?? ''}`;
}

function groupLabel(id: string, aggregator: boolean): string {
  if (id === ADDRESSES) return 'Addresses';
  const name = id.slice('cluster:'.length);
  const cluster = name ? `cluster ${name}` : 'manifests';
  return aggregator ? `${cluster} (aggregator)` : cluster;
}

function sourceTitle(source: ReachabilitySource): string {
  return source.cluster && source.type !== 'cidr' && source.type !== 'any'
    ? `${source.label} in cluster ${source.cluster}`
    : source.label;
}

interface CollectedEdge {
  from: string;
  to: string;
  expected: boolean;
  reasons: string[];
}

interface Collected {
  order: string[];
  sources: Map<
    string,
    { group: string; title: string; label: string; unexpected: boolean }
  >;
  targets: Map<string, { group: string; title: string; label: string }>;
  edges: Map<string, CollectedEdge>;
}

function collect(entries: readonly ReachabilityEntry[]): Collected {
  const out: Collected = {
    order: [],
    sources: new Map(),
    targets: new Map(),
    edges: new Map(),
  };
  const addGroup = (group: string) => {
    if (!out.order.includes(group)) out.order.push(group);
  };
  for (const entry of entries) {
    const targetGroup = `cluster:${entry.target.cluster ?? ''}`;
    const targetId = `target:${entry.target.cluster ?? ''}/${
      entry.target.namespace ?? ''
    }/${entry.target.kind}/${entry.target.name}:${entry.port}`;
    addGroup(targetGroup);
    if (!out.targets.has(targetId)) {
      const title = targetTitle(entry.target, entry.port);
      out.targets.set(targetId, {
        group: targetGroup,
        title,
        label: shorten(`${entry.target.name} :${entry.port}`),
      });
    }
    const group = groupOf(entry.source, entry.target);
    addGroup(group);
    const sourceId = `source:${group}/${entry.source.type}/${entry.source.label}`;
    const source = out.sources.get(sourceId) ?? {
      group,
      title: sourceTitle(entry.source),
      label: sourceLabel(entry.source),
      unexpected: false,
    };
    source.unexpected ||= !entry.expected;
    out.sources.set(sourceId, source);
    const edgeId = `${sourceId}->${targetId}`;
    const edge = out.edges.get(edgeId) ?? {
      from: sourceId,
      to: targetId,
      expected: true,
      reasons: [],
    };
    edge.expected &&= entry.expected;
    if (entry.reason && !edge.reasons.includes(entry.reason))
      edge.reasons.push(entry.reason);
    out.edges.set(edgeId, edge);
  }
  return out;
}

/** Groups holding a target first, then other clusters by name, addresses last. */
function orderGroups(
  collected: Collected,
): { id: string; aggregator: boolean }[] {
  const withTargets = new Set(
    [...collected.targets.values()].map(t => t.group),
  );
  const rank = (id: string) => {
    if (withTargets.has(id)) return 0;
    return id === ADDRESSES ? 2 : 1;
  };
  // Code-unit order, the same on every machine.
  const byName = (a: string, b: string) => Number(a > b) - Number(a < b);
  return [...collected.order]
    .sort((a, b) => rank(a) - rank(b) || byName(a, b))
    .map(id => ({ id, aggregator: withTargets.has(id) }));
}

function stack(
  ids: string[],
  x: number,
  top: number,
  width: number,
  label: (id: string) => {
    title: string;
    label: string;
    group: string;
    unexpected?: boolean;
  },
): GraphNode[] {
  return ids.map((id, i) => ({
    id,
    ...label(id),
    unexpected: label(id).unexpected ?? false,
    x,
    y: top + i * (GRAPH.nodeHeight + GRAPH.nodeGap),
    width,
    height: GRAPH.nodeHeight,
  }));
}

function columnHeight(count: number): number {
  return count === 0
    ? 0
    : count * GRAPH.nodeHeight + (count - 1) * GRAPH.nodeGap;
}

function edgePath(from: GraphNode, to: GraphNode): string {
  const x1 = from.x + from.width;
  const y1 = from.y + from.height / 2;
  const x2 = to.x;
  const y2 = to.y + to.height / 2;
  const bend = Math.max((x2 - x1) / 2, 40);
  return `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`;
}

function describeEdge(
  edge: CollectedEdge,
  from: GraphNode,
  to: GraphNode,
): string {
  const verdict = edge.expected ? 'expected' : 'unexpected';
  const why = edge.reasons.length ? ` ${edge.reasons.join(' ')}` : '';
  return `${from.title} can reach ${to.title}: ${verdict}.${why}`;
}

const SOURCE_X = GRAPH.margin + GRAPH.groupPadding;
const TARGET_X = SOURCE_X + GRAPH.nodeWidth + GRAPH.columnGap;

/** One group's box and nodes, its top at `y`. */
function layoutGroup(
  collected: Collected,
  id: string,
  aggregator: boolean,
  y: number,
): { group: GraphGroup; sources: GraphNode[]; targets: GraphNode[] } {
  const own = (map: Map<string, { group: string }>) =>
    [...map.entries()]
      .filter(([, v]) => v.group === id)
      .map(([key]) => key)
      .sort();
  const sourceIds = own(collected.sources);
  const targetIds = aggregator ? own(collected.targets) : [];
  const inner = Math.max(
    columnHeight(sourceIds.length),
    columnHeight(targetIds.length),
  );
  const top = y + GRAPH.groupHeader;
  const targetTop = top + (inner - columnHeight(targetIds.length)) / 2;
  const right = aggregator
    ? TARGET_X + GRAPH.targetWidth
    : SOURCE_X + GRAPH.nodeWidth;
  return {
    group: {
      id,
      label: groupLabel(id, aggregator),
      aggregator,
      x: GRAPH.margin,
      y,
      width: right + GRAPH.groupPadding - GRAPH.margin,
      height: GRAPH.groupHeader + inner + GRAPH.groupPadding,
    },
    sources: stack(
      sourceIds,
      SOURCE_X,
      top,
      GRAPH.nodeWidth,
      key => collected.sources.get(key)!,
    ),
    targets: stack(
      targetIds,
      TARGET_X,
      targetTop,
      GRAPH.targetWidth,
      key => collected.targets.get(key)!,
    ),
  };
}

/** Edges between laid-out nodes; unexpected ones last, so they are drawn on top. */
function layoutEdges(
  collected: Collected,
  nodes: readonly GraphNode[],
): GraphEdge[] {
  const node = new Map(nodes.map(n => [n.id, n]));
  const edges = [...collected.edges.entries()].map(([id, edge]) => {
    const from = node.get(edge.from)!;
    const to = node.get(edge.to)!;
    return {
      id,
      from: edge.from,
      to: edge.to,
      expected: edge.expected,
      path: edgePath(from, to),
      description: describeEdge(edge, from, to),
    };
  });
  return edges.sort((a, b) => Number(b.expected) - Number(a.expected));
}

/** The picture of `entries`; empty (no groups) when there is nothing to draw. */
export function layoutReachability(
  entries: readonly ReachabilityEntry[],
): ReachabilityGraph {
  const collected = collect(entries);
  const groups: GraphGroup[] = [];
  const sources: GraphNode[] = [];
  const targets: GraphNode[] = [];
  let y = GRAPH.margin;
  for (const { id, aggregator } of orderGroups(collected)) {
    const laid = layoutGroup(collected, id, aggregator, y);
    groups.push(laid.group);
    sources.push(...laid.sources);
    targets.push(...laid.targets);
    y += laid.group.height + GRAPH.groupGap;
  }
  return {
    width: TARGET_X + GRAPH.targetWidth + GRAPH.groupPadding + GRAPH.margin,
    height: groups.length ? y - GRAPH.groupGap + GRAPH.margin : 0,
    groups,
    sources,
    targets,
    edges: layoutEdges(collected, [...sources, ...targets]),
  };
}
