/**
 * SEC-01: FL pods carry no secret literals in env values or in the
 * ConfigMaps they read; env taken from Secrets warns (files are safer).
 * Messages name variables and keys, never values.
 */
import { record, records, str } from '../model/objects';
import type { Member } from '../model/federation';
import { Note, defineRule, each, verdict, worstOf } from '../ruleKit';
import { describe } from './shared/describe';
import { members } from './shared/subjects';

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

/** Env literals and Secret-sourced env of every container. */
function envNotes(member: Member): Note[] {
  const notes: Note[] = [];
  for (const container of member.workload.containers) {
    const c = `container ${container.name}`;
    for (const env of records(container.raw.env)) {
      const name = str(env.name) ?? '';
      const value = env.value;
      if (typeof value === 'string' && looksSecret(name, value))
        notes.push({
          status: 'fail',
          text: `${c} env ${name} is a literal secret`,
        });
      else if (record(env.valueFrom).secretKeyRef)
        notes.push({
          status: 'warn',
          text: `${c} env ${name} comes from a Secret (prefer a mounted file)`,
        });
    }
    for (const from of records(container.raw.envFrom)) {
      const secret = str(record(from.secretRef).name);
      if (secret)
        notes.push({
          status: 'warn',
          text: `${c} takes its environment from Secret ${secret} (prefer mounted files)`,
        });
    }
  }
  return notes;
}

/** ConfigMaps the pods read that hold secret-looking keys (names only, never values). */
function configMapNotes(member: Member): Note[] {
  const notes: Note[] = [];
  for (const name of configMapsRead(member)) {
    const configMap = member.index.get(
      'ConfigMap',
      member.workload.namespace,
      name,
    );
    if (!configMap) continue;
    const keys = Object.entries(record(configMap.data))
      .filter(
        ([key, value]) => typeof value === 'string' && looksSecret(key, value),
      )
      .map(([key]) => key);
    if (keys.length)
      notes.push({
        status: 'fail',
        text: `ConfigMap ${name} holds secret-looking key(s) ${keys.join(
          ', ',
        )}`,
      });
  }
  return notes;
}

export const sec01SecretLiterals = defineRule({
  id: 'SEC-01',
  checks: [
    each(members, member => {
      const notes = [...envNotes(member), ...configMapNotes(member)];
      return verdict(
        worstOf(notes),
        notes.length
          ? `${describe(member)}: ${notes.map(n => n.text).join('; ')}.`
          : `${describe(
              member,
            )} has no secret literal in env or in the ConfigMaps it reads.`,
      );
    }),
  ],
});
