import { ALL_RULES } from "./all-rules";
import { CheckOptions, Compliance, Finding, ResourceOrigin, Rule, Suppression } from "./rule";
import { createRuleContext } from "./terraform-json";

/** Id of the error finding a broken suppression (no reason, unknown rule id) gives. */
export const SUPPRESSION_FINDING_ID = "PL-SUPPRESSION";
const SUPPRESSION_REASON = "A suppression names a known rule id and says why in a non-empty reason.";

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** What is wrong with one suppression, as messages. */
function suppressionProblems(s: Partial<Suppression> | undefined, rules: readonly Rule[]): string[] {
  const id = s?.id;
  const problems: string[] = [];
  if (typeof id !== "string" || !rules.some((r) => r.id === id)) {
    const ids = rules.map((r) => r.id);
    const wanted = typeof id === "string" ? id.toUpperCase() : "";
    const closest = [...ids].sort((a, b) => distance(wanted, a) - distance(wanted, b))[0];
    problems.push(`unknown rule id ${JSON.stringify(id)}: did you mean ${closest}? (RULES.md lists the ids)`);
  }
  if (typeof s?.reason !== "string" || s.reason.trim() === "") {
    problems.push(`suppression of ${typeof id === "string" ? id : "a rule"} has no reason: add "reason" saying why the finding is acceptable`);
  }
  return problems;
}

/** Whether a config path is `at` or below it: "a.b" holds "a.b", "a.b.c" and "a.b[0]", not "a.bc". */
export function withinConfigPath(path: string, at: string): boolean {
  return path === at || path.startsWith(`${at}.`) || path.startsWith(`${at}[`);
}

function covers(s: Suppression, finding: { id: string; stack: string; resource: string; origin?: ResourceOrigin }): boolean {
  return (
    s.id === finding.id &&
    (s.stack === undefined || s.stack === finding.stack) &&
    (s.resource === undefined || s.resource === finding.resource) &&
    (s.config === undefined || (finding.origin !== undefined && withinConfigPath(finding.origin.path, s.config)))
  );
}

/**
 * Runs every rule on the synthesized stacks (stack name -> parsed cdk.tf.json) and returns the
 * non-compliant resources as findings, suppressed ones carrying their suppression's reason.
 * A suppression without a reason or with an unknown rule id suppresses nothing and is itself an
 * error finding (id PL-SUPPRESSION, stack "(config)", resource "suppressions[<i>]").
 */
export function checkSynthesized(stacks: Readonly<Record<string, any>>, options: CheckOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const valid: Suppression[] = [];
  (options.suppressions ?? []).forEach((s, i) => {
    const problems = suppressionProblems(s, ALL_RULES);
    if (problems.length === 0) valid.push(s);
    problems.forEach((detail) =>
      findings.push({ id: SUPPRESSION_FINDING_ID, level: "error", stack: "(config)", resource: `suppressions[${i}]`, reason: SUPPRESSION_REASON, detail }),
    );
  });
  const ctx = createRuleContext(stacks, options.allow);
  for (const rule of ALL_RULES) {
    for (const result of rule.check(ctx)) {
      if (result.compliance !== Compliance.NON_COMPLIANT) continue;
      const origin = options.origins?.[result.stack]?.[result.resource];
      const finding = { id: rule.id, level: rule.level, stack: result.stack, resource: result.resource, ...(origin ? { origin } : {}), reason: rule.reason, detail: result.detail };
      const suppression = valid.find((s) => covers(s, finding));
      findings.push(suppression ? { ...finding, suppressed: suppression.reason } : finding);
    }
  }
  return findings;
}

/** The findings that fail synth: errors that no suppression covers. */
export function blockingFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.level === "error" && f.suppressed === undefined);
}
