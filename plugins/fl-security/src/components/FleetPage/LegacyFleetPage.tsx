import { Content, Header, Page } from '@backstage/core-components';
import { FleetOverview } from './FleetOverview';

/** Full page for apps on the legacy frontend system (header included). */
export function LegacyFleetPage() {
  return (
    <Page themeId="tool">
      <Header
        title="FL Security"
        subtitle="Encryption and network policy of every federation"
      />
      <Content>
        <FleetOverview />
      </Content>
    </Page>
  );
}
