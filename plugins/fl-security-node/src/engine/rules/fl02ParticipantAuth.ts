/**
 * FL-02: participants authenticate. Flower does not request X.509 client
 * certificates; its node authentication (SuperLink --enable-supernode-auth,
 * SuperNode --auth-supernode-private-key) or mesh STRICT mTLS on the
 * aggregator is required.
 */
import type { Member } from '../model/federation';
import { flagValue } from '../model/flower';
import { effectiveMtls, meshInUse } from '../model/mesh';
import { describe, finding, workloadRef } from './helpers';
import { aggregatorPorts } from './reachabilityAnalysis';
import type { Finding, Rule } from './types';

function strictMesh(aggregator: Member | undefined): boolean {
  if (
    !aggregator ||
    !meshInUse(aggregator.index, [aggregator.workload.namespace])
  )
    return false;
  const ports = aggregatorPorts(aggregator);
  return (
    ports.length > 0 &&
    ports.every(port => effectiveMtls(aggregator, port).mode === 'STRICT')
  );
}

export const fl02ParticipantAuth: Rule = {
  id: 'FL-02',
  evaluate({ federation }) {
    const findings: Finding[] = [];
    const mesh =
      federation.aggregators.length > 0 &&
      federation.aggregators.every(strictMesh);
    const nodeAuth = federation.aggregators.some(a =>
      a.flower.some(
        p => p.role === 'aggregator' && p.flags.has('--enable-supernode-auth'),
      ),
    );
    for (const aggregator of federation.aggregators) {
      const resource = workloadRef(aggregator);
      const processes = aggregator.flower.filter(p => p.role === 'aggregator');
      if (processes.length === 0) {
        findings.push(
          finding(
            mesh ? 'pass' : 'error',
            resource,
            mesh
              ? `${describe(aggregator)} is covered by STRICT mesh mTLS.`
              : `${describe(
                  aggregator,
                )} runs no recognisable flower-superlink: participant authentication cannot be verified.`,
          ),
        );
        continue;
      }
      for (const process of processes) {
        const enabled = process.flags.has('--enable-supernode-auth');
        if (enabled && process.flags.has('--insecure')) {
          findings.push(
            finding(
              'fail',
              resource,
              `${describe(
                aggregator,
              )} enables SuperNode authentication but runs --insecure (node authentication requires TLS).`,
            ),
          );
        } else if (enabled) {
          findings.push(
            finding(
              'pass',
              resource,
              `${describe(
                aggregator,
              )} requires SuperNode authentication (--enable-supernode-auth).`,
            ),
          );
        } else if (mesh) {
          findings.push(
            finding(
              'pass',
              resource,
              `${describe(
                aggregator,
              )} does not enable Flower node authentication, but STRICT mesh mTLS authenticates its peers.`,
            ),
          );
        } else {
          findings.push(
            finding(
              'fail',
              resource,
              `${describe(
                aggregator,
              )} runs without --enable-supernode-auth and no STRICT mesh mTLS covers it: any client reaching the Fleet API can join.`,
            ),
          );
        }
      }
    }
    for (const participant of federation.participants) {
      const resource = workloadRef(participant);
      const processes = participant.flower.filter(
        p => p.role === 'participant',
      );
      if (processes.length === 0) {
        findings.push(
          finding(
            mesh ? 'pass' : 'error',
            resource,
            mesh
              ? `${describe(participant)} is authenticated by STRICT mesh mTLS.`
              : `${describe(
                  participant,
                )} runs no recognisable flower-supernode: its authentication cannot be verified.`,
          ),
        );
        continue;
      }
      for (const process of processes) {
        const key = flagValue(process, '--auth-supernode-private-key');
        if (key) {
          findings.push(
            finding(
              nodeAuth || !federation.aggregators.length ? 'pass' : 'warn',
              resource,
              `${describe(
                participant,
              )} signs its requests with --auth-supernode-private-key${
                nodeAuth
                  ? ''
                  : ', but no aggregator enforces node authentication'
              }.`,
            ),
          );
        } else if (mesh) {
          findings.push(
            finding(
              'pass',
              resource,
              `${describe(
                participant,
              )} has no Flower node key, but STRICT mesh mTLS authenticates it.`,
            ),
          );
        } else {
          findings.push(
            finding(
              'fail',
              resource,
              `${describe(
                participant,
              )} runs without --auth-supernode-private-key: it cannot authenticate to the SuperLink.`,
            ),
          );
        }
      }
    }
    return findings;
  },
};
