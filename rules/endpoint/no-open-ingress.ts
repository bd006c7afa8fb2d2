import { endpointSecurityGroups, isAnyAddress, permissionHolders } from "../privatelink-resources";
import { Rule } from "../rule";
import { compliant, nonCompliant, notApplicable } from "../terraform-json";

const rule: Rule = {
  id: "PL-EP2",
  level: "error",
  resourceType: "aws_vpc_security_group_ingress_rule",
  reason: "An endpoint's security group never admits every address (0.0.0.0/0 or ::/0).",
  fix: "Allow the clients' security groups or CIDRs (consumers[].allowFrom); for an endpoint that must be open to all, suppress with the reason.",
  check: (ctx) => {
    const groups = endpointSecurityGroups(ctx);
    return permissionHolders(ctx, "ingress", groups).map((holder) => {
      if (holder.endpointGroup === undefined || holder.permissions.length === 0) return notApplicable(holder);
      const open = holder.permissions.flatMap((p) => {
        const at = p.where === "" ? "" : `${p.where}: `;
        return [...p.ipv4Cidrs, ...p.ipv6Cidrs].filter(isAnyAddress).map((cidr) => `${at}${cidr}`);
      });
      return open.length === 0 ? compliant(holder) : nonCompliant(holder, `open to ${open.join(", ")}: allow the clients' security groups or CIDRs instead`);
    });
  },
};
export default rule;
