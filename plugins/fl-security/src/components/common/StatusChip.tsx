import Chip from '@material-ui/core/Chip';
import { makeStyles, type Theme } from '@material-ui/core/styles';
import type {
  CheckStatus,
  Severity,
} from '@fl-security/plugin-fl-security-common';
import { SEVERITY_LABELS, STATUS_LABELS } from '../../lib/status';

const useStyles = makeStyles((theme: Theme) => ({
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

/** Filled chip for a rule outcome. */
export function StatusChip(props: { status: CheckStatus }) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={STATUS_LABELS[props.status]}
      className={classes[props.status]}
      data-testid={`status-${props.status}`}
    />
  );
}

/** Outlined chip for a rule severity. */
export function SeverityChip(props: { severity: Severity }) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      variant="outlined"
      label={SEVERITY_LABELS[props.severity]}
      className={classes[props.severity]}
    />
  );
}
