import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import type { FleetEntry } from '@fl-security/plugin-fl-security-common';
import { flSecurityFleetPage } from '../../alpha/extensions';
import { type FlSecurityApi, flSecurityApiRef } from '../../api/FlSecurityApi';
import { fakeApi } from '../../__testUtils__/fakeApi';
import { responseError } from '../../__testUtils__/fixtures';

const fleet: FleetEntry[] = [
  {
    entityRef: 'component:default/alpha-fl',
    federation: 'alpha-fl',
    overall: 'compliant',
    summary: { pass: 12, warn: 0, fail: 0, error: 0, skip: 1 },
    generatedAt: '2026-02-01T10:00:00Z',
    soonestExpiry: {
      subject: 'CN=alpha',
      notAfter: '2026-05-01T00:00:00Z',
      daysLeft: 88,
      source: 'kind-a/fl-agg/alpha-tls',
    },
  },
  {
    entityRef: 'component:default/beta-fl',
    federation: 'beta-fl',
    overall: 'violations',
    summary: { pass: 3, warn: 1, fail: 5, error: 0, skip: 0 },
    generatedAt: '2026-02-01T11:00:00Z',
    soonestExpiry: {
      subject: 'CN=beta',
      notAfter: '2026-02-05T00:00:00Z',
      daysLeft: 4,
      source: 'kind-a/beta/beta-tls',
    },
  },
  {
    entityRef: 'component:default/gamma-fl',
    overall: 'warnings',
    summary: { pass: 8, warn: 3, fail: 0, error: 0, skip: 0 },
    generatedAt: '2026-02-01T09:00:00Z',
  },
];

function renderPage(api: FlSecurityApi) {
  return renderTestApp({
    extensions: [flSecurityFleetPage],
    apis: [[flSecurityApiRef, api]],
    initialRouteEntries: ['/fl-security'],
    mountedRoutes: {
      '/catalog/:namespace/:kind/:name': convertLegacyRouteRef(entityRouteRef),
    },
  });
}

const entityColumn = () =>
  screen
    .getAllByTestId('fleet-row')
    .map(row => within(row).getAllByRole('cell')[0].textContent);

describe('fleet page', () => {
  it('lists every FL entity, worst status first, linking to the entity', async () => {
    renderPage(
      fakeApi({ getFleet: jest.fn().mockResolvedValue({ items: fleet }) }),
    );
    await screen.findAllByTestId('fleet-row');

    expect(entityColumn()).toEqual(['beta-fl', 'gamma-fl', 'alpha-fl']);
    const [beta] = screen.getAllByTestId('fleet-row');
    expect(beta).toHaveTextContent('Violations');
    expect(beta).toHaveTextContent('4 days left');
    expect(within(beta).getByRole('link', { name: /beta-fl/ })).toHaveAttribute(
      'href',
      '/catalog/default/component/beta-fl',
    );
  });

  it('sorts by a column and toggles the direction', async () => {
    const user = userEvent.setup();
    renderPage(
      fakeApi({ getFleet: jest.fn().mockResolvedValue({ items: fleet }) }),
    );
    await screen.findAllByTestId('fleet-row');

    await user.click(screen.getByRole('button', { name: 'Warning' }));
    expect(entityColumn()).toEqual(['alpha-fl', 'beta-fl', 'gamma-fl']);
    await user.click(screen.getByRole('button', { name: 'Warning' }));
    expect(entityColumn()).toEqual(['gamma-fl', 'beta-fl', 'alpha-fl']);

    await user.click(screen.getByRole('button', { name: 'Soonest expiry' }));
    // gamma-fl has no certificate: last.
    expect(entityColumn()).toEqual(['beta-fl', 'alpha-fl', 'gamma-fl']);

    await user.click(screen.getByRole('button', { name: 'Entity' }));
    expect(entityColumn()).toEqual(['alpha-fl', 'beta-fl', 'gamma-fl']);
    expect(
      screen.getByRole('columnheader', { name: /Entity/ }),
    ).toHaveAttribute('aria-sort', 'ascending');
  });

  it('pages through the fleet with the backend cursor', async () => {
    const user = userEvent.setup();
    const getFleet = jest.fn(async (page?: { cursor?: string }) =>
      page?.cursor === 'page-2'
        ? { items: [fleet[2]] }
        : { items: fleet.slice(0, 2), nextCursor: 'page-2' },
    );
    renderPage(fakeApi({ getFleet }));
    await screen.findAllByTestId('fleet-row');
    expect(entityColumn()).toEqual(['beta-fl', 'alpha-fl']);
    expect(getFleet).toHaveBeenLastCalledWith({ limit: 50, cursor: undefined });
    expect(
      screen.getByRole('button', { name: 'Previous page' }),
    ).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await screen.findByText('Page 2');
    expect(entityColumn()).toEqual(['gamma-fl']);
    expect(getFleet).toHaveBeenLastCalledWith({ limit: 50, cursor: 'page-2' });
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Previous page' }));
    await screen.findByText('Page 1');
    expect(entityColumn()).toEqual(['beta-fl', 'alpha-fl']);
  });

  it('keeps paging past a page with no readable entity', async () => {
    renderPage(
      fakeApi({
        getFleet: jest.fn().mockResolvedValue({ items: [], nextCursor: 'c2' }),
      }),
    );
    expect(
      await screen.findByTestId('fl-security-fleet-page-empty'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeEnabled();
  });

  it('explains an empty fleet', async () => {
    renderPage(fakeApi());
    expect(
      await screen.findByTestId('fl-security-fleet-empty'),
    ).toHaveTextContent('spec.type: federated-learning');
  });

  it('names the permission on 403', async () => {
    const denied = await responseError(403, 'NotAllowedError', 'Unauthorized');
    renderPage(fakeApi({ getFleet: jest.fn().mockRejectedValue(denied) }));
    expect(
      await screen.findByTestId('fl-security-permission-denied'),
    ).toHaveTextContent('fl-security.report.read');
  });
});
