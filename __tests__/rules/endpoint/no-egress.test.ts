import { Compliance } from "../../../rules";
import rule from "../../../rules/endpoint/no-egress";
import { complianceOf, consumerStack, detailOf, ref, stack } from "../fixtures";

const SG = "consumer/aws_security_group.Sg";
const egress = (group = "Sg") => ({ security_group_id: ref("aws_security_group", group), ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0" });

describe("PL-EP3 no egress on the endpoint security group", () => {
  test("an endpoint group without egress is compliant", () => {
    // GIVEN the endpoint's group with no egress rule and no inline egress
    // WHEN the rule checks it
    // THEN it is compliant
    expect(complianceOf(rule, { consumer: consumerStack() })).toEqual({ [SG]: Compliance.COMPLIANT });
  });

  test("an egress rule on the endpoint group is non-compliant", () => {
    // GIVEN an aws_vpc_security_group_egress_rule on the endpoint's group
    const stacks = { consumer: consumerStack({ aws_vpc_security_group_egress_rule: { Egress: egress() } }) };
    // WHEN the rule checks it
    // THEN the egress rule is non-compliant and the group itself stays compliant
    expect(complianceOf(rule, stacks)).toEqual({ "consumer/aws_vpc_security_group_egress_rule.Egress": Compliance.NON_COMPLIANT, [SG]: Compliance.COMPLIANT });
    expect(detailOf(rule, stacks)).toMatch(/aws_security_group\.Sg: remove it/);
  });

  test("inline egress and a legacy egress rule are non-compliant", () => {
    // GIVEN the endpoint's group with an inline egress block and an aws_security_group_rule of type egress
    const stacks = {
      consumer: consumerStack({
        aws_security_group: { Sg: { egress: [{ protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: ["0.0.0.0/0"] }] } },
        aws_security_group_rule: { Legacy: { type: "egress", security_group_id: ref("aws_security_group", "Sg"), protocol: "-1", from_port: 0, to_port: 0 } },
      }),
    };
    // WHEN the rule checks them
    // THEN both are non-compliant
    expect(complianceOf(rule, stacks)).toEqual({ "consumer/aws_security_group_rule.Legacy": Compliance.NON_COMPLIANT, [SG]: Compliance.NON_COMPLIANT });
  });

  test("a group attached through aws_vpc_endpoint_security_group_association counts as the endpoint's", () => {
    // GIVEN an endpoint without security_group_ids, a group attached by association, and egress on that group
    const stacks = {
      consumer: stack({
        aws_security_group: { Attached: {} },
        aws_vpc_endpoint: { Endpoint: { vpc_endpoint_type: "Interface", service_name: "com.amazonaws.vpce.us-west-2.vpce-svc-0123" } },
        aws_vpc_endpoint_security_group_association: {
          Association: { vpc_endpoint_id: ref("aws_vpc_endpoint", "Endpoint"), security_group_id: ref("aws_security_group", "Attached") },
        },
        aws_vpc_security_group_egress_rule: { Egress: egress("Attached") },
      }),
    };
    // WHEN the rule checks it
    // THEN the egress rule is non-compliant
    expect(complianceOf(rule, stacks)["consumer/aws_vpc_security_group_egress_rule.Egress"]).toBe(Compliance.NON_COMPLIANT);
  });

  test("egress on a group that guards no endpoint is not applicable", () => {
    // GIVEN egress on an unrelated group
    const stacks = { consumer: consumerStack({ aws_vpc_security_group_egress_rule: { Egress: egress("Web") } }) };
    // WHEN the rule checks it
    // THEN it is not applicable
    expect(complianceOf(rule, stacks)["consumer/aws_vpc_security_group_egress_rule.Egress"]).toBe(Compliance.NOT_APPLICABLE);
  });
});
