import { Rule } from "../rule";
import { compliant, isUnresolved, nonCompliant, notApplicable, show } from "../terraform-json";

const rule: Rule = {
  id: "PL-NLB2",
  level: "warning",
  resourceType: "aws_lb",
  reason: "Deletion protection keeps a destroy or a replacement from deleting the NLB, and with it every consumer's connection.",
  fix: "Set service.loadBalancer.deletionProtection: true in the config (enable_deletion_protection = true).",
  check: (ctx) =>
    ctx.resources("aws_lb").map((lb) => {
      const protection = lb.config.enable_deletion_protection;
      if (lb.config.load_balancer_type !== "network" || isUnresolved(protection)) return notApplicable(lb);
      return protection === true
        ? compliant(lb)
        : nonCompliant(lb, `enable_deletion_protection is ${show(protection)}: set it to true`);
    }),
};
export default rule;
