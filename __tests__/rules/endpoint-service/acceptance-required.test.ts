import { Compliance } from "../../../rules";
import rule from "../../../rules/endpoint-service/acceptance-required";
import { complianceOf, detailOf, ref, stack } from "../fixtures";

const SERVICE = "provider/aws_vpc_endpoint_service.Service";

function provider(service: Record<string, any>, principals: Record<string, string> = {}, forService = "Service") {
  return {
    provider: stack({
      aws_vpc_endpoint_service: { Service: service },
      aws_vpc_endpoint_service_allowed_principal: Object.fromEntries(
        Object.entries(principals).map(([id, arn]) => [id, { principal_arn: arn, vpc_endpoint_service_id: ref("aws_vpc_endpoint_service", forService) }]),
      ),
    }),
  };
}

describe("PL-SVC1 acceptance required unless an allowlist without *", () => {
  test("a service that requires acceptance is compliant", () => {
    // GIVEN acceptance_required = true and no principals
    // WHEN the rule checks the service
    // THEN it is compliant
    expect(complianceOf(rule, provider({ acceptance_required: true }))).toEqual({ [SERVICE]: Compliance.COMPLIANT });
  });

  test("automatic acceptance with an explicit allowlist is compliant", () => {
    // GIVEN acceptance_required = false and an allowed principal resource for this service
    // WHEN the rule checks the service
    // THEN it is compliant
    const stacks = provider({ acceptance_required: false }, { Consumer: "arn:aws:iam::222222222222:root" });
    expect(complianceOf(rule, stacks)).toEqual({ [SERVICE]: Compliance.COMPLIANT });
  });

  test("automatic acceptance with inline allowed_principals is compliant", () => {
    // GIVEN acceptance_required = false and the allowlist given inline on the service
    // WHEN the rule checks the service
    // THEN it is compliant
    const stacks = provider({ acceptance_required: false, allowed_principals: ["arn:aws:iam::222222222222:role/app"] });
    expect(complianceOf(rule, stacks)).toEqual({ [SERVICE]: Compliance.COMPLIANT });
  });

  test("automatic acceptance without principals is non-compliant", () => {
    // GIVEN acceptance_required = false and no allowed principals
    // WHEN the rule checks the service
    // THEN it is non-compliant and says to require acceptance or list principals
    const stacks = provider({ acceptance_required: false });
    expect(complianceOf(rule, stacks)).toEqual({ [SERVICE]: Compliance.NON_COMPLIANT });
    expect(detailOf(rule, stacks)).toMatch(/require acceptance or list the allowed principals/);
  });

  test("automatic acceptance with a * principal is non-compliant", () => {
    // GIVEN acceptance_required = false and principals that include "*"
    // WHEN the rule checks the service
    // THEN it is non-compliant: "*" is no allowlist
    const stacks = provider({ acceptance_required: false }, { Consumer: "arn:aws:iam::222222222222:root", Anyone: "*" });
    expect(complianceOf(rule, stacks)).toEqual({ [SERVICE]: Compliance.NON_COMPLIANT });
    expect(detailOf(rule, stacks)).toMatch(/include "\*"/);
  });

  test("principals of another service do not count", () => {
    // GIVEN acceptance_required = false and a principal resource that belongs to another service
    // WHEN the rule checks the service
    // THEN it is non-compliant
    const stacks = provider({ acceptance_required: false }, { Consumer: "arn:aws:iam::222222222222:root" }, "Other");
    expect(complianceOf(rule, stacks)).toEqual({ [SERVICE]: Compliance.NON_COMPLIANT });
  });

  test("a computed acceptance flag is not judged", () => {
    // GIVEN acceptance_required from a variable
    // WHEN the rule checks the service
    // THEN it is not applicable
    expect(complianceOf(rule, provider({ acceptance_required: "${var.acceptance}" }))).toEqual({ [SERVICE]: Compliance.NOT_APPLICABLE });
  });
});
