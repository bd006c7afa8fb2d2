/** IAM policy documents as plain data: built in code, written as JSON, compared in tests. */

export type Condition = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

export interface Statement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Condition;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Statement[];
}

/** Actions allowed on resources, under an optional condition: one row of a policy before merging. */
export interface Grant {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly condition?: Condition;
}

/** IAM's limits on policy size (characters, whitespace not counted). */
export const POLICY_LIMITS = { inlineRolePolicies: 10_240, bucketPolicy: 20_480 } as const;

/** Distinct values, sorted. */
export const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].sort();
const one = (values: readonly string[]) => (values.length === 1 ? values[0] : values);

/**
 * Grants merged into as few statements as keep them exact: grants on the same resources under
 * the same condition share a statement, then statements of the same actions under the same
 * condition share their resources. Statements, actions and resources come out sorted, so the
 * same stacks always give the same document.
 */
export function mergeGrants(grants: readonly Grant[]): Statement[] {
  const byScope = groupBy(
    grants.filter((g) => g.actions.length > 0),
    (g) => JSON.stringify([sortedUnique(g.resources), g.condition ?? null]),
  );
  const scoped = [...byScope.values()].map((group) => ({ ...group[0], actions: sortedUnique(group.flatMap((g) => g.actions)) }));
  const byActions = groupBy(scoped, (g) => JSON.stringify([g.actions, g.condition ?? null]));
  return [...byActions.values()]
    .map((group) => ({
      Effect: "Allow" as const,
      Action: one(group[0].actions),
      Resource: one(sortedUnique(group.flatMap((g) => g.resources))),
      ...(group[0].condition ? { Condition: group[0].condition } : {}),
    }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** Items grouped by a key, in the order keys first appear. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

export function policyDocument(statements: readonly Statement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** A policy's size as IAM counts it: its JSON without whitespace. */
export function policySize(document: PolicyDocument): number {
  return JSON.stringify(document).length;
}

/** Every action a document allows on a resource pattern it names (for checks and tests). */
export function allowedActions(document: PolicyDocument): Set<string> {
  const actions = new Set<string>();
  for (const s of document.Statement) if (s.Effect === "Allow") [s.Action].flat().forEach((a) => actions.add(a));
  return actions;
}
