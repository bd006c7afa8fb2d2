import { Rule } from "../rule";
import { compliant, isUnresolved, nonCompliant, notApplicable, show } from "../terraform-json";

const rule: Rule = {
  id: "PL-NLB1",
  level: "error",
  resourceType: "aws_lb",
  reason: "The Network Load Balancer behind an endpoint service must be internal: PrivateLink is its only way in.",
  fix: "Set internal = true (the DualStackNlb construct always does).",
  check: (ctx) =>
    ctx.resources("aws_lb").map((lb) => {
      const internal = lb.config.internal;
      if (lb.config.load_balancer_type !== "network" || isUnresolved(internal)) return notApplicable(lb);
      return internal === true ? compliant(lb) : nonCompliant(lb, `internal is ${show(internal)}: set internal = true`);
    }),
};
export default rule;
