import { Rule } from "../rule";
import { compliant, isUnresolved, listOf, nonCompliant, notApplicable, referencedId } from "../terraform-json";

const rule: Rule = {
  id: "PL-SVC1",
  level: "error",
  resourceType: "aws_vpc_endpoint_service",
  reason: "An endpoint service must require acceptance unless it lists who may connect, without \"*\".",
  fix: "Set service.endpointService.acceptanceRequired: true, or list allowedPrincipals (account or role ARNs, no \"*\").",
  check: (ctx) =>
    ctx.resources("aws_vpc_endpoint_service").map((service) => {
      const acceptance = service.config.acceptance_required;
      if (acceptance === true) return compliant(service);
      if (isUnresolved(acceptance)) return notApplicable(service);
      const principals = [
        ...listOf(service.config.allowed_principals),
        ...ctx
          .resources("aws_vpc_endpoint_service_allowed_principal", service.stack)
          .filter((p) => referencedId(p.config.vpc_endpoint_service_id, "aws_vpc_endpoint_service") === service.id)
          .map((p) => p.config.principal_arn),
      ];
      if (principals.includes("*")) {
        return nonCompliant(service, "acceptance_required is false and the allowed principals include \"*\": every AWS account is connected without review");
      }
      if (principals.length === 0) {
        return nonCompliant(service, "acceptance_required is false and no principal is allowed: require acceptance or list the allowed principals");
      }
      return principals.some(isUnresolved) ? notApplicable(service) : compliant(service);
    }),
};
export default rule;
