/**
 * POD-01: FL pods meet the restricted Pod Security Standard: runAsNonRoot,
 * no root UID, allowPrivilegeEscalation false, capabilities drop ALL (only
 * NET_BIND_SERVICE may be added), seccomp RuntimeDefault/Localhost, no
 * privileged, hostNetwork/hostPID/hostIPC, hostPort or hostPath. A writable
 * root filesystem warns.
 */
import { bool, num, record, records, str, strings } from '../model/objects';
import { Note, defineRule, each, verdict, worstOf } from '../ruleKit';
import { describe } from './shared/describe';
import { members } from './shared/subjects';

export function podSecurityProblems(
  podSpec: Record<string, unknown>,
  containers: Array<{
    name: string;
    raw: Record<string, unknown>;
    ports: Array<{ hostPort?: number }>;
  }>,
): Note[] {
  const problems: Note[] = [];
  const fail = (text: string) => problems.push({ status: 'fail', text });
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (podSpec[field] === true) fail(`${field}: true`);
  }
  const hostPaths = records(podSpec.volumes)
    .filter(v => v.hostPath)
    .map(v => str(v.name));
  if (hostPaths.length) fail(`hostPath volume(s) ${hostPaths.join(', ')}`);
  const pod = record(podSpec.securityContext);
  for (const container of containers) {
    const sc = record(container.raw.securityContext);
    const c = `container ${container.name}`;
    if (sc.privileged === true) fail(`${c} is privileged`);
    if (sc.allowPrivilegeEscalation !== false)
      fail(`${c} does not set allowPrivilegeEscalation: false`);
    const caps = record(sc.capabilities);
    if (
      !strings(caps.drop)
        .map(s => s.toUpperCase())
        .includes('ALL')
    )
      fail(`${c} does not drop ALL capabilities`);
    const added = strings(caps.add).filter(
      cap => cap.toUpperCase().replace(/^CAP_/, '') !== 'NET_BIND_SERVICE',
    );
    if (added.length) fail(`${c} adds capabilities ${added.join(', ')}`);
    const nonRoot = bool(sc.runAsNonRoot) ?? bool(pod.runAsNonRoot);
    if (nonRoot !== true) fail(`${c} does not set runAsNonRoot: true`);
    if ((num(sc.runAsUser) ?? num(pod.runAsUser)) === 0)
      fail(`${c} runs as UID 0`);
    const seccomp =
      str(record(sc.seccompProfile).type) ??
      str(record(pod.seccompProfile).type);
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
      fail(`${c} has no RuntimeDefault seccomp profile`);
    if (container.ports.some(p => p.hostPort)) fail(`${c} uses a hostPort`);
    if (sc.readOnlyRootFilesystem !== true)
      problems.push({
        status: 'warn',
        text: `${c} has a writable root filesystem`,
      });
  }
  return problems;
}

export const pod01PodSecurity = defineRule({
  id: 'POD-01',
  checks: [
    each(members, member => {
      const problems = podSecurityProblems(
        member.workload.podSpec,
        member.workload.containers,
      );
      return verdict(
        worstOf(problems),
        problems.length
          ? `${describe(member)}: ${problems.map(p => p.text).join('; ')}.`
          : `${describe(
              member,
            )} meets the restricted Pod Security profile with a read-only root filesystem.`,
      );
    }),
  ],
});
