import { useMemo } from 'react';
import { makeStyles, type Theme } from '@material-ui/core/styles';
import type { ReachabilityEntry } from '@fl-security/plugin-fl-security-common';
import {
  GraphEdge,
  GraphGroup,
  GraphNode,
  layoutReachability,
} from '../../lib/reachabilityGraph';

const useStyles = makeStyles((theme: Theme) => ({
  scroll: { overflowX: 'auto', padding: '8px 16px' },
  group: {
    fill: theme.palette.type === 'dark' ? 'rgba(255,255,255,0.04)' : '#f7f9fc',
    stroke: theme.palette.divider,
    strokeDasharray: '4 3',
  },
  aggregatorGroup: {
    fill: theme.palette.type === 'dark' ? 'rgba(33,150,243,0.10)' : '#eef5fd',
    stroke: theme.palette.info.main,
  },
  groupLabel: {
    fill: theme.palette.text.secondary,
    fontSize: 12,
    fontWeight: 600,
  },
  node: {
    fill: theme.palette.background.paper,
    stroke: theme.palette.grey[500],
  },
  unexpectedNode: {
    fill: theme.palette.background.paper,
    stroke: theme.palette.error.main,
    strokeWidth: 2,
  },
  target: {
    fill: theme.palette.background.paper,
    stroke: theme.palette.info.main,
    strokeWidth: 2,
  },
  nodeText: { fill: theme.palette.text.primary, fontSize: 12 },
  expectedEdge: {
    fill: 'none',
    stroke: theme.palette.success.main,
    strokeWidth: 1.5,
  },
  unexpectedEdge: {
    fill: 'none',
    stroke: theme.palette.error.main,
    strokeWidth: 2.5,
  },
  legend: {
    fontSize: 12,
    color: theme.palette.text.secondary,
    margin: '4px 0 0',
  },
  arrowOk: { fill: theme.palette.success.main },
  arrowBad: { fill: theme.palette.error.main },
  swatch: {
    display: 'inline-block',
    width: 18,
    height: 0,
    verticalAlign: 'middle',
    margin: '0 4px 0 16px',
  },
  okSwatch: { borderTop: `2px solid ${theme.palette.success.main}` },
  badSwatch: { borderTop: `3px solid ${theme.palette.error.main}` },
}));

function Node(props: {
  node: GraphNode;
  className: string;
  textClass: string;
  testId: string;
}) {
  const { node } = props;
  return (
    <g
      data-testid={props.testId}
      data-unexpected={node.unexpected ? 'true' : 'false'}
    >
      <title>{node.title}</title>
      <rect
        x={node.x}
        y={node.y}
        width={node.width}
        height={node.height}
        rx={6}
        className={props.className}
      />
      <text
        x={node.x + 10}
        y={node.y + node.height / 2 + 4}
        className={props.textClass}
      >
        {node.label}
      </text>
    </g>
  );
}

type Classes = ReturnType<typeof useStyles>;

function Group(props: { group: GraphGroup; classes: Classes }) {
  const { group, classes } = props;
  return (
    <g data-testid="reachability-group" data-group={group.id}>
      <rect
        x={group.x}
        y={group.y}
        width={group.width}
        height={group.height}
        rx={8}
        className={`${classes.group} ${
          group.aggregator ? classes.aggregatorGroup : ''
        }`}
      />
      <text x={group.x + 10} y={group.y + 17} className={classes.groupLabel}>
        {group.label}
      </text>
    </g>
  );
}

function Edge(props: { edge: GraphEdge; classes: Classes }) {
  const { edge, classes } = props;
  return (
    <path
      d={edge.path}
      data-testid="reachability-edge"
      data-expected={edge.expected ? 'true' : 'false'}
      data-from={edge.from}
      className={edge.expected ? classes.expectedEdge : classes.unexpectedEdge}
      markerEnd={`url(#fl-security-arrow-${edge.expected ? 'ok' : 'bad'})`}
    >
      <title>{edge.description}</title>
    </path>
  );
}

function ArrowHeads(props: { classes: Classes }) {
  return (
    <defs>
      {(['ok', 'bad'] as const).map(kind => (
        <marker
          key={kind}
          id={`fl-security-arrow-${kind}`}
          viewBox="0 0 10 10"
          refX={10}
          refY={5}
          markerWidth={7}
          markerHeight={7}
          orient="auto-start-reverse"
        >
          <path
            d="M 0 0 L 10 5 L 0 10 z"
            className={
              kind === 'ok' ? props.classes.arrowOk : props.classes.arrowBad
            }
          />
        </marker>
      ))}
    </defs>
  );
}

function Legend(props: { classes: Classes }) {
  const { classes } = props;
  return (
    <p className={classes.legend} aria-hidden="true">
      <span className={`${classes.swatch} ${classes.okSwatch}`} />
      expected
      <span className={`${classes.swatch} ${classes.badSwatch}`} />
      unexpected (also listed in the table below)
    </p>
  );
}

const TITLE_ID = 'fl-security-reachability-graph-title';
const DESC_ID = 'fl-security-reachability-graph-desc';

/**
 * The reachability section as a picture: clusters as groups, every source
 * with an edge to the aggregator's FL port, unexpected edges in red. The
 * SVG's name and description say every edge in words; the table below stays.
 */
export function ReachabilityGraph(props: {
  entries: readonly ReachabilityEntry[];
}) {
  const classes = useStyles();
  const graph = useMemo(
    () => layoutReachability(props.entries),
    [props.entries],
  );
  if (graph.groups.length === 0) return null;
  const edges = graph.edges.length;
  const unexpected = graph.edges.filter(e => !e.expected).length;
  return (
    <div className={classes.scroll}>
      <svg
        role="img"
        aria-labelledby={`${TITLE_ID} ${DESC_ID}`}
        data-testid="reachability-graph"
        width={graph.width}
        height={graph.height}
        viewBox={`0 0 ${graph.width} ${graph.height}`}
      >
        <title id={TITLE_ID}>
          {`Who can reach the aggregator: ${edges} edge${
            edges === 1 ? '' : 's'
          }, ${unexpected} unexpected`}
        </title>
        <desc id={DESC_ID}>
          {graph.edges.map(e => e.description).join(' ')}
        </desc>
        <ArrowHeads classes={classes} />
        {graph.groups.map(group => (
          <Group key={group.id} group={group} classes={classes} />
        ))}
        {graph.edges.map(edge => (
          <Edge key={edge.id} edge={edge} classes={classes} />
        ))}
        {graph.sources.map(node => (
          <Node
            key={node.id}
            node={node}
            testId="reachability-source"
            className={node.unexpected ? classes.unexpectedNode : classes.node}
            textClass={classes.nodeText}
          />
        ))}
        {graph.targets.map(node => (
          <Node
            key={node.id}
            node={node}
            testId="reachability-target"
            className={classes.target}
            textClass={classes.nodeText}
          />
        ))}
      </svg>
      <Legend classes={classes} />
    </div>
  );
}
