import { makeStyles, type Theme } from '@material-ui/core/styles';
import { daysLeftLabel, expiryLevel } from '../../lib/certificates';

const useStyles = makeStyles((theme: Theme) => ({
  expired: { color: theme.palette.error.main, fontWeight: 600 },
  critical: { color: theme.palette.error.main, fontWeight: 600 },
  warning: { color: theme.palette.warning.dark },
  ok: {},
}));

/** "23 days left", colored by the expiry thresholds. */
export function ExpiryText(props: { daysLeft: number }) {
  const classes = useStyles();
  return (
    <span className={classes[expiryLevel(props.daysLeft)]}>
      {daysLeftLabel(props.daysLeft)}
    </span>
  );
}
