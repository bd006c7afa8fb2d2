import { endpointSecurityGroups, permissionHolders } from "../privatelink-resources";
import { Rule } from "../rule";
import { compliant, nonCompliant, notApplicable } from "../terraform-json";

const rule: Rule = {
  id: "PL-EP3",
  level: "error",
  resourceType: "aws_vpc_security_group_egress_rule",
  reason: "An endpoint's security group has no egress rule: replies are allowed statefully and the endpoint opens no connections.",
  fix: "Remove the egress rule or the inline egress blocks; with no egress block Terraform also removes AWS's default allow-all egress.",
  check: (ctx) => {
    const groups = endpointSecurityGroups(ctx);
    return permissionHolders(ctx, "egress", groups).map((holder) => {
      if (holder.endpointGroup === undefined) return notApplicable(holder);
      if (holder.address.startsWith("aws_security_group.")) {
        return holder.permissions.length === 0
          ? compliant(holder)
          : nonCompliant(holder, `${holder.permissions.length} inline egress block(s) on the endpoint's security group: remove them`);
      }
      return nonCompliant(holder, `egress rule on the endpoint's security group aws_security_group.${holder.endpointGroup}: remove it`);
    });
  },
};
export default rule;
