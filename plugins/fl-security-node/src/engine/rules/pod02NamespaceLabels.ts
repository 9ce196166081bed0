/**
 * POD-02: every namespace of the federation enforces the restricted Pod
 * Security Standard (`pod-security.kubernetes.io/enforce: restricted`);
 * baseline warns.
 */
import type { NamespaceRef } from '../model/federation';
import {
  DataNeed,
  defineRule,
  each,
  error,
  fail,
  gapVerdict,
  pass,
  warn,
} from '../ruleKit';
import { namespaces } from './shared/subjects';

const ENFORCE = 'pod-security.kubernetes.io/enforce';

/** The Namespace object itself (its labels): why it is missing, when it is. */
const NAMESPACE_OBJECT: DataNeed<NamespaceRef> = {
  kind: 'Namespace',
  missing({ index, name }) {
    if (index.namespaces.get(name)?.object) return undefined;
    const gap = index.gapFor('Namespace', undefined, name);
    if (gap) return gapVerdict(gap, `Namespace ${name}`);
    return index.offline
      ? warn(
          `Namespace ${name} is not in the manifests: its Pod Security labels cannot be confirmed.`,
        )
      : error(`Namespace ${name} could not be read.`);
  },
};

export const pod02NamespaceLabels = defineRule({
  id: 'POD-02',
  checks: [
    each(
      namespaces,
      ({ index, name }) => {
        const level = index.namespaces.get(name)!.labels[ENFORCE];
        if (level === 'restricted')
          return pass(
            `Namespace ${name} enforces the restricted Pod Security Standard.`,
          );
        if (level === 'baseline')
          return warn(
            `Namespace ${name} enforces only the baseline Pod Security Standard.`,
          );
        return fail(
          `Namespace ${name} ${
            level ? `enforces ${level}` : `has no ${ENFORCE} label`
          }: privileged pods may run next to the federation.`,
        );
      },
      [NAMESPACE_OBJECT],
    ),
  ],
});
