import {
  DEFAULT_FLEET_GATEWAY_IMAGE,
  parseFederationSpec,
} from '@fl-security/plugin-fl-security-common';
import { generateFederationProject } from './generate';
import { Manifest } from './meta';
import { smallSpec, specVariants } from './__testUtils__/specs';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

interface Container {
  name: string;
  image: string;
  resources: {
    requests: Record<string, string>;
    limits: Record<string, string>;
  };
}

function deployments(input: unknown): Manifest[] {
  const project = generateFederationProject(parseFederationSpec(input));
  return project.objects.filter(object => object.kind === 'Deployment');
}

function podSpec(deployment: Manifest): {
  containers: Container[];
  volumes: { emptyDir?: { sizeLimit?: string } }[];
} {
  return (deployment as any).spec.template.spec;
}

function containers(input: unknown): Container[] {
  return deployments(input).flatMap(d => podSpec(d).containers);
}

/** Bytes of a binary-suffixed quantity (the generator writes Mi/Gi only). */
function bytes(quantity: string): number {
  const match = /^([0-9]+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`unexpected quantity ${quantity}`);
  return Number(match[1]) * 2 ** (match[2] === 'Gi' ? 30 : 20);
}

/** What the kubelet keeps of a container's logs by default (5 x 10Mi). */
const LOG_ALLOWANCE = bytes('50Mi');

describe('workload images', () => {
  it('uses the tags of the spec when it gives no digest', () => {
    expect(
      Object.fromEntries(containers(smallSpec).map(c => [c.name, c.image])),
    ).toEqual({
      superlink: 'flwr/superlink:1.42.0',
      'fleet-gateway': 'haproxy:3.2',
      supernode: 'flwr/supernode:1.42.0',
    });
  });

  it('pins every image by digest when the spec gives one', () => {
    const images = containers({
      ...smallSpec,
      images: {
        superlink: 'registry.example.com/flwr/superlink:1.42.0',
        digests: {
          superlink: digest('a'),
          supernode: digest('b'),
          fleetGateway: digest('c'),
        },
      },
    }).map(c => c.image);
    expect(new Set(images)).toEqual(
      new Set([
        `registry.example.com/flwr/superlink:1.42.0@${digest('a')}`,
        `flwr/supernode:1.42.0@${digest('b')}`,
        `${DEFAULT_FLEET_GATEWAY_IMAGE}@${digest('c')}`,
      ]),
    );
  });

  it('keeps a digest written into the image reference as it is', () => {
    const image = `flwr/supernode@${digest('d')}`;
    const supernodes = containers({
      ...smallSpec,
      images: { supernode: image },
    }).filter(c => c.name === 'supernode');
    expect(supernodes.map(c => c.image)).toEqual(
      supernodes.map(() => image),
    );
  });

  it('runs an HAProxy LTS branch as the fleet gateway', () => {
    // Even minor versions are HAProxy's LTS branches; 2.6 ends in 2027.
    const match = /^haproxy:(\d+)\.(\d+)$/.exec(DEFAULT_FLEET_GATEWAY_IMAGE);
    expect(match).not.toBeNull();
    const [major, minor] = [Number(match![1]), Number(match![2])];
    expect(minor % 2).toBe(0);
    expect(major * 100 + minor).toBeGreaterThanOrEqual(302);
  });
});

describe.each(Object.entries(specVariants))(
  'ephemeral storage of "%s"',
  (_label, input) => {
    it('requests and limits ephemeral storage on every container', () => {
      for (const container of containers(input)) {
        const { requests, limits } = container.resources;
        expect([
          container.name,
          requests['ephemeral-storage'],
          limits['ephemeral-storage'],
        ]).toEqual([container.name, expect.any(String), expect.any(String)]);
        expect(bytes(requests['ephemeral-storage'])).toBeLessThanOrEqual(
          bytes(limits['ephemeral-storage']),
        );
      }
    });

    it('limits each pod to at least its emptyDirs and logs (no eviction at the size limits)', () => {
      for (const deployment of deployments(input)) {
        const pod = podSpec(deployment);
        const limit = pod.containers
          .map(c => bytes(c.resources.limits['ephemeral-storage']))
          .reduce((a, b) => a + b, 0);
        const emptyDirs = pod.volumes
          .filter(v => v.emptyDir)
          .map(v => {
            // An emptyDir without a size limit could outgrow any limit.
            expect(v.emptyDir!.sizeLimit).toBeDefined();
            return bytes(v.emptyDir!.sizeLimit!);
          })
          .reduce((a, b) => a + b, 0);
        expect(limit).toBeGreaterThanOrEqual(
          emptyDirs + LOG_ALLOWANCE * pod.containers.length,
        );
      }
    });
  },
);
