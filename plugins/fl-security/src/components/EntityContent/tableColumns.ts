import { makeStyles } from '@material-ui/core/styles';

/**
 * Column widths of the tab's tables. Backstage's theme lets table cells break
 * anywhere (`word-break: break-word`), so in an auto-sized table the browser
 * squeezes short columns until their headers break mid-word ("Statu s"). Short
 * columns (pills, ports, counts) therefore shrink to their content and never
 * wrap; text columns keep a readable minimum width and wrap at spaces, and
 * only identifiers without spaces (resources, hosts) may break anywhere.
 */
export const useTableColumns = makeStyles({
  /** Shrinks to its content, on one line. */
  narrow: {
    width: '1%',
    whiteSpace: 'nowrap',
    wordBreak: 'normal',
  },
  /** Prose (rule titles, messages): wraps between words only. */
  text: {
    minWidth: 200,
    wordBreak: 'normal',
    overflowWrap: 'normal',
  },
  /** Long identifiers (`cluster / namespace / kind / name`, SANs). */
  identifier: {
    minWidth: 160,
    wordBreak: 'normal',
    overflowWrap: 'anywhere',
  },
});
