import { Compliance } from "../../../rules";
import rule from "../../../rules/network/vpc-flow-logs";
import { complianceOf, detailOf, ref, stack } from "../fixtures";

describe("PL-VPC1 flow logs on created VPCs", () => {
  test("is a warning", () => {
    expect(rule.level).toBe("warning");
  });

  test("a VPC with a flow log in its stack is compliant", () => {
    // GIVEN a created VPC and an aws_flow_log on it
    const stacks = { provider: stack({ aws_vpc: { Vpc: { cidr_block: "10.0.0.0/16" } }, aws_flow_log: { Log: { vpc_id: ref("aws_vpc", "Vpc"), traffic_type: "ALL" } } }) };
    // WHEN the rule checks it / THEN it is compliant
    expect(complianceOf(rule, stacks)).toEqual({ "provider/aws_vpc.Vpc": Compliance.COMPLIANT });
  });

  test("a VPC without one, or with a flow log on another VPC, is non-compliant", () => {
    const stacks = {
      provider: stack({ aws_vpc: { Vpc: { cidr_block: "10.0.0.0/16" }, Other: { cidr_block: "10.9.0.0/16" } }, aws_flow_log: { Log: { vpc_id: ref("aws_vpc", "Other") } } }),
    };
    expect(complianceOf(rule, stacks)).toEqual({ "provider/aws_vpc.Vpc": Compliance.NON_COMPLIANT, "provider/aws_vpc.Other": Compliance.COMPLIANT });
    expect(detailOf(rule, stacks)).toMatch(/no aws_flow_log/);
  });
});
