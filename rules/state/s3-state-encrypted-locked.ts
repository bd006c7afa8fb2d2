import { Rule } from "../rule";
import { compliant, nonCompliant, notApplicable } from "../terraform-json";

const rule: Rule = {
  id: "PL-STATE1",
  level: "error",
  resourceType: "terraform.backend.s3",
  reason: "State in S3 is encrypted and locked: it holds the service's ids and DNS token, and concurrent applies corrupt it.",
  fix: "Set encrypt = true and use_lockfile = true (or dynamodb_table) on the S3 backend (the stacks set both).",
  check: (ctx) =>
    Object.entries<any>(ctx.stacks).map(([stack, json]) => {
      const backend = json?.terraform?.backend ?? {};
      const s3 = backend.s3;
      if (s3 === undefined) return notApplicable({ stack, address: json?.terraform?.cloud ? "terraform.cloud" : `terraform.backend.${Object.keys(backend)[0] ?? "local"}` });
      const at = { stack, address: "terraform.backend.s3" };
      const missing = [
        ...(s3.encrypt === true ? [] : ["encrypt = true"]),
        ...(s3.use_lockfile === true || (typeof s3.dynamodb_table === "string" && s3.dynamodb_table !== "") ? [] : ["use_lockfile = true (or dynamodb_table)"]),
      ];
      return missing.length === 0 ? compliant(at) : nonCompliant(at, `set ${missing.join(" and ")}`);
    }),
};
export default rule;
