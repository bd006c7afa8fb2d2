import { Rule } from "../rule";
import { compliant, isUnresolved, listOf, nonCompliant, notApplicable } from "../terraform-json";

const rule: Rule = {
  id: "PL-NLB4",
  level: "error",
  resourceType: "aws_lb",
  reason: "An NLB without a security group admits anything routable to its VPC, around principals and acceptance; a group cannot be added later.",
  fix: "Keep the NLB's own group (the default) or give loadBalancer.securityGroupIds; to go without, set loadBalancer.withoutSecurityGroup.reason.",
  check: (ctx) =>
    ctx.resources("aws_lb").map((lb) => {
      const groups = lb.config.security_groups;
      if (lb.config.load_balancer_type !== "network" || isUnresolved(groups)) return notApplicable(lb);
      return listOf(groups).length > 0 ? compliant(lb) : nonCompliant(lb, "security_groups is empty: give the NLB a security group when it is created");
    }),
};
export default rule;
