/**
 * FL-01: the SuperLink serves TLS (no --insecure; --ssl-ca-certfile,
 * --ssl-certfile and --ssl-keyfile present and mounted) and every SuperNode
 * verifies it (--root-certificates or the system trust store; --insecure
 * fails).
 */
import type { Member } from '../model/federation';
import { FlowerProcess, flagValue } from '../model/flower';
import { resolveFile } from '../model/volumes';
import { defineRule, each, error, fail, pass, warn } from '../ruleKit';
import type { Verdict } from '../ruleKit';
import { describe } from './shared/describe';
import { aggregators, participants } from './shared/subjects';

const SERVER_FLAGS = ['--ssl-ca-certfile', '--ssl-certfile', '--ssl-keyfile'];

/** A judge of one Flower process; `where` names its container and workload. */
type Judge = (member: Member, process: FlowerProcess, where: string) => Verdict;

const checkAggregator: Judge = (member, process, where) => {
  const missing = SERVER_FLAGS.filter(flag => !flagValue(process, flag));
  if (missing.length)
    return fail(
      `${where} runs flower-superlink without ${missing.join(
        ', ',
      )}: it does not serve TLS.`,
    );
  const sources = SERVER_FLAGS.map(flag => ({
    flag,
    source: resolveFile(
      member.workload,
      process.container,
      flagValue(process, flag)!,
    ),
  }));
  const unmounted = sources.flatMap(({ flag, source }) =>
    source.kind === 'unmounted' ? [`${flag} (${source.reason})`] : [],
  );
  if (unmounted.length)
    return warn(
      `${where} serves TLS but the files are not mounted from a Secret: ${unmounted.join(
        ', ',
      )}.`,
    );
  const vault = sources.some(({ source }) => source.kind === 'VaultAgent');
  return pass(
    `${where} serves TLS (--ssl-ca-certfile, --ssl-certfile, --ssl-keyfile${
      vault ? ', rendered by the Vault agent' : ''
    }).`,
  );
};

const checkParticipant: Judge = (member, process, where) => {
  const root = flagValue(process, '--root-certificates');
  if (!root)
    return pass(`${where} verifies the SuperLink with the system trust store.`);
  const source = resolveFile(member.workload, process.container, root);
  if (source.kind === 'unmounted')
    return warn(
      `${where} verifies the SuperLink with ${root}, which is not mounted from a Secret or ConfigMap (${source.reason}).`,
    );
  const from =
    source.kind === 'VaultAgent'
      ? 'the Vault agent'
      : `${source.kind} ${source.name}`;
  return pass(
    `${where} verifies the SuperLink with --root-certificates from ${from}.`,
  );
};

const INSECURE: Record<string, string> = {
  aggregator:
    'runs flower-superlink with --insecure: the Fleet API is plain text',
  participant:
    'runs flower-supernode with --insecure: it neither encrypts nor verifies the SuperLink',
};

/** Each Flower process of the member's role: --insecure fails, else `judge`; error when there is none. */
function processesOf(judge: Judge) {
  return (member: Member) => {
    const processes = member.flower.filter(p => p.role === member.role);
    if (processes.length === 0)
      return error(
        `${describe(member)} is labelled ${
          member.role
        } but runs no recognisable Flower process (flower-superlink/flower-supernode): its TLS settings cannot be verified.`,
      );
    return processes.map(process => {
      const where = `container ${process.container.name} of ${describe(
        member,
      )}`;
      return process.flags.has('--insecure')
        ? fail(`${where} ${INSECURE[member.role!]}.`)
        : judge(member, process, where);
    });
  };
}

export const fl01FlowerTls = defineRule({
  id: 'FL-01',
  checks: [
    each(aggregators, processesOf(checkAggregator)),
    each(participants, processesOf(checkParticipant)),
  ],
});
