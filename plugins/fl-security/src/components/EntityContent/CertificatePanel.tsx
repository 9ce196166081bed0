import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { CertificateInfo } from '@fl-security/plugin-fl-security-common';
import { absoluteTime } from '../../lib/time';
import { ExpiryText } from '../common/ExpiryText';
import { resourceLabel } from './RuleResultRow';
import { useTableColumns } from './tableColumns';

export function keyDescription(certificate: CertificateInfo): string {
  const parts = [certificate.keyType];
  if (certificate.curve) parts.push(certificate.curve);
  else if (certificate.keySize) parts.push(`${certificate.keySize} bits`);
  return parts.join(' ');
}

/** Certificates read from the federation's Secrets: soonest expiry first. */
export function CertificatePanel(props: {
  certificates: readonly CertificateInfo[];
}) {
  const columns = useTableColumns();
  const sorted = [...props.certificates].sort(
    (a, b) => a.daysLeft - b.daysLeft,
  );
  return (
    <Paper
      component="section"
      aria-labelledby="fl-security-certificates"
      variant="outlined"
    >
      <Typography
        id="fl-security-certificates"
        variant="h6"
        style={{ padding: '12px 16px 0' }}
      >
        Certificates ({sorted.length})
      </Typography>
      {sorted.length === 0 ? (
        <Typography variant="body2" style={{ padding: 16 }}>
          No certificate was read. The TLS rules above say whether one is
          expected and where.
        </Typography>
      ) : (
        <Table size="small" aria-labelledby="fl-security-certificates">
          <TableHead>
            <TableRow>
              <TableCell className={columns.identifier}>Subject</TableCell>
              <TableCell className={columns.identifier}>SANs</TableCell>
              <TableCell className={columns.identifier}>Issuer</TableCell>
              <TableCell className={columns.narrow}>Not after</TableCell>
              <TableCell className={columns.narrow}>Key</TableCell>
              <TableCell className={columns.identifier}>Source</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {sorted.map(certificate => (
              <TableRow
                key={`${resourceLabel(certificate.source)}#${
                  certificate.chainIndex
                }#${certificate.fingerprintSha256}`}
                data-testid="certificate"
              >
                <TableCell className={columns.identifier}>
                  <Typography variant="body2">{certificate.subject}</Typography>
                  {certificate.isCA && (
                    <Typography variant="caption" color="textSecondary">
                      CA certificate
                    </Typography>
                  )}
                </TableCell>
                <TableCell className={columns.identifier}>
                  {[...certificate.dnsNames, ...certificate.ipAddresses].join(
                    ', ',
                  ) || '—'}
                </TableCell>
                <TableCell className={columns.identifier}>
                  {certificate.issuer}
                </TableCell>
                <TableCell className={columns.narrow}>
                  <Typography variant="body2">
                    {absoluteTime(certificate.notAfter)}
                  </Typography>
                  <Typography variant="caption">
                    <ExpiryText daysLeft={certificate.daysLeft} />
                  </Typography>
                </TableCell>
                <TableCell className={columns.narrow}>
                  {keyDescription(certificate)}
                </TableCell>
                <TableCell className={columns.identifier}>
                  {resourceLabel(certificate.source)}
                  {certificate.chainIndex > 0 &&
                    ` (chain #${certificate.chainIndex})`}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Paper>
  );
}
