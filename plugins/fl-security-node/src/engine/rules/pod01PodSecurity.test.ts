import {
  AGG_NS,
  evaluate,
  replace,
  resultFor,
  secureFederation,
} from '../__testUtils__/builders';
import type { KubeObject } from '../types';

const rule = 'POD-01';

function mutate(change: (podSpec: any, container: any) => void) {
  return evaluate(
    replace(
      secureFederation(),
      'Deployment',
      AGG_NS,
      'superlink',
      (o: KubeObject) => {
        const podSpec = (o.spec as any).template.spec;
        change(podSpec, podSpec.containers[0]);
        return o;
      },
    ),
  );
}

describe('POD-01 restricted pod security', () => {
  it('passes restricted pods with a read-only root filesystem', () => {
    expect(
      resultFor(evaluate(secureFederation()), rule, 'superlink').status,
    ).toBe('pass');
  });

  it.each([
    [
      'hostNetwork',
      (p: any) => {
        p.hostNetwork = true;
      },
      /hostNetwork: true/,
    ],
    [
      'privileged',
      (_p: any, c: any) => {
        c.securityContext.privileged = true;
      },
      /is privileged/,
    ],
    [
      'privilege escalation',
      (_p: any, c: any) => {
        delete c.securityContext.allowPrivilegeEscalation;
      },
      /allowPrivilegeEscalation: false/,
    ],
    [
      'capabilities',
      (_p: any, c: any) => {
        c.securityContext.capabilities = { add: ['NET_ADMIN'], drop: ['ALL'] };
      },
      /adds capabilities NET_ADMIN/,
    ],
    [
      'no drop ALL',
      (_p: any, c: any) => {
        c.securityContext.capabilities = {};
      },
      /does not drop ALL/,
    ],
    [
      'root',
      (p: any, c: any) => {
        delete c.securityContext.runAsNonRoot;
        delete p.securityContext.runAsNonRoot;
      },
      /runAsNonRoot: true/,
    ],
    [
      'uid 0',
      (_p: any, c: any) => {
        c.securityContext.runAsUser = 0;
      },
      /runs as UID 0/,
    ],
    [
      'seccomp',
      (p: any, c: any) => {
        delete c.securityContext.seccompProfile;
        delete p.securityContext.seccompProfile;
      },
      /seccomp/,
    ],
    [
      'hostPort',
      (p: any) => {
        // The fleet gateway container owns the fleet port.
        p.containers.find((c: any) => c.ports.length).ports[0].hostPort = 9092;
      },
      /hostPort/,
    ],
    [
      'hostPath',
      (p: any) => {
        p.volumes.push({ name: 'h', hostPath: { path: '/' } });
      },
      /hostPath volume\(s\) h/,
    ],
    [
      'an init container',
      (p: any) => {
        p.initContainers = [{ name: 'init', image: 'busybox' }];
      },
      /container init/,
    ],
  ])('fails %s', (_name, change, message) => {
    const result = resultFor(mutate(change), rule, 'superlink');
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(message);
  });

  it('accepts pod-level settings inherited by containers', () => {
    expect(
      resultFor(
        mutate((_p, c) => {
          delete c.securityContext.seccompProfile;
          delete c.securityContext.runAsNonRoot;
        }),
        rule,
        'superlink',
      ).status,
    ).toBe('pass');
  });

  it('warns on a writable root filesystem only', () => {
    expect(
      resultFor(
        mutate((_p, c) => {
          c.securityContext.readOnlyRootFilesystem = false;
        }),
        rule,
        'superlink',
      ).status,
    ).toBe('warn');
  });
});
