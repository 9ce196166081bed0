import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import type { Entity } from '@backstage/catalog-model';
import { flSecurityEntityContent } from '../../alpha/extensions';
import { type FlSecurityApi, flSecurityApiRef } from '../../api/FlSecurityApi';
import { fakeApi } from '../../__testUtils__/fakeApi';
import {
  FL_ENTITY,
  manyResults,
  response,
  responseError,
  result,
} from '../../__testUtils__/fixtures';
import { AREA_PAGE_SIZE } from './AreaSection';

function renderTab(api: FlSecurityApi, entity: Entity = FL_ENTITY) {
  return renderTestApp({
    extensions: [createTestEntityPage({ entity }), flSecurityEntityContent],
    apis: [[flSecurityApiRef, api]],
  });
}

const area = (name: RegExp) => screen.getByRole('region', { name });

describe('FL Security tab', () => {
  it('groups results by area with status, severity, resource and message', async () => {
    renderTab(fakeApi());

    const network = await screen.findByRole('region', {
      name: /^Network policy \(2\)$/,
    });
    const rows = within(network).getAllByTestId('rule-result');
    // Worst first: the failing rule leads its area.
    expect(rows[0]).toHaveTextContent('Fail');
    expect(rows[0]).toHaveTextContent('Critical');
    expect(rows[0]).toHaveTextContent(
      'Only participants and declared sources reach the aggregator',
    );
    expect(rows[0]).toHaveTextContent(
      'kind-a / fl-agg / NetworkPolicy / allow-all',
    );
    expect(rows[0]).toHaveTextContent(
      'namespace/monitoring may reach the aggregator on 9092.',
    );
    expect(area(/^TLS & certificates \(1\)$/)).toBeInTheDocument();
    expect(area(/^Participant authentication \(1\)$/)).toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: /^Mesh/ }),
    ).not.toBeInTheDocument();
    expect(screen.getByText('Violations')).toBeInTheDocument();
  });

  it('filters by status', async () => {
    const user = userEvent.setup();
    renderTab(fakeApi());
    await screen.findByRole('region', { name: /^Network policy/ });

    await user.click(screen.getByRole('button', { name: 'Fail (1)' }));
    expect(screen.getAllByTestId('rule-result')).toHaveLength(1);
    expect(area(/^Network policy \(1\)$/)).toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: /^TLS/ }),
    ).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Pass (2)' }));
    const rows = screen.getAllByTestId('rule-result');
    expect(rows).toHaveLength(2);
    rows.forEach(row => expect(row).toHaveTextContent('Pass'));

    await user.click(screen.getByRole('button', { name: 'Error (0)' }));
    expect(screen.queryAllByTestId('rule-result')).toHaveLength(0);
    expect(screen.getByTestId('fl-security-filter-empty')).toHaveTextContent(
      'No result with status Error',
    );

    await user.click(screen.getByRole('button', { name: 'All (4)' }));
    expect(screen.getAllByTestId('rule-result')).toHaveLength(4);
  });

  it('opens the remediation and rationale of a rule on demand', async () => {
    const user = userEvent.setup();
    renderTab(fakeApi());
    const toggle = await screen.findByRole('button', {
      name: 'Show details of Only participants and declared sources reach the aggregator',
    });
    expect(screen.queryByTestId('rule-detail')).not.toBeInTheDocument();

    await user.click(toggle);
    const detail = screen.getByTestId('rule-detail');
    expect(detail).toHaveTextContent(
      'Remove namespaceSelector: {} from allow-all.',
    );
    expect(detail).toHaveTextContent('Why it matters');
    expect(detail).toHaveTextContent('Rule NET-04');
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
  });

  it('lists certificates with SANs, issuer, days left and key', async () => {
    renderTab(fakeApi());
    const panel = await screen.findByRole('region', {
      name: 'Certificates (2)',
    });
    const rows = within(panel).getAllByTestId('certificate');
    // Soonest expiry first.
    expect(rows[0]).toHaveTextContent('CN=superlink.fl-agg.svc');
    expect(rows[0]).toHaveTextContent(
      'superlink.fl-agg.svc, superlink.fl-agg.svc.cluster.local',
    );
    expect(rows[0]).toHaveTextContent('CN=mnist-fl CA');
    expect(rows[0]).toHaveTextContent('20 days left');
    expect(rows[0]).toHaveTextContent('ec prime256v1');
    expect(rows[1]).toHaveTextContent('CA certificate');
  });

  it('shows who can reach the aggregator, unexpected sources first', async () => {
    renderTab(fakeApi());
    const view = await screen.findByRole('region', {
      name: 'Who can reach the aggregator',
    });
    expect(view).toHaveTextContent('2 admitted sources, 1 unexpected.');
    const rows = within(view).getAllByTestId('reachability');
    expect(rows[0]).toHaveTextContent('namespace/monitoring');
    expect(rows[0]).toHaveTextContent('Unexpected');
    expect(rows[0]).toHaveTextContent('allow-all');
    expect(rows[1]).toHaveTextContent('participants/site-a');
    expect(rows[1]).toHaveTextContent('Expected');
  });

  it('shows per-cluster errors above the results', async () => {
    const api = fakeApi({
      getEntityReport: jest.fn().mockResolvedValue(
        response({
          errors: [
            { cluster: 'kind-b', message: 'connect ECONNREFUSED' },
            {
              cluster: 'kind-c',
              message: 'forbidden',
              missingPermission: 'list secrets in fl-agg',
            },
          ],
        }),
      ),
    });
    renderTab(api);
    const errors = await screen.findByTestId('fl-security-cluster-errors');
    expect(errors).toHaveTextContent('2 problems during the scan');
    expect(errors).toHaveTextContent('kind-b: connect ECONNREFUSED');
    expect(errors).toHaveTextContent(
      'missing permission: list secrets in fl-agg',
    );
  });

  it('forces a new scan and shows its result', async () => {
    const user = userEvent.setup();
    const fixed = response({
      results: [
        result({
          ruleId: 'NET-04',
          status: 'pass',
          message: 'Only participants.',
        }),
      ],
    });
    const api = fakeApi({
      refreshEntityReport: jest.fn().mockResolvedValue(fixed),
    });
    renderTab(api);
    await screen.findByText('Violations');

    await user.click(screen.getByRole('button', { name: /scan now/i }));

    expect(await screen.findByText('Compliant')).toBeInTheDocument();
    expect(screen.getAllByTestId('rule-result')).toHaveLength(1);
    expect(api.refreshEntityReport).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'mnist-fl',
    });
  });

  it('keeps the report and shows why a forced scan failed', async () => {
    const user = userEvent.setup();
    const failure = await responseError(
      503,
      'ServiceUnavailableError',
      'scan already running',
    );
    renderTab(
      fakeApi({ refreshEntityReport: jest.fn().mockRejectedValue(failure) }),
    );
    await screen.findByText('Violations');

    await user.click(screen.getByRole('button', { name: /scan now/i }));

    expect(await screen.findByTestId('fl-security-error')).toHaveTextContent(
      'scan already running',
    );
    expect(screen.getAllByTestId('rule-result')).toHaveLength(4);
  });

  it('shows a loading state', async () => {
    renderTab(
      fakeApi({ getEntityReport: jest.fn(() => new Promise<never>(() => {})) }),
    );
    expect(
      await screen.findByRole('progressbar', {
        name: 'Loading FL security report',
      }),
    ).toBeInTheDocument();
  });

  it('names the permission fl-security.report.read on 403', async () => {
    const denied = await responseError(403, 'NotAllowedError', 'Unauthorized');
    renderTab(
      fakeApi({ getEntityReport: jest.fn().mockRejectedValue(denied) }),
    );
    const state = await screen.findByTestId('fl-security-permission-denied');
    expect(state).toHaveTextContent('Permission required');
    expect(state).toHaveTextContent('fl-security.report.read');
  });

  it('shows server errors with their message', async () => {
    const failure = await responseError(500, 'Error', 'engine crashed');
    renderTab(
      fakeApi({ getEntityReport: jest.fn().mockRejectedValue(failure) }),
    );
    expect(await screen.findByText(/engine crashed/)).toBeInTheDocument();
    expect(
      screen.getByText(/Could not load the FL security report/),
    ).toBeInTheDocument();
  });

  it('offers a scan when there is no report yet', async () => {
    const notFound = await responseError(
      404,
      'NotFoundError',
      'No report yet for component:default/mnist-fl',
    );
    const api = fakeApi({
      getEntityReport: jest.fn().mockRejectedValue(notFound),
    });
    renderTab(api);
    expect(
      await screen.findByTestId('fl-security-not-found'),
    ).toHaveTextContent('No report yet for component:default/mnist-fl');
    expect(screen.getByRole('button', { name: /scan now/i })).toBeEnabled();
  });

  it('says what is missing when no cluster is configured', async () => {
    const empty = response({
      results: [],
      certificates: [],
      reachability: [],
      errors: [
        {
          cluster: '-',
          message:
            'no clusters configured (kubernetes.clusterLocatorMethods, flSecurity.kubeconfig or flSecurity.inCluster)',
        },
      ],
    });
    renderTab(fakeApi({ getEntityReport: jest.fn().mockResolvedValue(empty) }));
    const errors = await screen.findByTestId('fl-security-cluster-errors');
    expect(errors).toHaveTextContent('1 problem during the scan');
    expect(errors).toHaveTextContent(
      /^1 problem during the scanno clusters configured/,
    );
    expect(screen.getByTestId('fl-security-empty')).toBeInTheDocument();
    expect(screen.getByText('Unknown')).toBeInTheDocument();
  });

  it('says what is missing when no objects were found', async () => {
    const empty = response({ results: [], certificates: [], reachability: [] });
    renderTab(fakeApi({ getEntityReport: jest.fn().mockResolvedValue(empty) }));
    const state = await screen.findByTestId('fl-security-empty');
    expect(state).toHaveTextContent('backstage.io/kubernetes-id=mnist-fl');
    expect(state).toHaveTextContent('kubernetes.clusterLocatorMethods');
    expect(
      screen.queryByRole('region', { name: 'Certificates (0)' }),
    ).not.toBeInTheDocument();
  });

  it('names the entity annotation when it is missing', async () => {
    const entity: Entity = {
      ...FL_ENTITY,
      metadata: { name: 'mnist-fl', namespace: 'default' },
    };
    const empty = response({ results: [], certificates: [], reachability: [] });
    renderTab(
      fakeApi({ getEntityReport: jest.fn().mockResolvedValue(empty) }),
      entity,
    );
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText(/backstage.io\/kubernetes-id/).length,
    ).toBeGreaterThan(0);
  });

  it('pages large areas and filters 1,000 results', async () => {
    const big = response({ results: manyResults(1000) });
    renderTab(fakeApi({ getEntityReport: jest.fn().mockResolvedValue(big) }));
    await screen.findByText('All (1000)');

    // Role queries are slow on large DOMs in jsdom: test ids here.
    const sections = screen.getAllByTestId('area-section');
    expect(sections.length).toBeGreaterThan(1);
    for (const section of sections) {
      expect(
        within(section).queryAllByTestId('rule-result').length,
      ).toBeLessThanOrEqual(AREA_PAGE_SIZE);
    }

    const started = performance.now();
    fireEvent.click(screen.getByText('Fail (200)'));
    const elapsed = performance.now() - started;
    if (process.env.FL_SECURITY_REPORT_TIMING) {
      // Measured on demand only; tests never assert on time.
      process.stdout.write(
        `filter 1000 results -> fail: ${elapsed.toFixed(0)} ms\n`,
      );
    }
    if (process.env.FL_SECURITY_REPORT_TIMING) {
      for (const label of [
        'Warning (200)',
        'Pass (200)',
        'All (1000)',
        'Fail (200)',
      ]) {
        const t0 = performance.now();
        fireEvent.click(screen.getByText(label));
        process.stdout.write(
          `filter -> ${label}: ${(performance.now() - t0).toFixed(0)} ms\n`,
        );
      }
    }
    const rows = screen.getAllByTestId('rule-result');
    expect(rows.length).toBeGreaterThan(0);
    rows.forEach(row => expect(row).toHaveTextContent('Fail'));

    const network = screen
      .getAllByTestId('area-section')
      .find(section => section.textContent?.startsWith('Network policy'))!;
    const before = within(network).getAllByTestId('rule-result').length;
    expect(before).toBe(AREA_PAGE_SIZE);
    fireEvent.click(within(network).getByText(/more of/));
    expect(
      within(network).getAllByTestId('rule-result').length,
    ).toBeGreaterThan(before);
  }, 30_000);
});
