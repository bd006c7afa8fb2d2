import { Compliance } from "../../../rules";
import rule from "../../../rules/endpoint-service/no-wildcard-principal";
import { complianceOf, detailOf, ref, stack } from "../fixtures";

const principal = (arn: string) => ({ principal_arn: arn, vpc_endpoint_service_id: ref("aws_vpc_endpoint_service", "Service") });

describe("PL-SVC2 no * principal", () => {
  test("an account principal is compliant", () => {
    // GIVEN an allowed principal naming one account
    const stacks = { provider: stack({ aws_vpc_endpoint_service_allowed_principal: { Consumer: principal("arn:aws:iam::222222222222:root") } }) };
    // WHEN the rule checks it
    // THEN it is compliant
    expect(complianceOf(rule, stacks)).toEqual({ "provider/aws_vpc_endpoint_service_allowed_principal.Consumer": Compliance.COMPLIANT });
  });

  test("a * principal is non-compliant", () => {
    // GIVEN an allowed principal "*"
    const stacks = { provider: stack({ aws_vpc_endpoint_service_allowed_principal: { Anyone: principal("*") } }) };
    // WHEN the rule checks it
    // THEN it is non-compliant
    expect(complianceOf(rule, stacks)).toEqual({ "provider/aws_vpc_endpoint_service_allowed_principal.Anyone": Compliance.NON_COMPLIANT });
    expect(detailOf(rule, stacks)).toMatch(/principal_arn is "\*"/);
  });

  test("a * in the service's inline allowed_principals is non-compliant; a service without the list is not applicable", () => {
    // GIVEN one service with "*" inline and one without an inline list
    const stacks = {
      provider: stack({ aws_vpc_endpoint_service: { Open: { allowed_principals: ["*"] }, Plain: { acceptance_required: true } } }),
    };
    // WHEN the rule checks them
    // THEN the first is non-compliant and the second not applicable
    expect(complianceOf(rule, stacks)).toEqual({
      "provider/aws_vpc_endpoint_service.Open": Compliance.NON_COMPLIANT,
      "provider/aws_vpc_endpoint_service.Plain": Compliance.NOT_APPLICABLE,
    });
  });
});
