import { ALL_RULES } from "./all-rules";
import { SUPPRESSION_FINDING_ID } from "./check";
import { Rule } from "./rule";

const cell = (text: string) => text.replace(/\|/g, "\\|");

/** RULES.md: the rules table, generated from ALL_RULES by `npm run rules:doc`. */
export function rulesMarkdown(rules: readonly Rule[] = ALL_RULES): string {
  const rows = rules.map(
    (r) =>
      `| ${r.id} | ${r.level} | \`${r.resourceType}\` | ${cell(r.reason)} | ${cell(r.fix)} Suppress: \`{ "id": "${r.id}", "reason": "…" }\` |`,
  );
  return [
    "# Security rules",
    "",
    "<!-- Generated from rules/ by `npm run rules:doc`: edit the rules, not this file. -->",
    "",
    "The synthesized Terraform JSON of every stack is checked against these rules. Errors fail synth,",
    "warnings are reported. A finding is accepted by a suppression in the config, which needs a reason:",
    "",
    "```json",
    '"suppressions": [{ "id": "PL-SVC2", "reason": "public service, reviewed in SEC-42", "resource": "aws_vpc_endpoint_service_allowed_principal.<logical id>", "stack": "provider" }]',
    "```",
    "",
    "`resource` (`<type>.<logical id>`) and `stack` narrow a suppression; without them it covers every",
    `finding of the rule. A suppression with an empty reason or an unknown rule id is itself an error (${SUPPRESSION_FINDING_ID}).`,
    "",
    "| id | level | resource type | reason | how to fix or suppress |",
    "|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
