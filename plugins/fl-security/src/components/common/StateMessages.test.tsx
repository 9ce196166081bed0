import { render, screen } from '@testing-library/react';
import { responseError } from '../../__testUtils__/fixtures';
import { FailureState } from './StateMessages';

describe('FailureState on 403', () => {
  it('names the read permission for a denied read', async () => {
    const error = await responseError(
      403,
      'NotAllowedError',
      'missing permission fl-security.report.read on component:default/a',
    );
    render(<FailureState error={error} />);
    expect(
      screen.getByTestId('fl-security-permission-denied'),
    ).toHaveTextContent(
      'not allowed to read FL security reports. Ask an administrator to grant you the permission fl-security.report.read',
    );
  });

  it('names the refresh permission for a denied scan', async () => {
    const error = await responseError(
      403,
      'NotAllowedError',
      'missing permission fl-security.report.refresh on component:default/a',
    );
    render(<FailureState error={error} compact />);
    expect(
      screen.getByTestId('fl-security-permission-denied'),
    ).toHaveTextContent(
      'not allowed to scan this entity. Ask an administrator to grant you the permission fl-security.report.refresh',
    );
  });
});
