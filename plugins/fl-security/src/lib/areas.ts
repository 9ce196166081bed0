import type { RuleArea } from '@fl-security/plugin-fl-security-common';

/** Area shown for results whose rule is unknown to this frontend. */
export const OTHER_AREA = 'other';
export type DisplayArea = RuleArea | typeof OTHER_AREA;

export const AREA_ORDER: readonly DisplayArea[] = [
  'scope',
  'network',
  'tls',
  'end-to-end',
  'participant-auth',
  'pod-security',
  'images',
  'secrets',
  'mesh',
  OTHER_AREA,
];

export const AREA_TITLES: Record<DisplayArea, string> = {
  network: 'Network policy',
  tls: 'TLS & certificates',
  'end-to-end': 'End-to-end',
  'participant-auth': 'Participant authentication',
  'pod-security': 'Pod security',
  images: 'Container images',
  secrets: 'Vault/secrets',
  mesh: 'Mesh',
  scope: 'Read scope',
  [OTHER_AREA]: 'Other checks',
};
