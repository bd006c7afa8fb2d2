import { Rule } from "../rule";
import { compliant, isUnresolved, listOf, nonCompliant, notApplicable, referencedId } from "../terraform-json";

const rule: Rule = {
  id: "PL-EP4",
  level: "error",
  resourceType: "aws_vpc_endpoint",
  reason: "An interface endpoint has a security group of its own; without one it gets the VPC's default group and its rules.",
  fix: "Give the endpoint a security group (security_group_ids; the ConsumerEndpoint construct creates one).",
  check: (ctx) =>
    ctx.resources("aws_vpc_endpoint").map((endpoint) => {
      if (endpoint.config.vpc_endpoint_type !== "Interface") return notApplicable(endpoint);
      const groups = endpoint.config.security_group_ids;
      if (isUnresolved(groups)) return notApplicable(endpoint);
      const associated = ctx
        .resources("aws_vpc_endpoint_security_group_association", endpoint.stack)
        .some((a) => referencedId(a.config.vpc_endpoint_id, "aws_vpc_endpoint") === endpoint.id);
      return listOf(groups).length > 0 || associated
        ? compliant(endpoint)
        : nonCompliant(endpoint, "no security_group_ids: the endpoint would use the VPC's default security group");
    }),
};
export default rule;
