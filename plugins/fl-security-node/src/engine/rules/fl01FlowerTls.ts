/**
 * FL-01: the SuperLink serves TLS (no --insecure; --ssl-ca-certfile,
 * --ssl-certfile and --ssl-keyfile present and mounted) and every SuperNode
 * verifies it (--root-certificates or the system trust store; --insecure
 * fails).
 */
import type { CheckStatus } from '@fl-security/plugin-fl-security-common';
import type { Member } from '../model/federation';
import { FlowerProcess, flagValue } from '../model/flower';
import { resolveFile } from '../model/volumes';
import { describe, finding, workloadRef } from './helpers';
import type { Finding, Rule } from './types';

const SERVER_FLAGS = ['--ssl-ca-certfile', '--ssl-certfile', '--ssl-keyfile'];

function checkAggregator(
  member: Member,
  process: FlowerProcess,
): { status: CheckStatus; text: string } {
  const where = `container ${process.container.name} of ${describe(member)}`;
  if (process.flags.has('--insecure')) {
    return {
      status: 'fail',
      text: `${where} runs flower-superlink with --insecure: the Fleet API is plain text`,
    };
  }
  const missing = SERVER_FLAGS.filter(flag => !flagValue(process, flag));
  if (missing.length) {
    return {
      status: 'fail',
      text: `${where} runs flower-superlink without ${missing.join(
        ', ',
      )}: it does not serve TLS`,
    };
  }
  const unmounted = SERVER_FLAGS.flatMap(flag => {
    const source = resolveFile(
      member.workload,
      process.container,
      flagValue(process, flag)!,
    );
    return source.kind === 'unmounted' ? [`${flag} (${source.reason})`] : [];
  });
  if (unmounted.length) {
    return {
      status: 'warn',
      text: `${where} serves TLS but the files are not mounted from a Secret: ${unmounted.join(
        ', ',
      )}`,
    };
  }
  const vault = SERVER_FLAGS.some(
    flag =>
      resolveFile(member.workload, process.container, flagValue(process, flag)!)
        .kind === 'VaultAgent',
  );
  return {
    status: 'pass',
    text: `${where} serves TLS (--ssl-ca-certfile, --ssl-certfile, --ssl-keyfile${
      vault ? ', rendered by the Vault agent' : ''
    })`,
  };
}

function checkParticipant(
  member: Member,
  process: FlowerProcess,
): { status: CheckStatus; text: string } {
  const where = `container ${process.container.name} of ${describe(member)}`;
  if (process.flags.has('--insecure')) {
    return {
      status: 'fail',
      text: `${where} runs flower-supernode with --insecure: it neither encrypts nor verifies the SuperLink`,
    };
  }
  const root = flagValue(process, '--root-certificates');
  if (!root)
    return {
      status: 'pass',
      text: `${where} verifies the SuperLink with the system trust store`,
    };
  const source = resolveFile(member.workload, process.container, root);
  if (source.kind === 'unmounted') {
    return {
      status: 'warn',
      text: `${where} verifies the SuperLink with ${root}, which is not mounted from a Secret or ConfigMap (${source.reason})`,
    };
  }
  const from =
    source.kind === 'VaultAgent'
      ? 'the Vault agent'
      : `${source.kind} ${source.name}`;
  return {
    status: 'pass',
    text: `${where} verifies the SuperLink with --root-certificates from ${from}`,
  };
}

export const fl01FlowerTls: Rule = {
  id: 'FL-01',
  evaluate({ federation }) {
    const findings: Finding[] = [];
    for (const member of [
      ...federation.aggregators,
      ...federation.participants,
    ]) {
      const resource = workloadRef(member);
      const processes = member.flower.filter(p => p.role === member.role);
      if (processes.length === 0) {
        findings.push(
          finding(
            'error',
            resource,
            `${describe(member)} is labelled ${
              member.role
            } but runs no recognisable Flower process (flower-superlink/flower-supernode): its TLS settings cannot be verified.`,
          ),
        );
        continue;
      }
      for (const process of processes) {
        const check =
          member.role === 'aggregator'
            ? checkAggregator(member, process)
            : checkParticipant(member, process);
        findings.push(finding(check.status, resource, `${check.text}.`));
      }
    }
    return findings;
  },
};
