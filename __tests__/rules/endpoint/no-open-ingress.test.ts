import { Compliance } from "../../../rules";
import rule from "../../../rules/endpoint/no-open-ingress";
import { complianceOf, consumerStack, detailOf, ingress, ref } from "../fixtures";

const RULE = "consumer/aws_vpc_security_group_ingress_rule.Ingress";
const withIngress = (attributes: Record<string, any>) => ({ consumer: consumerStack({ aws_vpc_security_group_ingress_rule: { Ingress: ingress(attributes) } }) });

describe("PL-EP2 endpoint ingress never from 0.0.0.0/0 or ::/0", () => {
  test.each([
    [{ cidr_ipv4: "10.1.0.0/16" }],
    [{ cidr_ipv4: undefined, cidr_ipv6: "2600:1f14::/56" }],
    [{ cidr_ipv4: undefined, referenced_security_group_id: "sg-0123456789abcdef0" }],
  ])("ingress from %p is compliant", (source) => {
    // GIVEN endpoint ingress from a narrow CIDR or a client security group
    // WHEN the rule checks it
    // THEN it is compliant
    expect(complianceOf(rule, withIngress(source))[RULE]).toBe(Compliance.COMPLIANT);
  });

  test.each([
    [{ cidr_ipv4: "0.0.0.0/0" }, "0.0.0.0/0"],
    [{ cidr_ipv4: undefined, cidr_ipv6: "::/0" }, "::/0"],
  ])("ingress from %p is non-compliant", (source, cidr) => {
    // GIVEN endpoint ingress from every address
    // WHEN the rule checks it
    // THEN it is non-compliant and the detail names the CIDR
    expect(complianceOf(rule, withIngress(source))[RULE]).toBe(Compliance.NON_COMPLIANT);
    expect(detailOf(rule, withIngress(source))).toBe(`open to ${cidr}: allow the clients' security groups or CIDRs instead`);
  });

  test("inline ingress from ::/0 on the endpoint's group is non-compliant", () => {
    // GIVEN the endpoint's group with an inline ingress block open to ::/0
    const stacks = {
      consumer: consumerStack({ aws_security_group: { Sg: { ingress: [{ protocol: "tcp", from_port: 443, to_port: 443, ipv6_cidr_blocks: ["::/0"] }] } } }),
    };
    // WHEN the rule checks it
    // THEN the group is non-compliant
    expect(complianceOf(rule, stacks)).toEqual({ "consumer/aws_security_group.Sg": Compliance.NON_COMPLIANT });
    expect(detailOf(rule, stacks)).toMatch(/ingress\[0\]: ::\/0/);
  });

  test("open ingress to a group that guards no endpoint is not applicable", () => {
    // GIVEN ingress from 0.0.0.0/0 to a group no endpoint uses
    const stacks = withIngress({ cidr_ipv4: "0.0.0.0/0", security_group_id: ref("aws_security_group", "Web") });
    // WHEN the rule checks it
    // THEN it is not applicable
    expect(complianceOf(rule, stacks)[RULE]).toBe(Compliance.NOT_APPLICABLE);
  });
});
