import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  FlSecurityCard,
  FlSecurityContent,
  FlSecurityFleetPage,
  flSecurityPlugin,
  isFlSecurityAvailable,
  flSecurityApiRef,
  FlSecurityClient,
} from './index';
import { fakeApi } from './__testUtils__/fakeApi';
import {
  FL_ENTITY,
  SERVICE_ENTITY,
  responseError,
} from './__testUtils__/fixtures';

// The legacy (core-plugin-api) exports, rendered the way an old-system app does.
describe('legacy frontend system exports', () => {
  it('declare the plugin with its API factory', () => {
    expect(flSecurityPlugin.getId()).toBe('fl-security');
    const [factory] = [...flSecurityPlugin.getApis()];
    expect(factory.api).toBe(flSecurityApiRef);
    const client = factory.factory({
      discoveryApi: {
        getBaseUrl: async () => 'http://127.0.0.1:1/api/fl-security',
      },
      fetchApi: { fetch },
    });
    expect(client).toBeInstanceOf(FlSecurityClient);
  });

  it('export the entity filter', () => {
    expect(isFlSecurityAvailable(FL_ENTITY)).toBe(true);
    expect(isFlSecurityAvailable(SERVICE_ENTITY)).toBe(false);
  });

  it('render the card inside an EntityProvider', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[flSecurityApiRef, fakeApi()]]}>
        <EntityProvider entity={FL_ENTITY}>
          <FlSecurityCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByText('Violations')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /view fl security details/i }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/mnist-fl/fl-security',
    );
  });

  it('render the tab content with its status filter', async () => {
    const user = userEvent.setup();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [flSecurityApiRef, fakeApi()],
          // Old-system apps provide it (app-defaults): "Scan now" asks it.
          [permissionApiRef, new MockPermissionApi()],
        ]}
      >
        <EntityProvider entity={FL_ENTITY}>
          <FlSecurityContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    await screen.findAllByTestId('rule-result');
    await user.click(screen.getByRole('button', { name: 'Warning (1)' }));
    const rows = screen.getAllByTestId('rule-result');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent('Certificates are not close to expiry');
    expect(screen.getByRole('button', { name: /scan now/i })).toBeEnabled();
  });

  it('render the fleet page with its header, and its permission state', async () => {
    const denied = await responseError(403, 'NotAllowedError', 'Unauthorized');
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            flSecurityApiRef,
            fakeApi({ getFleet: jest.fn().mockRejectedValue(denied) }),
          ],
        ]}
      >
        <Routes>
          <Route path="/fl-security" element={<FlSecurityFleetPage />} />
        </Routes>
      </TestApiProvider>,
      { routeEntries: ['/fl-security'] },
    );
    expect(
      await screen.findByTestId('fl-security-permission-denied'),
    ).toHaveTextContent('fl-security.report.read');
    expect(
      within(screen.getByRole('banner')).getByText('FL Security'),
    ).toBeInTheDocument();
  });
});
