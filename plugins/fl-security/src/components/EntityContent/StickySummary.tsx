import type { ReactNode } from 'react';
import { makeStyles, type Theme } from '@material-ui/core/styles';

const useStyles = makeStyles((theme: Theme) => ({
  root: {
    // Stays at the top of the scrolling page while the results scroll by.
    position: 'sticky',
    top: 0,
    zIndex: theme.zIndex.appBar - 1,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    padding: theme.spacing(1, 0),
    backgroundColor: theme.palette.background.default,
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
}));

/** Verdict, counts, filter and trend: visible however far one scrolls. */
export function StickySummary(props: { children: ReactNode }) {
  const classes = useStyles();
  return (
    <div
      className={classes.root}
      role="region"
      aria-label="Report summary"
      data-testid="fl-security-summary"
    >
      {props.children}
    </div>
  );
}
