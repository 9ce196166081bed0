import { screen, within } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import type { Entity } from '@backstage/catalog-model';
import { flSecurityEntityCard } from '../../alpha/extensions';
import { type FlSecurityApi, flSecurityApiRef } from '../../api/FlSecurityApi';
import { fakeApi } from '../../__testUtils__/fakeApi';
import type { Severity } from '@fl-security/plugin-fl-security-common';
import {
  FL_ENTITY,
  response,
  responseError,
  result,
} from '../../__testUtils__/fixtures';

function renderCard(entity: Entity, api: FlSecurityApi) {
  return renderTestApp({
    extensions: [createTestEntityPage({ entity }), flSecurityEntityCard],
    apis: [[flSecurityApiRef, api]],
    mountedRoutes: {
      '/catalog/:namespace/:kind/:name': convertLegacyRouteRef(entityRouteRef),
    },
  });
}

describe('FL security entity card', () => {
  it('shows the verdict, counts per status, soonest expiry and a link to the tab', async () => {
    const api = fakeApi();
    renderCard(FL_ENTITY, api);

    expect(await screen.findByText('Violations')).toBeInTheDocument();
    expect(
      within(screen.getByTestId('count-fail')).getByText('1'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('count-warn')).getByText('1'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('count-pass')).getByText('2'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('fl-security-soonest-expiry')).toHaveTextContent(
      '20 days left (superlink-tls)',
    );
    expect(
      screen.getByRole('link', { name: /view fl security details/i }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/mnist-fl/fl-security',
    );
    expect(api.getEntityReport).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'mnist-fl',
    });
  });

  it('names the worst failing rules first, and how many more there are', async () => {
    const failing = (ruleId: string, name: string, severity: Severity) =>
      result({
        ruleId,
        status: 'fail',
        severity,
        resource: { kind: 'Deployment', name },
      });
    renderCard(
      FL_ENTITY,
      fakeApi({
        getEntityReport: jest.fn().mockResolvedValue(
          response({
            results: [
              result({ ruleId: 'NET-01', status: 'pass' }),
              failing('POD-01', 'supernode', 'medium'),
              result({ ruleId: 'CERT-01', status: 'error', severity: 'high' }),
              failing('NET-04', 'superlink', 'critical'),
              failing('NET-02', 'superlink', 'high'),
              result({ ruleId: 'CERT-02', status: 'warn' }),
            ],
          }),
        ),
      }),
    );
    const top = await screen.findByTestId('fl-security-top-failures');
    expect(top).toHaveTextContent('Failing (4)');
    expect(
      within(top)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'Fail: Only participants and declared sources reach the aggregator (NET-04) · Deployment superlink',
      'Fail: Every FL pod is isolated by a NetworkPolicy (NET-02) · Deployment superlink',
      'Fail: FL pods follow the restricted Pod Security profile (POD-01) · Deployment supernode',
    ]);
    expect(top).toHaveTextContent('and 1 more on the FL Security tab');
  });

  it('names no failing rule when nothing fails', async () => {
    renderCard(
      FL_ENTITY,
      fakeApi({
        getEntityReport: jest
          .fn()
          .mockResolvedValue(
            response({ results: [result({ status: 'pass' })] }),
          ),
      }),
    );
    await screen.findByText('Compliant');
    expect(
      screen.queryByTestId('fl-security-top-failures'),
    ).not.toBeInTheDocument();
  });

  it('names the permission when the backend answers 403', async () => {
    const denied = await responseError(403, 'NotAllowedError', 'Unauthorized');
    renderCard(
      FL_ENTITY,
      fakeApi({ getEntityReport: jest.fn().mockRejectedValue(denied) }),
    );

    expect(
      await screen.findByTestId('fl-security-permission-denied'),
    ).toHaveTextContent('fl-security.report.read');
  });

  it('says the entity is not scanned yet when the backend answers so', async () => {
    renderCard(
      FL_ENTITY,
      fakeApi({
        getEntityReport: jest.fn().mockResolvedValue({
          entityRef: 'component:default/mnist-fl',
          overall: 'unknown',
          notScanned: true,
          message: 'not scanned yet; the scheduled scan will report it',
          history: [],
        }),
      }),
    );
    expect(
      await screen.findByTestId('fl-security-not-scanned'),
    ).toHaveTextContent('the scheduled scan will report it');
  });

  it('shows a loading state until the report arrives', async () => {
    renderCard(
      FL_ENTITY,
      fakeApi({ getEntityReport: jest.fn(() => new Promise<never>(() => {})) }),
    );
    expect(
      await screen.findByRole('progressbar', {
        name: 'Loading FL security report',
      }),
    ).toBeInTheDocument();
  });

  it('says which label is missing when no objects were found', async () => {
    // What the engine returns when no workload carries the label.
    const empty = response({
      results: [],
      certificates: [],
      reachability: [],
      errors: [
        {
          cluster: 'kind-a',
          message:
            'No FL workload labelled backstage.io/kubernetes-id=mnist-fl was found.',
        },
      ],
    });
    renderCard(
      FL_ENTITY,
      fakeApi({ getEntityReport: jest.fn().mockResolvedValue(empty) }),
    );

    const state = await screen.findByTestId('fl-security-empty');
    expect(state).toHaveTextContent('No Kubernetes objects found');
    expect(state).toHaveTextContent('backstage.io/kubernetes-id=mnist-fl');
    expect(screen.getByTestId('fl-security-cluster-errors')).toHaveTextContent(
      'kind-a: No FL workload labelled',
    );
    expect(screen.getByText('Unknown')).toBeInTheDocument();
  });

  it('names the missing entity annotation when the entity has none', async () => {
    const entity: Entity = {
      ...FL_ENTITY,
      metadata: { name: 'mnist-fl', namespace: 'default' },
    };
    const notFound = await responseError(
      404,
      'NotFoundError',
      'No federation for this entity',
    );
    renderCard(
      entity,
      fakeApi({ getEntityReport: jest.fn().mockRejectedValue(notFound) }),
    );

    expect(
      await screen.findByText(/backstage.io\/kubernetes-id/),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('fl-security-not-found'),
    ).not.toBeInTheDocument();
  });

  it('shows per-cluster errors and an unknown verdict instead of compliant', async () => {
    const partial = response({
      results: [
        {
          ruleId: 'NET-01',
          status: 'pass',
          severity: 'high',
          resource: { cluster: 'kind-a', kind: 'Namespace', name: 'fl-agg' },
          message: 'ok',
          remediation: '',
        },
      ],
      errors: [
        {
          cluster: 'kind-b',
          message: 'forbidden',
          missingPermission: 'list networkpolicies in site-b',
        },
      ],
    });
    renderCard(
      FL_ENTITY,
      fakeApi({ getEntityReport: jest.fn().mockResolvedValue(partial) }),
    );

    const errors = await screen.findByTestId('fl-security-cluster-errors');
    expect(errors).toHaveTextContent('kind-b: forbidden');
    expect(errors).toHaveTextContent('list networkpolicies in site-b');
    expect(screen.getByText('Unknown')).toBeInTheDocument();
  });

  it('shows server errors', async () => {
    const failure = await responseError(500, 'Error', 'database is down');
    renderCard(
      FL_ENTITY,
      fakeApi({ getEntityReport: jest.fn().mockRejectedValue(failure) }),
    );
    expect(await screen.findByTestId('fl-security-error')).toHaveTextContent(
      'database is down',
    );
  });
});
