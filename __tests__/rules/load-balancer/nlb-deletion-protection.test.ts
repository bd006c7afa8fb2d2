import { Compliance } from "../../../rules";
import rule from "../../../rules/load-balancer/nlb-deletion-protection";
import { complianceOf, detailOf, stack } from "../fixtures";

const withLb = (lb: Record<string, any>) => ({ provider: stack({ aws_lb: { Nlb: { load_balancer_type: "network", internal: true, ...lb } } }) });

describe("PL-NLB2 deletion protection on the NLB", () => {
  test("is a warning", () => {
    // GIVEN the rule / WHEN its level is read / THEN it warns and does not fail synth
    expect(rule.level).toBe("warning");
  });

  test("an NLB with deletion protection is compliant", () => {
    // GIVEN an NLB with enable_deletion_protection = true
    // WHEN the rule checks it
    // THEN it is compliant
    expect(complianceOf(rule, withLb({ enable_deletion_protection: true }))).toEqual({ "provider/aws_lb.Nlb": Compliance.COMPLIANT });
  });

  test.each([[false], [undefined]])("an NLB with enable_deletion_protection %p is non-compliant", (value) => {
    // GIVEN an NLB without deletion protection
    // WHEN the rule checks it
    // THEN it is non-compliant and the detail names the attribute
    expect(complianceOf(rule, withLb({ enable_deletion_protection: value }))).toEqual({ "provider/aws_lb.Nlb": Compliance.NON_COMPLIANT });
    expect(detailOf(rule, withLb({ enable_deletion_protection: value }))).toMatch(/enable_deletion_protection/);
  });

  test("an application load balancer is not applicable", () => {
    // GIVEN an ALB without deletion protection
    // WHEN the rule checks it
    // THEN it is not applicable
    const stacks = { web: stack({ aws_lb: { Alb: { load_balancer_type: "application" } } }) };
    expect(complianceOf(rule, stacks)).toEqual({ "web/aws_lb.Alb": Compliance.NOT_APPLICABLE });
  });
});
