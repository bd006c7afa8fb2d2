import { Rule, RuleResult } from "../rule";
import { compliant, listOf, nonCompliant, notApplicable } from "../terraform-json";

const rule: Rule = {
  id: "PL-SVC2",
  level: "error",
  resourceType: "aws_vpc_endpoint_service_allowed_principal",
  reason: "A \"*\" allowed principal lets every AWS account request a connection to the service.",
  fix: "List account or role ARNs in service.endpointService.allowedPrincipals; for a deliberately public service, suppress with the reason.",
  check: (ctx): RuleResult[] => [
    ...ctx.resources("aws_vpc_endpoint_service_allowed_principal").map((p) =>
      p.config.principal_arn === "*" ? nonCompliant(p, "principal_arn is \"*\": name the accounts or roles instead") : compliant(p),
    ),
    // The same list given inline on the service.
    ...ctx.resources("aws_vpc_endpoint_service").map((service) => {
      const inline = listOf(service.config.allowed_principals);
      if (inline.length === 0) return notApplicable(service);
      return inline.includes("*") ? nonCompliant(service, "allowed_principals includes \"*\": name the accounts or roles instead") : compliant(service);
    }),
  ],
};
export default rule;
