import { Compliance, RuleAllowances, RuleContext, RuleResult, SynthesizedResource } from "./rule";

// Reading synthesized Terraform JSON (cdk.tf.json): resources, references, unresolved values.

export function createRuleContext(stacks: Readonly<Record<string, any>>, allow: RuleAllowances = {}): RuleContext {
  return {
    stacks,
    allow,
    resources(type: string, stack?: string): SynthesizedResource[] {
      const names = stack === undefined ? Object.keys(stacks) : [stack];
      return names.flatMap((name) =>
        Object.entries<Record<string, any>>(stacks[name]?.resource?.[type] ?? {}).map(([id, config]) => ({
          stack: name,
          type,
          id,
          address: `${type}.${id}`,
          config,
        })),
      );
    },
    dataSources(type: string, stack: string): Record<string, Record<string, any>> {
      return stacks[stack]?.data?.[type] ?? {};
    },
  };
}

/** A value Terraform computes at plan time ("${...}"): rules do not judge it. */
export function isUnresolved(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The logical id in a whole-value reference "${<type>.<id>.<attribute>}", or undefined.
 * `type` may be "data.<type>" for a data source.
 */
export function referencedId(value: unknown, type: string, attribute = "id"): string | undefined {
  if (typeof value !== "string") return undefined;
  const match = new RegExp(`^\\$\\{${escape(type)}\\.([A-Za-z0-9_-]+)\\.${escape(attribute)}\\}$`).exec(value);
  return match?.[1];
}

/** A list attribute's items; an unresolved list (one "${...}" string) or a missing one gives []. */
export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function compliant(r: { stack: string; address: string }): RuleResult {
  return { stack: r.stack, resource: r.address, compliance: Compliance.COMPLIANT };
}

export function nonCompliant(r: { stack: string; address: string }, detail: string): RuleResult {
  return { stack: r.stack, resource: r.address, compliance: Compliance.NON_COMPLIANT, detail };
}

export function notApplicable(r: { stack: string; address: string }): RuleResult {
  return { stack: r.stack, resource: r.address, compliance: Compliance.NOT_APPLICABLE };
}

/** A value for a message: "not set" or its JSON. */
export function show(value: unknown): string {
  return value === undefined ? "not set" : JSON.stringify(value);
}
