/**
 * FL-02: participants authenticate. Flower does not request X.509 client
 * certificates; its node authentication (SuperLink --enable-supernode-auth,
 * SuperNode --auth-supernode-private-key) or mesh STRICT mTLS on the
 * aggregator is required.
 */
import type { Federation, Member } from '../model/federation';
import { FlowerProcess, flagValue } from '../model/flower';
import { effectiveMtls, meshInUse } from '../model/mesh';
import {
  RuleContext,
  Verdict,
  defineRule,
  each,
  error,
  fail,
  pass,
  perFederation,
  verdict,
} from '../ruleKit';
import { describe } from './shared/describe';
import { aggregatorPorts } from './shared/reachability';
import { aggregators, participants } from './shared/subjects';

function strictMesh(aggregator: Member): boolean {
  if (!meshInUse(aggregator.index, [aggregator.workload.namespace]))
    return false;
  const ports = aggregatorPorts(aggregator);
  return (
    ports.length > 0 &&
    ports.every(port => effectiveMtls(aggregator, port).mode === 'STRICT')
  );
}

/** How the federation authenticates participants, decided once. */
const authOf = perFederation((federation: Federation) => ({
  /** STRICT mesh mTLS covers every aggregator. */
  mesh:
    federation.aggregators.length > 0 &&
    federation.aggregators.every(strictMesh),
  /** Some SuperLink enforces Flower node authentication. */
  nodeAuth: federation.aggregators.some(a =>
    a.flower.some(
      p => p.role === 'aggregator' && p.flags.has('--enable-supernode-auth'),
    ),
  ),
  aggregators: federation.aggregators.length,
}));

type Auth = ReturnType<typeof authOf>;

function checkSuperLink(who: string, process: FlowerProcess, { mesh }: Auth) {
  const enabled = process.flags.has('--enable-supernode-auth');
  if (enabled && process.flags.has('--insecure'))
    return fail(
      `${who} enables SuperNode authentication but runs --insecure (node authentication requires TLS).`,
    );
  if (enabled)
    return pass(
      `${who} requires SuperNode authentication (--enable-supernode-auth).`,
    );
  if (mesh)
    return pass(
      `${who} does not enable Flower node authentication, but STRICT mesh mTLS authenticates its peers.`,
    );
  return fail(
    `${who} runs without --enable-supernode-auth and no STRICT mesh mTLS covers it: any client reaching the Fleet API can join.`,
  );
}

function checkSuperNode(who: string, process: FlowerProcess, auth: Auth) {
  if (flagValue(process, '--auth-supernode-private-key'))
    return verdict(
      auth.nodeAuth || !auth.aggregators ? 'pass' : 'warn',
      `${who} signs its requests with --auth-supernode-private-key${
        auth.nodeAuth ? '' : ', but no aggregator enforces node authentication'
      }.`,
    );
  if (auth.mesh)
    return pass(
      `${who} has no Flower node key, but STRICT mesh mTLS authenticates it.`,
    );
  return fail(
    `${who} runs without --auth-supernode-private-key: it cannot authenticate to the SuperLink.`,
  );
}

/** Each Flower process of the role; without one, only STRICT mesh mTLS can vouch. */
function processesOf(
  role: 'aggregator' | 'participant',
  without: { mesh: string; none: string },
  judge: (who: string, process: FlowerProcess, auth: Auth) => Verdict,
) {
  return (member: Member, { federation }: RuleContext) => {
    const auth = authOf(federation);
    const who = describe(member);
    const processes = member.flower.filter(p => p.role === role);
    if (processes.length === 0)
      return auth.mesh
        ? pass(`${who} ${without.mesh}.`)
        : error(`${who} ${without.none}.`);
    return processes.map(process => judge(who, process, auth));
  };
}

export const fl02ParticipantAuth = defineRule({
  id: 'FL-02',
  checks: [
    each(
      aggregators,
      processesOf(
        'aggregator',
        {
          mesh: 'is covered by STRICT mesh mTLS',
          none: 'runs no recognisable flower-superlink: participant authentication cannot be verified',
        },
        checkSuperLink,
      ),
    ),
    each(
      participants,
      processesOf(
        'participant',
        {
          mesh: 'is authenticated by STRICT mesh mTLS',
          none: 'runs no recognisable flower-supernode: its authentication cannot be verified',
        },
        checkSuperNode,
      ),
    ),
  ],
});
