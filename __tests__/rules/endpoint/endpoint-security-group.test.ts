import { Compliance } from "../../../rules";
import rule from "../../../rules/endpoint/endpoint-security-group";
import { complianceOf, consumerStack, detailOf, ref, stack } from "../fixtures";

const ENDPOINT = "consumer/aws_vpc_endpoint.Endpoint";
const withEndpoint = (endpoint: Record<string, any>, extra: Record<string, Record<string, any>> = {}) => ({
  consumer: stack({ aws_vpc_endpoint: { Endpoint: { vpc_endpoint_type: "Interface", service_name: "com.amazonaws.vpce.us-west-2.vpce-svc-0123", ...endpoint } }, ...extra }),
});

describe("PL-EP4 interface endpoint has its own security group", () => {
  test("an endpoint with security_group_ids is compliant", () => {
    // GIVEN the consumer endpoint with its group
    // WHEN the rule checks it
    // THEN it is compliant
    expect(complianceOf(rule, { consumer: consumerStack() })).toEqual({ [ENDPOINT]: Compliance.COMPLIANT });
  });

  test("an endpoint without security groups is non-compliant", () => {
    // GIVEN an interface endpoint with no security_group_ids
    const stacks = withEndpoint({});
    // WHEN the rule checks it
    // THEN it is non-compliant: it would get the VPC's default group
    expect(complianceOf(rule, stacks)).toEqual({ [ENDPOINT]: Compliance.NON_COMPLIANT });
    expect(detailOf(rule, stacks)).toMatch(/default security group/);
  });

  test("a group attached by association is compliant", () => {
    // GIVEN an endpoint whose group is attached by aws_vpc_endpoint_security_group_association
    const stacks = withEndpoint(
      {},
      { aws_vpc_endpoint_security_group_association: { A: { vpc_endpoint_id: ref("aws_vpc_endpoint", "Endpoint"), security_group_id: "sg-0123" } } },
    );
    // WHEN the rule checks it
    // THEN it is compliant
    expect(complianceOf(rule, stacks)).toEqual({ [ENDPOINT]: Compliance.COMPLIANT });
  });

  test("gateway endpoints and computed group lists are not applicable", () => {
    // GIVEN a gateway endpoint and an interface endpoint whose groups come from a variable
    const stacks = {
      consumer: stack({
        aws_vpc_endpoint: { S3: { vpc_endpoint_type: "Gateway", service_name: "com.amazonaws.us-west-2.s3" }, Endpoint: { vpc_endpoint_type: "Interface", security_group_ids: "${var.groups}" } },
      }),
    };
    // WHEN the rule checks them
    // THEN neither is judged
    expect(complianceOf(rule, stacks)).toEqual({ "consumer/aws_vpc_endpoint.S3": Compliance.NOT_APPLICABLE, [ENDPOINT]: Compliance.NOT_APPLICABLE });
  });
});
