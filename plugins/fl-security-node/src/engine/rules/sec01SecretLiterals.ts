/**
 * SEC-01: FL pods carry no secret literals in env values or in the
 * ConfigMaps they read; env taken from Secrets warns (files are safer).
 * Messages name variables and keys, never values.
 */
import type { CheckStatus } from '@fl-security/plugin-fl-security-common';
import { record, records, str } from '../model/objects';
import type { Member } from '../model/federation';
import { describe, finding, worst, workloadRef } from './helpers';
import type { Finding, Rule } from './types';

const SECRET_NAME =
  /(pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|credential|access[-_]?key|auth[-_]?key)(s)?$|^(pass(word|wd)?|secret|token)[-_]/i;
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
/** Well-known token shapes (AWS access keys, GitHub, Slack, JWTs). */
const TOKEN_SHAPES =
  /^(AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|xox[abpr]-[A-Za-z0-9-]{10,}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})$/;

export function looksSecret(name: string, value: string): boolean {
  if (!value.trim()) return false;
  return (
    SECRET_NAME.test(name) ||
    PRIVATE_KEY_PEM.test(value) ||
    TOKEN_SHAPES.test(value.trim())
  );
}

function configMapsRead(member: Member): Set<string> {
  const names = new Set<string>();
  for (const container of member.workload.containers) {
    for (const from of records(container.raw.envFrom)) {
      const name = str(record(from.configMapRef).name);
      if (name) names.add(name);
    }
    for (const env of records(container.raw.env)) {
      const name = str(record(record(env.valueFrom).configMapKeyRef).name);
      if (name) names.add(name);
    }
  }
  for (const volume of records(member.workload.podSpec.volumes)) {
    const name = str(record(volume.configMap).name);
    if (name) names.add(name);
    for (const source of records(record(volume.projected).sources)) {
      const projected = str(record(source.configMap).name);
      if (projected) names.add(projected);
    }
  }
  return names;
}

export const sec01SecretLiterals: Rule = {
  id: 'SEC-01',
  evaluate({ federation }) {
    const findings: Finding[] = [];
    for (const member of federation.members) {
      let status: CheckStatus = 'pass';
      const notes: string[] = [];
      for (const container of member.workload.containers) {
        for (const env of records(container.raw.env)) {
          const name = str(env.name) ?? '';
          const value = env.value;
          if (typeof value === 'string' && looksSecret(name, value)) {
            status = worst(status, 'fail');
            notes.push(
              `container ${container.name} env ${name} is a literal secret`,
            );
          } else if (record(env.valueFrom).secretKeyRef) {
            status = worst(status, 'warn');
            notes.push(
              `container ${container.name} env ${name} comes from a Secret (prefer a mounted file)`,
            );
          }
        }
        for (const from of records(container.raw.envFrom)) {
          const secret = str(record(from.secretRef).name);
          if (secret) {
            status = worst(status, 'warn');
            notes.push(
              `container ${container.name} takes its environment from Secret ${secret} (prefer mounted files)`,
            );
          }
        }
      }
      for (const name of configMapsRead(member)) {
        const configMap = member.index.get(
          'ConfigMap',
          member.workload.namespace,
          name,
        );
        if (!configMap) continue;
        const keys = Object.entries(record(configMap.data))
          .filter(
            ([key, value]) =>
              typeof value === 'string' && looksSecret(key, value),
          )
          .map(([key]) => key);
        if (keys.length) {
          status = worst(status, 'fail');
          notes.push(
            `ConfigMap ${name} holds secret-looking key(s) ${keys.join(', ')}`,
          );
        }
      }
      findings.push(
        finding(
          status,
          workloadRef(member),
          notes.length
            ? `${describe(member)}: ${notes.join('; ')}.`
            : `${describe(
                member,
              )} has no secret literal in env or in the ConfigMaps it reads.`,
        ),
      );
    }
    return findings;
  },
};
