import type { Entity } from '@backstage/catalog-model';
import { remediationDocsUrl, ruleDocsUrl } from './remediationDocs';
import { FL_ENTITY } from '../__testUtils__/fixtures';

function withSource(location?: string): Entity {
  return {
    ...FL_ENTITY,
    metadata: {
      ...FL_ENTITY.metadata,
      annotations: {
        ...FL_ENTITY.metadata.annotations,
        ...(location ? { 'backstage.io/source-location': location } : {}),
      },
    },
  };
}

describe('remediationDocsUrl', () => {
  it("is deploy/README.md of the entity's source repository", () => {
    expect(
      remediationDocsUrl(
        withSource('url:https://github.com/acme/mnist-fl/tree/main/'),
      ),
    ).toBe('https://github.com/acme/mnist-fl/tree/main/deploy/README.md');
  });

  it("uses the app's SCM resolver when given", () => {
    const resolve = jest.fn(
      (path: string, base: string) =>
        `${base.replace('/tree/', '/blob/')}${path}`,
    );
    expect(
      remediationDocsUrl(
        withSource('url:https://github.com/acme/mnist-fl/tree/main/'),
        resolve,
      ),
    ).toBe('https://github.com/acme/mnist-fl/blob/main/deploy/README.md');
    expect(resolve).toHaveBeenCalledWith(
      'deploy/README.md',
      'https://github.com/acme/mnist-fl/tree/main/',
    );
  });

  it.each([
    ['no annotation', undefined],
    ['a file location', 'file:/srv/catalog/fl/'],
    ['a javascript: URL', 'url:javascript:alert(1)//'],
    ['a data: URL', 'url:data:text/html,<script>alert(1)</script>'],
    ['no location type', 'https://github.com/acme/mnist-fl/tree/main/'],
    ['a relative target', 'url:acme/mnist-fl'],
  ])('is unknown for %s', (_label, location) => {
    expect(remediationDocsUrl(withSource(location))).toBeUndefined();
  });

  it('refuses a resolver that turns the link into something else than http(s)', () => {
    expect(
      remediationDocsUrl(
        withSource('url:https://github.com/acme/mnist-fl/tree/main/'),
        // eslint-disable-next-line no-script-url -- the URL this must refuse
        () => 'javascript:alert(1)',
      ),
    ).toBeUndefined();
  });

  it('drops a fragment of the source location', () => {
    expect(
      remediationDocsUrl(withSource('url:https://git.example.com/fl/#top')),
    ).toBe('https://git.example.com/fl/deploy/README.md');
  });
});

describe('ruleDocsUrl', () => {
  it("points at the rule's section of the generated README", () => {
    expect(
      ruleDocsUrl('https://git.example.com/fl/deploy/README.md', 'CERT-04'),
    ).toBe('https://git.example.com/fl/deploy/README.md#cert-04');
  });
});
