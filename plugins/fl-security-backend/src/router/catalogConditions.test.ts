import {
  AuthorizeResult,
  ConditionalPolicyDecision,
} from '@backstage/plugin-permission-common';
import { conditionalDecisionToPredicate } from './catalogConditions';

const decision = (
  conditions: any,
  pluginId = 'catalog',
): ConditionalPolicyDecision => ({
  result: AuthorizeResult.CONDITIONAL,
  pluginId,
  resourceType: 'catalog-entity',
  conditions,
});
const rule = (name: string, params: object) => ({
  rule: name,
  resourceType: 'catalog-entity',
  params,
});

describe('conditionalDecisionToPredicate', () => {
  it('maps the catalog rules as the catalog queries them', () => {
    expect(
      conditionalDecisionToPredicate(
        decision({
          anyOf: [
            rule('IS_ENTITY_OWNER', { claims: ['group:default/team-a'] }),
            {
              allOf: [
                rule('IS_ENTITY_KIND', { kinds: ['Component'] }),
                rule('HAS_ANNOTATION', { annotation: 'fl-security/enabled' }),
                rule('HAS_LABEL', { label: 'tier', value: 'gold' }),
                rule('HAS_METADATA', { key: 'namespace', value: 'team-a' }),
                {
                  not: rule('HAS_SPEC', { key: 'lifecycle', value: 'retired' }),
                },
              ],
            },
          ],
        }),
      ),
    ).toEqual({
      $any: [
        { 'relations.ownedBy': { $in: ['group:default/team-a'] } },
        {
          $all: [
            { kind: { $in: ['Component'] } },
            { 'metadata.annotations.fl-security/enabled': { $exists: true } },
            { 'metadata.labels.tier': 'gold' },
            { 'metadata.namespace': 'team-a' },
            { $not: { 'spec.lifecycle': 'retired' } },
          ],
        },
      ],
    });
  });

  it('gives no filter when any part cannot be expressed', () => {
    expect(
      conditionalDecisionToPredicate(
        decision({
          allOf: [
            rule('IS_ENTITY_OWNER', { claims: ['user:default/a'] }),
            rule('SOME_CUSTOM_RULE', {}),
          ],
        }),
      ),
    ).toBeUndefined();
    expect(
      conditionalDecisionToPredicate(
        decision({ not: rule('IS_ENTITY_OWNER', { claims: 'nope' }) }),
      ),
    ).toBeUndefined();
    expect(
      conditionalDecisionToPredicate(
        decision(rule('IS_ENTITY_OWNER', { claims: ['x'] }), 'other-plugin'),
      ),
    ).toBeUndefined();
  });
});
