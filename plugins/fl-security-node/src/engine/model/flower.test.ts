import { deployment, superlink, supernode } from '../testing/builders';
import {
  argvOf,
  controlPort,
  fleetPorts,
  flowerProcesses,
  hostOfAddress,
  internalPorts,
  roleOf,
  shellWords,
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
    expect(fleetPorts(http)).toEqual([8000]);
    expect(controlPort(http)).toBeUndefined();
    const explicit = flowerProcesses(toWorkload(superlink())!)[0];
    expect(fleetPorts(explicit)).toEqual([9092]);
  });

  it('splits host:port addresses', () => {
    expect(hostOfAddress('superlink.ns.svc:9092')).toBe('superlink.ns.svc');
    expect(hostOfAddress('[2001:db8::1]:9092')).toBe('2001:db8::1');
    expect(hostOfAddress('fl.example.com')).toBe('fl.example.com');
  });
});
