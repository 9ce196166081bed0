import { memo } from 'react';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type { SettledGroup } from '../../lib/failFirst';
import { ResultsTable } from './ResultsTable';

function countsText(group: SettledGroup): string {
  return [
    group.passed > 0 && `${group.passed} passed`,
    group.skipped > 0 && `${group.skipped} skipped`,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** One area's passing and skipped results, collapsed to its counts. */
const SettledArea = memo(function SettledAreaComponent(props: {
  group: SettledGroup;
  defaultExpanded: boolean;
  docsUrl?: string;
}) {
  const { group, defaultExpanded, docsUrl } = props;
  const headingId = `fl-security-settled-${group.area}`;
  return (
    <Accordion
      defaultExpanded={defaultExpanded}
      // Closed areas render no rows: a big federation stays cheap.
      TransitionProps={{ unmountOnExit: true }}
      variant="outlined"
      data-testid="settled-area"
    >
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Typography id={headingId} variant="subtitle1" component="h3">
          {group.title}{' '}
          <Typography component="span" variant="body2" color="textSecondary">
            {countsText(group)}
          </Typography>
        </Typography>
      </AccordionSummary>
      <AccordionDetails style={{ display: 'block', padding: 0 }}>
        <ResultsTable
          items={group.results}
          labelledBy={headingId}
          docsUrl={docsUrl}
        />
      </AccordionDetails>
    </Accordion>
  );
});

/** Passing and skipped results per area, collapsed. */
export function SettledAreas(props: {
  groups: readonly SettledGroup[];
  /** Opens every area (the user filtered for passes or skips). */
  expanded: boolean;
  docsUrl?: string;
}) {
  const { groups, expanded, docsUrl } = props;
  const total = groups.reduce((sum, g) => sum + g.results.length, 0);
  return (
    <section
      aria-labelledby="fl-security-settled"
      data-testid="settled-section"
    >
      <Typography
        id="fl-security-settled"
        variant="h6"
        component="h2"
        style={{ margin: '8px 0' }}
      >
        Passed and skipped ({total})
      </Typography>
      {groups.map(group => (
        <SettledArea
          key={group.area}
          group={group}
          defaultExpanded={expanded}
          docsUrl={docsUrl}
        />
      ))}
    </section>
  );
}
