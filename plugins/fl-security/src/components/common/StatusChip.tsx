import { makeStyles, type Theme } from '@material-ui/core/styles';
import type {
  CheckStatus,
  Severity,
} from '@fl-security/plugin-fl-security-common';
import { SEVERITY_LABELS, STATUS_LABELS } from '../../lib/status';

// Plain spans rather than MUI Chips: the tab renders hundreds of them.
const useStyles = makeStyles((theme: Theme) => ({
  pill: {
    display: 'inline-block',
    padding: '2px 8px',
    borderRadius: 12,
    fontSize: theme.typography.pxToRem(12),
    lineHeight: 1.5,
    whiteSpace: 'nowrap',
    border: '1px solid transparent',
  },
  fail: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  error: {
    backgroundColor: theme.palette.warning.dark,
    color: theme.palette.warning.contrastText,
  },
  warn: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  skip: {
    backgroundColor: theme.palette.grey[400],
    color: theme.palette.getContrastText(theme.palette.grey[400]),
  },
  pass: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  critical: {
    borderColor: theme.palette.error.main,
    color: theme.palette.error.main,
    fontWeight: 600,
  },
  high: {
    borderColor: theme.palette.error.light,
    color: theme.palette.error.dark,
  },
  medium: {
    borderColor: theme.palette.warning.main,
    color: theme.palette.warning.dark,
  },
  low: {
    borderColor: theme.palette.grey[500],
    color: theme.palette.text.secondary,
  },
}));

/** Filled pill for a rule outcome. */
export function StatusChip(props: { status: CheckStatus }) {
  const classes = useStyles();
  return (
    <span
      className={`${classes.pill} ${classes[props.status]}`}
      data-testid={`status-${props.status}`}
    >
      {STATUS_LABELS[props.status]}
    </span>
  );
}

/** Outlined pill for a rule severity. */
export function SeverityChip(props: { severity: Severity }) {
  const classes = useStyles();
  return (
    <span className={`${classes.pill} ${classes[props.severity]}`}>
      {SEVERITY_LABELS[props.severity]}
    </span>
  );
}
