import { deployment, superlink, supernode } from '../__testUtils__/builders';
import {
  argvOf,
  controlPort,
  fleetPorts,
  flowerProcesses,
  hostOfAddress,
  internalPorts,
  isLoopbackHost,
  roleOf,
  shellWords,
  superlinkHttpListener,
} from './flower';
import { toWorkload } from './workloads';

const workload = (o: Parameters<typeof deployment>[0]) =>
  toWorkload(deployment(o))!;

describe('Flower recognition', () => {
  it('takes the role from the label first', () => {
    expect(roleOf(toWorkload(superlink())!)).toBe('aggregator');
    expect(roleOf(toWorkload(supernode('s'))!)).toBe('participant');
  });

  it('recognises unlabelled Flower by image (entrypoint args) or by command', () => {
    const byImage = workload({
      name: 'x',
      namespace: 'n',
      image: 'docker.io/flwr/superlink:1.42.0',
      args: ['--insecure'],
    });
    expect(roleOf(byImage)).toBe('aggregator');
    expect(flowerProcesses(byImage)[0].flags.get('--insecure')).toBe(true);
    const byCommand = workload({
      name: 'x',
      namespace: 'n',
      image: 'python:3.12',
      command: ['/venv/bin/flower-supernode'],
      args: ['--superlink', 'a:9092'],
    });
    expect(roleOf(byCommand)).toBe('participant');
    expect(
      roleOf(workload({ name: 'x', namespace: 'n', image: 'nginx' })),
    ).toBeUndefined();
  });

  it('reads flags through sh -c scripts with quotes', () => {
    const w = workload({
      name: 'x',
      namespace: 'n',
      image: 'python',
      command: ['sh', '-c'],
      args: [
        'pip install x && exec flower-superlink --insecure --fleet-api-address="0.0.0.0:9092"',
      ],
    });
    const [process] = flowerProcesses(w);
    expect(process.role).toBe('aggregator');
    expect(process.flags.get('--fleet-api-address')).toBe('0.0.0.0:9092');
    expect(fleetPorts(process)).toEqual([9092]);
    expect(shellWords(`a 'b c' "d\\"e"`)).toEqual(['a', 'b c', 'd"e']);
    expect(argvOf(w.containers[0])).toContain('--insecure');
  });

  it('derives the Fleet, Control and internal ports by version and flags', () => {
    const legacy = flowerProcesses(
      workload({ name: 'x', namespace: 'n', image: 'flwr/superlink:1.20.0' }),
    )[0];
    expect(fleetPorts(legacy)).toEqual([9092]);
    expect(controlPort(legacy)).toBe(9093);
    expect(internalPorts(legacy)).toEqual([9091]);
    const http = flowerProcesses(
      workload({ name: 'x', namespace: 'n', image: 'flwr/superlink:1.42.0' }),
    )[0];
    // Flower >= 1.37 defaults to 127.0.0.1:8000: no network port at all.
    expect(superlinkHttpListener(http)).toEqual({
      host: '127.0.0.1',
      port: 8000,
      loopback: true,
    });
    expect(fleetPorts(http)).toEqual([]);
    expect(controlPort(http)).toBeUndefined();
    expect(internalPorts(http)).toEqual([9091, 8000]);
    // As generated: loopback listener, the gateway container owns 9092.
    const generated = flowerProcesses(toWorkload(superlink())!)[0];
    expect(fleetPorts(generated)).toEqual([]);
    expect(internalPorts(generated)).toEqual([9091]);
    const exposed = flowerProcesses(
      toWorkload(
        superlink({ args: ['--host', '0.0.0.0', '--port', '9092'] }),
      )!,
    )[0];
    expect(superlinkHttpListener(exposed)).toEqual({
      host: '0.0.0.0',
      port: 9092,
      loopback: false,
    });
    expect(fleetPorts(exposed)).toEqual([9092]);
    expect(superlinkHttpListener(legacy)).toBeUndefined();
  });

  it('recognises loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost'])
      expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'superlink', '128.0.0.1'])
      expect(isLoopbackHost(host)).toBe(false);
  });

  it('splits host:port addresses', () => {
    expect(hostOfAddress('superlink.ns.svc:9092')).toBe('superlink.ns.svc');
    expect(hostOfAddress('[2001:db8::1]:9092')).toBe('2001:db8::1');
    expect(hostOfAddress('fl.example.com')).toBe('fl.example.com');
  });
});
