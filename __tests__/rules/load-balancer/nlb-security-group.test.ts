import { Compliance } from "../../../rules";
import rule from "../../../rules/load-balancer/nlb-security-group";
import { complianceOf, detailOf, ref, stack } from "../fixtures";

const withLb = (lb: Record<string, any>) => ({ provider: stack({ aws_lb: { Nlb: { load_balancer_type: "network", internal: true, ...lb } } }) });

describe("PL-NLB4 a security group on the NLB", () => {
  test("is an error", () => {
    expect(rule.level).toBe("error");
  });

  test("an NLB with a security group is compliant", () => {
    // GIVEN an NLB whose security_groups holds its own group
    // WHEN the rule checks it / THEN it is compliant
    expect(complianceOf(rule, withLb({ security_groups: [ref("aws_security_group", "Sg")] }))).toEqual({ "provider/aws_lb.Nlb": Compliance.COMPLIANT });
  });

  test.each([[[]], [undefined]])("an NLB with security_groups %p is non-compliant", (groups) => {
    // GIVEN an NLB created without a group
    // WHEN the rule checks it / THEN it is non-compliant and the detail says why
    expect(complianceOf(rule, withLb({ security_groups: groups }))).toEqual({ "provider/aws_lb.Nlb": Compliance.NON_COMPLIANT });
    expect(detailOf(rule, withLb({ security_groups: groups }))).toMatch(/security_groups is empty/);
  });

  test("a whole-list reference is not judged, and an application load balancer is not applicable", () => {
    expect(complianceOf(rule, withLb({ security_groups: "${var.groups}" }))).toEqual({ "provider/aws_lb.Nlb": Compliance.NOT_APPLICABLE });
    expect(complianceOf(rule, { web: stack({ aws_lb: { Alb: { load_balancer_type: "application" } } }) })).toEqual({ "web/aws_lb.Alb": Compliance.NOT_APPLICABLE });
  });
});
