import { Compliance } from "../../../rules";
import rule from "../../../rules/load-balancer/nlb-internal";
import { complianceOf, detailOf, stack } from "../fixtures";

const withLb = (lb: Record<string, any>) => ({ provider: stack({ aws_lb: { Nlb: { load_balancer_type: "network", ...lb } } }) });

describe("PL-NLB1 NLB internal", () => {
  test("an internal NLB is compliant", () => {
    // GIVEN an NLB with internal = true
    // WHEN the rule checks it
    // THEN it is compliant
    expect(complianceOf(rule, withLb({ internal: true }))).toEqual({ "provider/aws_lb.Nlb": Compliance.COMPLIANT });
  });

  test.each([[false], [undefined]])("an NLB with internal %p is non-compliant", (internal) => {
    // GIVEN an internet-facing NLB (internal false, or not set: AWS's default is internet-facing)
    // WHEN the rule checks it
    // THEN it is non-compliant and the detail says the fix
    expect(complianceOf(rule, withLb({ internal }))).toEqual({ "provider/aws_lb.Nlb": Compliance.NON_COMPLIANT });
    expect(detailOf(rule, withLb({ internal }))).toMatch(/set internal = true/);
  });

  test("an application load balancer and an unresolved value are not judged", () => {
    // GIVEN an internet-facing ALB and an NLB whose internal flag is computed
    const stacks = {
      web: stack({
        aws_lb: { Alb: { load_balancer_type: "application", internal: false }, Nlb: { load_balancer_type: "network", internal: "${var.internal}" } },
      }),
    };
    // WHEN the rule checks them
    // THEN both are not applicable
    expect(complianceOf(rule, stacks)).toEqual({ "web/aws_lb.Alb": Compliance.NOT_APPLICABLE, "web/aws_lb.Nlb": Compliance.NOT_APPLICABLE });
  });
});
