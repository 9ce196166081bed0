import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  ScmIntegrationsApi,
  scmIntegrationsApiRef,
} from '@backstage/integration-react';
import type {
  EntityReportResponse,
  ReportHistoryEntry,
} from '@fl-security/plugin-fl-security-common';
import { flSecurityEntityContent } from '../../alpha/extensions';
import { type FlSecurityApi, flSecurityApiRef } from '../../api/FlSecurityApi';
import { fakeApi } from '../../__testUtils__/fakeApi';
import {
  FL_ENTITY,
  manyResults,
  reachability,
  response,
  responseError,
  result,
} from '../../__testUtils__/fixtures';
import { RESULTS_PAGE_SIZE } from './ResultsTable';

type TestAppApis = NonNullable<
  NonNullable<Parameters<typeof renderTestApp>[0]>['apis']
>;

function renderTab(
  api: FlSecurityApi,
  entity: Entity = FL_ENTITY,
  extraApis: TestAppApis = [],
) {
  return renderTestApp({
    extensions: [createTestEntityPage({ entity }), flSecurityEntityContent],
    apis: [[flSecurityApiRef, api], ...extraApis],
  });
}

function serving(body: EntityReportResponse) {
  return fakeApi({ getEntityReport: jest.fn().mockResolvedValue(body) });
}

function withSourceLocation(location: string): Entity {
  return {
    ...FL_ENTITY,
    metadata: {
      ...FL_ENTITY.metadata,
      annotations: {
        ...FL_ENTITY.metadata.annotations,
        'backstage.io/source-location': location,
      },
    },
  };
}

const attention = () => screen.getByTestId('attention-section');
const settledAreas = () => screen.getAllByTestId('settled-area');
const rowsIn = (element: HTMLElement) =>
  within(element).queryAllByTestId('rule-result');
/** True when a precedes b in the document. */
const precedes = (a: Element, b: Element) =>
  Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);

describe('FL Security tab', () => {
  it('lists what needs attention first, worst first, with status, severity, area, resource and message', async () => {
    renderTab(
      serving(
        response({
          results: [
            ...response().report.results,
            result({
              ruleId: 'CERT-01',
              status: 'error',
              severity: 'medium',
              message: 'The Secret could not be read.',
            }),
          ],
        }),
      ),
    );
    const section = await screen.findByRole('region', {
      name: /^Needs attention \(3\)$/,
    });
    expect(section).toHaveTextContent('1 fail · 1 error · 1 warning');
    const rows = rowsIn(section);
    expect(rows.map(r => r.getAttribute('data-status'))).toEqual([
      'fail',
      'error',
      'warn',
    ]);
    expect(rows[0]).toHaveTextContent('Critical');
    expect(rows[0]).toHaveTextContent('Network policy');
    expect(rows[0]).toHaveTextContent(
      'Only participants and declared sources reach the aggregator',
    );
    expect(rows[0]).toHaveTextContent(
      'kind-a / fl-agg / NetworkPolicy / allow-all',
    );
    expect(rows[0]).toHaveTextContent(
      'namespace/monitoring may reach the aggregator on 9092.',
    );
    expect(rows[1]).toHaveTextContent('TLS & certificates');
    expect(screen.getByText('Violations')).toBeInTheDocument();
    // The passes come after everything that needs attention.
    expect(precedes(section, screen.getByTestId('settled-section'))).toBe(true);
  });

  it('collapses passes per area with their counts, and opens an area on demand', async () => {
    const user = userEvent.setup();
    renderTab(
      serving(
        response({
          results: [
            ...response().report.results,
            result({ ruleId: 'NET-02', status: 'pass' }),
            result({ ruleId: 'MESH-01', status: 'skip', message: 'No mesh.' }),
          ],
        }),
      ),
    );
    await screen.findByTestId('settled-section');
    expect(
      screen.getByRole('heading', { name: 'Passed and skipped (4)' }),
    ).toBeInTheDocument();
    expect(settledAreas().map(a => a.querySelector('h3')?.textContent)).toEqual(
      [
        'Network policy 2 passed',
        'Participant authentication 1 passed',
        'Mesh 1 skipped',
      ],
    );
    // Collapsed: no passing row is rendered at all.
    const rendered = screen.getAllByTestId('rule-result');
    expect(rendered.map(r => r.getAttribute('data-status'))).toEqual([
      'fail',
      'warn',
    ]);

    await user.click(screen.getByRole('button', { name: /^Network policy/ }));
    const network = settledAreas()[0];
    expect(rowsIn(network)).toHaveLength(2);
    rowsIn(network).forEach(row =>
      expect(row).toHaveAttribute('data-status', 'pass'),
    );
    expect(rowsIn(settledAreas()[1])).toHaveLength(0);
  });

  it('filters by status', async () => {
    const user = userEvent.setup();
    renderTab(fakeApi());
    await screen.findByTestId('attention-section');

    await user.click(screen.getByRole('button', { name: 'Fail (1)' }));
    expect(screen.getAllByTestId('rule-result')).toHaveLength(1);
    expect(rowsIn(attention())).toHaveLength(1);
    expect(screen.queryByTestId('settled-section')).not.toBeInTheDocument();

    // Asking for passes opens their areas.
    await user.click(screen.getByRole('button', { name: 'Pass (2)' }));
    expect(screen.queryByTestId('attention-section')).not.toBeInTheDocument();
    const rows = screen.getAllByTestId('rule-result');
    expect(rows).toHaveLength(2);
    rows.forEach(row => expect(row).toHaveAttribute('data-status', 'pass'));

    await user.click(screen.getByRole('button', { name: 'Error (0)' }));
    expect(screen.queryAllByTestId('rule-result')).toHaveLength(0);
    expect(screen.getByTestId('fl-security-filter-empty')).toHaveTextContent(
      'No result with status Error',
    );

    // Back to everything: failures first, passes collapsed again.
    await user.click(screen.getByRole('button', { name: 'All (4)' }));
    expect(
      screen.getAllByTestId('rule-result').map(r => r.dataset.status),
    ).toEqual(['fail', 'warn']);
  });

  it('says so when nothing needs attention', async () => {
    renderTab(
      serving(
        response({ results: [result({ ruleId: 'NET-01', status: 'pass' })] }),
      ),
    );
    expect(await screen.findByTestId('attention-section')).toHaveTextContent(
      'Needs attention (0)No failing, erroring or warning result.',
    );
  });

  it('keeps the summary with the counts and the filter in one sticky region', async () => {
    renderTab(fakeApi());
    const summary = await screen.findByRole('region', {
      name: 'Report summary',
    });
    expect(
      within(summary).getByTestId('fl-security-overall'),
    ).toHaveTextContent('Violations');
    expect(
      within(summary).getByRole('button', { name: 'Fail (1)' }),
    ).toBeInTheDocument();
    expect(
      within(summary).getByRole('button', { name: /scan now/i }),
    ).toBeInTheDocument();
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

  describe('remediation links', () => {
    const netRule =
      'Only participants and declared sources reach the aggregator';

    it("link each result to its rule's section of the repository's deploy/README.md", async () => {
      const user = userEvent.setup();
      renderTab(
        fakeApi(),
        withSourceLocation('url:https://git.example.com/ml/mnist-fl/'),
      );
      const link = await screen.findByRole('link', { name: netRule });
      expect(link).toHaveAttribute(
        'href',
        'https://git.example.com/ml/mnist-fl/deploy/README.md#net-04',
      );
      expect(link).toHaveAttribute('target', '_blank');
      expect(link).toHaveAttribute('rel', 'noopener noreferrer');
      // Every result has one, the collapsed passes too.
      await user.click(
        screen.getByRole('button', { name: /^Participant authentication/ }),
      );
      expect(
        screen
          .getAllByTestId('rule-docs-link')
          .map(a => a.getAttribute('href')?.split('#')[1]),
      ).toEqual(['net-04', 'cert-02', 'fl-02']);

      await user.click(
        screen.getByRole('button', { name: `Show details of ${netRule}` }),
      );
      expect(
        within(screen.getByTestId('rule-detail')).getByRole('link', {
          name: "How to fix NET-04 in the project's deploy/README.md",
        }),
      ).toHaveAttribute(
        'href',
        'https://git.example.com/ml/mnist-fl/deploy/README.md#net-04',
      );
    });

    it("resolve the file through the app's SCM integrations", async () => {
      const scm = ScmIntegrationsApi.fromConfig(
        new ConfigReader({
          integrations: {
            gitlab: [
              {
                host: 'gitlab.example.com',
                apiBaseUrl: 'https://gitlab.example.com/api/v4',
              },
            ],
          },
        }),
      );
      const resolveUrl = jest.spyOn(scm, 'resolveUrl');
      renderTab(
        fakeApi(),
        withSourceLocation(
          'url:https://gitlab.example.com/ml/mnist-fl/-/blob/main/catalog-info.yaml',
        ),
        [[scmIntegrationsApiRef, scm]],
      );
      expect(
        await screen.findByRole('link', { name: netRule }),
      ).toHaveAttribute(
        'href',
        'https://gitlab.example.com/ml/mnist-fl/-/blob/main/deploy/README.md#net-04',
      );
      expect(resolveUrl).toHaveBeenCalledWith({
        url: 'deploy/README.md',
        base: 'https://gitlab.example.com/ml/mnist-fl/-/blob/main/catalog-info.yaml',
      });
    });

    it.each([
      ['no source location', FL_ENTITY],
      [
        'a javascript: source location',
        withSourceLocation('url:javascript:alert(1)//'),
      ],
    ])('fall back to the rule text with %s', async (_label, entity) => {
      const user = userEvent.setup();
      renderTab(fakeApi(), entity);
      await screen.findByTestId('attention-section');
      expect(screen.queryAllByRole('link', { name: netRule })).toHaveLength(0);
      expect(screen.queryAllByTestId('rule-docs-link')).toHaveLength(0);

      await user.click(
        screen.getByRole('button', { name: `Show details of ${netRule}` }),
      );
      const detail = screen.getByTestId('rule-detail');
      expect(within(detail).queryAllByRole('link')).toHaveLength(0);
      expect(detail).toHaveTextContent('How to fix NET-04');
      expect(detail).toHaveTextContent(
        'Restrict the ingress rules of the policies selecting the aggregator',
      );
    });
  });

  describe('history', () => {
    const entry = (
      generatedAt: string,
      fail: number,
      warn: number,
      pass: number,
    ): ReportHistoryEntry => ({
      generatedAt,
      overall: fail ? 'violations' : 'compliant',
      summary: { fail, warn, pass, error: 0, skip: 0 },
      errorCount: 0,
    });

    it('draws fail, warn and pass of every stored scan, oldest first', async () => {
      renderTab(
        serving({
          ...response(),
          history: [
            entry('2026-02-01T12:00:00.000Z', 1, 1, 2),
            entry('2026-01-31T12:00:00.000Z', 0, 1, 3),
            entry('2026-01-30T12:00:00.000Z', 0, 0, 4),
          ],
        }),
      );
      const trend = await screen.findByTestId('fl-security-trend');
      expect(
        within(trend).getByRole('img', { name: 'Results of the last 3 scans' }),
      ).toBeInTheDocument();
      const bars = within(trend).getAllByTestId('trend-scan');
      expect(bars.map(b => b.getAttribute('data-generated-at'))).toEqual([
        '2026-01-30T12:00:00.000Z',
        '2026-01-31T12:00:00.000Z',
        '2026-02-01T12:00:00.000Z',
      ]);
      // Each bar names its counts; a failure is a visible segment.
      expect(bars[2].querySelector('title')?.textContent).toMatch(
        /1 fail, 0 error, 1 warn, 2 pass$/,
      );
      const failSegment = bars[2].querySelector('[data-segment="fail"]');
      expect(
        Number(failSegment?.getAttribute('height')),
      ).toBeGreaterThanOrEqual(3);
      expect(bars[0].querySelector('[data-segment="fail"]')).toBeNull();
      expect(
        within(trend).getByTestId('fl-security-trend-text'),
      ).toHaveTextContent('3 scans · fail 1 (+1) · warn 1 · pass 2 (−1)');
      // The trend sits in the sticky summary.
      expect(
        within(screen.getByTestId('fl-security-summary')).getByTestId(
          'fl-security-trend',
        ),
      ).toBe(trend);
    });

    it('shows no trend without stored scans', async () => {
      renderTab(fakeApi());
      await screen.findByTestId('attention-section');
      expect(screen.queryByTestId('fl-security-trend')).not.toBeInTheDocument();
    });
  });

  describe('changes since the previous scan', () => {
    it('are not shown while the backend does not compare reports', async () => {
      renderTab(fakeApi());
      await screen.findByTestId('attention-section');
      expect(
        screen.queryByTestId('fl-security-changes'),
      ).not.toBeInTheDocument();
      expect(screen.queryAllByTestId('new-failure')).toHaveLength(0);
    });

    it('list new failures and fixed results, and mark the new ones', async () => {
      const current = response();
      const failing = current.report.results[0];
      renderTab(
        serving({
          ...current,
          changes: {
            previousGeneratedAt: '2026-01-31T12:00:00.000Z',
            newFailures: [
              { ruleId: failing.ruleId, resource: failing.resource },
            ],
            fixed: [
              {
                ruleId: 'FL-02',
                resource: {
                  cluster: 'kind-a',
                  kind: 'Namespace',
                  name: 'fl-agg',
                },
              },
            ],
          },
        }),
      );
      const changes = await screen.findByTestId('fl-security-changes');
      expect(within(changes).getByTestId('changes-new')).toHaveTextContent(
        'New failures (1)Only participants and declared sources reach the aggregator (NET-04) · kind-a / fl-agg / NetworkPolicy / allow-all',
      );
      expect(within(changes).getByTestId('changes-fixed')).toHaveTextContent(
        'Fixed (1)Participant authentication is enabled (FL-02) · kind-a / Namespace / fl-agg',
      );
      const rows = rowsIn(attention());
      expect(within(rows[0]).getByTestId('new-failure')).toHaveTextContent(
        'New',
      );
      expect(within(rows[1]).queryByTestId('new-failure')).toBeNull();
    });
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

  it('draws who can reach the aggregator: clusters as groups, the unexpected edge red, described in words', async () => {
    const site = reachability({
      source: {
        type: 'participant',
        label: 'participants/site-b/supernode',
        cluster: 'kind-b',
        namespace: 'site-b',
      },
      expected: false,
      via: ['site-b/wide-egress'],
      reason: 'NET-05 fail: may also connect to every address 0.0.0.0/0.',
    });
    const api = fakeApi({
      getEntityReport: jest
        .fn()
        .mockResolvedValue(response({ reachability: [reachability(), site] })),
    });
    renderTab(api);
    const graph = await screen.findByRole('img', {
      name: /^Who can reach the aggregator: 2 edges, 1 unexpected/,
    });
    const groups = within(graph)
      .getAllByTestId('reachability-group')
      .map(g => g.textContent);
    expect(groups).toEqual(['cluster kind-a (aggregator)', 'cluster kind-b']);
    const red = within(graph)
      .getAllByTestId('reachability-edge')
      .filter(e => e.getAttribute('data-expected') === 'false');
    expect(red).toHaveLength(1);
    expect(red[0].getAttribute('data-from')).toMatch(
      /^source:cluster:kind-b\//,
    );
    expect(graph).toHaveAccessibleName(
      expect.stringContaining(
        'participants/site-b/supernode in cluster kind-b can reach Deployment fl-agg/superlink port 9092: unexpected. NET-05 fail',
      ),
    );
    // The table stays, with the reason.
    const row = screen
      .getAllByTestId('reachability')
      .find(r => r.textContent?.includes('participants/site-b/supernode'))!;
    expect(row).toHaveTextContent('cluster kind-b');
    expect(row).toHaveTextContent('Unexpected');
    expect(row).toHaveTextContent('NET-05 fail: may also connect');
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
    expect(attention()).toHaveTextContent('Needs attention (0)');
    expect(settledAreas().map(a => a.querySelector('h3')?.textContent)).toEqual(
      ['Network policy 1 passed'],
    );
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
    expect(rowsIn(attention())).toHaveLength(2);
    expect(settledAreas()).toHaveLength(2);
  });

  describe('"Scan now" and the refresh permission', () => {
    // usePermission caches decisions by request (SWR, module-wide): each
    // test asks about an entity of its own.
    const named = (name: string): Entity => ({
      ...FL_ENTITY,
      metadata: { ...FL_ENTITY.metadata, name },
    });

    it('hides the button from a user who may not refresh this entity and names the permission', async () => {
      const asked: unknown[] = [];
      const permissionApi = mockApis.permission({
        authorize: request => {
          asked.push(request);
          return request.permission.name === 'fl-security.report.refresh'
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW;
        },
      });
      const api = fakeApi();
      renderTab(api, named('denied-fl'), [permissionApi]);
      const notAllowed = await screen.findByTestId(
        'fl-security-scan-not-allowed',
      );
      expect(notAllowed).toHaveTextContent('fl-security.report.refresh');
      expect(
        screen.queryByRole('button', { name: /scan now/i }),
      ).not.toBeInTheDocument();
      expect(asked).toContainEqual(
        expect.objectContaining({
          permission: expect.objectContaining({
            name: 'fl-security.report.refresh',
          }),
          resourceRef: 'component:default/denied-fl',
        }),
      );
      // The report itself stays readable.
      expect(await screen.findByText('Violations')).toBeInTheDocument();
      expect(api.refreshEntityReport).not.toHaveBeenCalled();
    });

    it('offers the button to a user who may refresh', async () => {
      renderTab(fakeApi(), named('allowed-fl'), [
        mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      ]);
      expect(
        await screen.findByRole('button', { name: /scan now/i }),
      ).toBeEnabled();
      expect(
        screen.queryByTestId('fl-security-scan-not-allowed'),
      ).not.toBeInTheDocument();
    });
  });

  it('says an entity is not scanned yet to a user who may not scan it', async () => {
    renderTab(
      fakeApi({
        getEntityReport: jest.fn().mockResolvedValue({
          entityRef: 'component:default/mnist-fl',
          overall: 'unknown',
          notScanned: true,
          message:
            'component:default/mnist-fl has not been scanned yet; the scheduled scan will report it',
          history: [],
        }),
      }),
    );
    expect(
      await screen.findByTestId('fl-security-not-scanned'),
    ).toHaveTextContent(
      'Not scanned yetcomponent:default/mnist-fl has not been scanned yet; the scheduled scan will report it',
    );
    expect(screen.queryByTestId('attention-section')).not.toBeInTheDocument();
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

  it('pages what needs attention and keeps 1,000 results cheap', async () => {
    const big = response({ results: manyResults(1000) });
    renderTab(serving(big));
    await screen.findByText('All (1000)');

    // 600 need attention (fail, error, warn): one page of them is rendered,
    // the 400 passes and skips none until an area is opened.
    const section = attention();
    expect(section).toHaveTextContent('Needs attention (600)');
    expect(rowsIn(section)).toHaveLength(RESULTS_PAGE_SIZE);
    expect(screen.getAllByTestId('rule-result')).toHaveLength(
      RESULTS_PAGE_SIZE,
    );
    expect(rowsIn(section).map(r => r.dataset.status)).toEqual(
      Array(RESULTS_PAGE_SIZE).fill('fail'),
    );

    fireEvent.click(within(section).getByText('Show 100 more of 575'));
    expect(rowsIn(section)).toHaveLength(RESULTS_PAGE_SIZE + 100);

    const started = performance.now();
    fireEvent.click(screen.getByText('Warning (200)'));
    const elapsed = performance.now() - started;
    if (process.env.FL_SECURITY_REPORT_TIMING) {
      // Measured on demand only; tests never assert on time.
      process.stdout.write(
        `filter 1000 results -> warn: ${elapsed.toFixed(0)} ms\n`,
      );
    }
    // A new filter starts from the first page again.
    const rows = screen.getAllByTestId('rule-result');
    expect(rows).toHaveLength(RESULTS_PAGE_SIZE);
    rows.forEach(row => expect(row).toHaveAttribute('data-status', 'warn'));
  }, 30_000);
});
