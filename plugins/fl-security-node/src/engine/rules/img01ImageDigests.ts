/**
 * IMG-01: every container of an FL pod runs an image pinned by digest.
 * A tag-only image warns (checkov CKV_K8S_43), and so does `:latest` or no
 * tag at all; with a tag, an imagePullPolicy other than Always (set, or
 * Kubernetes' default for a tag) is named too: the node then runs what it
 * cached under the tag. Init containers count: they run with the pod's
 * volumes and ServiceAccount.
 */
import { str } from '../model/objects';
import type { Container } from '../model/workloads';
import { Note, defineRule, each, verdict, worstOf } from '../ruleKit';
import { describe } from './shared/describe';
import { members } from './shared/subjects';

/** The digest forms a container runtime verifies (OCI image-spec registered algorithms). */
const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export interface ImagePin {
  /** Tag of the last path segment; undefined when the reference names none. */
  tag?: string;
  /** Text after `@`; undefined when the reference names none. */
  digest?: string;
  /** True when {@link digest} is a digest the runtime can verify. */
  digestValid: boolean;
}

/** Splits `[registry[:port]/]path[:tag][@digest]` (the registry port is not a tag). */
export function imagePin(image: string): ImagePin {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  const tag = colon >= 0 ? lastSegment.slice(colon + 1) : undefined;
  return {
    tag,
    digest,
    digestValid: digest !== undefined && DIGEST.test(digest),
  };
}

/**
 * The pull policy Kubernetes applies: the container's own, else Always for
 * `:latest` or no tag and IfNotPresent otherwise (digest included).
 */
export function effectivePullPolicy(container: Container): {
  policy: string;
  defaulted: boolean;
} {
  const set = str(container.raw.imagePullPolicy);
  if (set) return { policy: set, defaulted: false };
  const { tag, digest } = imagePin(container.image);
  const latest =
    digest === undefined && (tag === undefined || tag === 'latest');
  return { policy: latest ? 'Always' : 'IfNotPresent', defaulted: true };
}

function pullPolicyNote(container: Container): string {
  const { policy, defaulted } = effectivePullPolicy(container);
  if (policy === 'Always') return '';
  const how = defaulted
    ? `imagePullPolicy ${policy} (the default for a tag)`
    : `imagePullPolicy ${policy}`;
  return ` with ${how}: a node runs whatever it cached under that tag`;
}

function containerNote(container: Container): Note | undefined {
  const c = `container ${container.name}`;
  const { image } = container;
  if (!image.trim())
    return {
      status: 'error',
      text: `${c} names no image, so what it runs cannot be told`,
    };
  const pin = imagePin(image);
  if (pin.digestValid) return undefined;
  if (pin.digest !== undefined)
    return {
      status: 'warn',
      text: `${c} runs ${image}, whose digest is not a sha256/sha512 digest`,
    };
  if (pin.tag === undefined || pin.tag === 'latest') {
    const what = pin.tag === undefined ? 'no tag' : 'the mutable tag latest';
    return {
      status: 'warn',
      text: `${c} runs ${image} with ${what} and no digest${pullPolicyNote(
        container,
      )}`,
    };
  }
  return {
    status: 'warn',
    text: `${c} runs ${image} by tag only (no digest)${pullPolicyNote(
      container,
    )}`,
  };
}

export const img01ImageDigests = defineRule({
  id: 'IMG-01',
  checks: [
    each(members, member => {
      const notes = member.workload.containers
        .map(containerNote)
        .filter((note): note is Note => note !== undefined);
      return verdict(
        worstOf(notes),
        notes.length
          ? `${describe(member)}: ${notes.map(n => n.text).join('; ')}.`
          : `${describe(member)} pins every image by digest.`,
      );
    }),
  ],
});
