/**
 * Conditional decisions on catalog entities as catalog queries: a policy
 * answering CONDITIONAL for fl-security.report.read (for example
 * `createCatalogConditionalDecision(permission,
 * catalogConditions.isEntityOwner(...))`) becomes a filter of the fleet's
 * catalog query, so its pages hold only entities the caller may read. The
 * rules mirror the catalog's own `toQuery` (plugin-catalog-backend
 * permissions/rules). An unknown rule yields no filter: the fleet then asks
 * the permission framework entity by entity (resourceRef), which it does
 * for every conditional decision anyway.
 */
import { QueryEntitiesInitialRequest } from '@backstage/catalog-client';
import {
  ConditionalPolicyDecision,
  PermissionCondition,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';

export type EntityPredicate = NonNullable<QueryEntitiesInitialRequest['query']>;

type Params = Record<string, unknown>;

function text(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function texts(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(text);
}

/** `{ key: value }`, or `{ key: { $exists: true } }` without a value. */
function property(key: string, value: unknown): EntityPredicate | undefined {
  if (value === undefined) {
    return { [key]: { $exists: true } } as EntityPredicate;
  }
  return text(value) ? ({ [key]: value } as EntityPredicate) : undefined;
}

function ruleToPredicate(
  condition: PermissionCondition,
): EntityPredicate | undefined {
  const params = (condition.params ?? {}) as Params;
  switch (condition.rule) {
    case 'IS_ENTITY_OWNER':
      return texts(params.claims)
        ? { 'relations.ownedBy': { $in: params.claims } }
        : undefined;
    case 'IS_ENTITY_KIND':
      return texts(params.kinds) ? { kind: { $in: params.kinds } } : undefined;
    case 'HAS_ANNOTATION':
      return text(params.annotation)
        ? property(`metadata.annotations.${params.annotation}`, params.value)
        : undefined;
    case 'HAS_LABEL':
      return text(params.label)
        ? property(`metadata.labels.${params.label}`, params.value)
        : undefined;
    case 'HAS_METADATA':
      return text(params.key)
        ? property(`metadata.${params.key}`, params.value)
        : undefined;
    case 'HAS_SPEC':
      return text(params.key)
        ? property(`spec.${params.key}`, params.value)
        : undefined;
    default:
      return undefined;
  }
}

function criteriaToPredicate(
  criteria: PermissionCriteria<PermissionCondition>,
): EntityPredicate | undefined {
  if ('allOf' in criteria) {
    const parts = criteria.allOf.map(criteriaToPredicate);
    return parts.every(Boolean)
      ? { $all: parts as EntityPredicate[] }
      : undefined;
  }
  if ('anyOf' in criteria) {
    const parts = criteria.anyOf.map(criteriaToPredicate);
    return parts.every(Boolean)
      ? { $any: parts as EntityPredicate[] }
      : undefined;
  }
  if ('not' in criteria) {
    const inner = criteriaToPredicate(criteria.not);
    return inner ? { $not: inner } : undefined;
  }
  return ruleToPredicate(criteria);
}

/** The catalog query for a conditional decision, when it can be expressed. */
export function conditionalDecisionToPredicate(
  decision: ConditionalPolicyDecision,
): EntityPredicate | undefined {
  if (
    decision.pluginId !== 'catalog' ||
    decision.resourceType !== 'catalog-entity'
  ) {
    return undefined;
  }
  return criteriaToPredicate(decision.conditions);
}
