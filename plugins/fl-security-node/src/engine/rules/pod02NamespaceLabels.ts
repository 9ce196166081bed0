/**
 * POD-02: every namespace of the federation enforces the restricted Pod
 * Security Standard (`pod-security.kubernetes.io/enforce: restricted`);
 * baseline warns.
 */
import { finding, gapFinding, namespaceRef } from './helpers';
import type { Finding, Rule } from './types';

const ENFORCE = 'pod-security.kubernetes.io/enforce';

export const pod02NamespaceLabels: Rule = {
  id: 'POD-02',
  evaluate({ federation }) {
    const findings: Finding[] = [];
    for (const { index, name } of federation.namespaces) {
      const resource = namespaceRef(index, name);
      const info = index.namespaces.get(name);
      if (!info?.object) {
        const gap = index.gapFor('Namespace', undefined, name);
        if (gap) findings.push(gapFinding(gap, resource, `Namespace ${name}`));
        else if (index.offline)
          findings.push(
            finding(
              'warn',
              resource,
              `Namespace ${name} is not in the manifests: its Pod Security labels cannot be confirmed.`,
            ),
          );
        else
          findings.push(
            finding('error', resource, `Namespace ${name} could not be read.`),
          );
        continue;
      }
      const level = info.labels[ENFORCE];
      if (level === 'restricted') {
        findings.push(
          finding(
            'pass',
            resource,
            `Namespace ${name} enforces the restricted Pod Security Standard.`,
          ),
        );
      } else if (level === 'baseline') {
        findings.push(
          finding(
            'warn',
            resource,
            `Namespace ${name} enforces only the baseline Pod Security Standard.`,
          ),
        );
      } else {
        findings.push(
          finding(
            'fail',
            resource,
            `Namespace ${name} ${
              level ? `enforces ${level}` : `has no ${ENFORCE} label`
            }: privileged pods may run next to the federation.`,
          ),
        );
      }
    }
    return findings;
  },
};
