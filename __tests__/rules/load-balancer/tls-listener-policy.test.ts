import { Compliance } from "../../../rules";
import rule from "../../../rules/load-balancer/tls-listener-policy";
import { complianceOf, detailOf, stack } from "../fixtures";

const withListener = (listener: Record<string, any>) => ({ provider: stack({ aws_lb_listener: { Listener: { port: 443, ...listener } } }) });

describe("PL-NLB3 TLS listeners refuse TLS 1.0 and 1.1", () => {
  test.each(["ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS-1-2-2017-01", "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04"])(
    "a TLS listener with %s is compliant",
    (policy) => {
      // GIVEN a TLS listener with a TLS 1.2+ policy
      // WHEN the rule checks it
      // THEN it is compliant
      expect(complianceOf(rule, withListener({ protocol: "TLS", ssl_policy: policy }))).toEqual({ "provider/aws_lb_listener.Listener": Compliance.COMPLIANT });
    },
  );

  test.each([["ELBSecurityPolicy-2016-08"], ["ELBSecurityPolicy-TLS13-1-0-2021-06"], [undefined]])("a TLS listener with policy %p is non-compliant", (policy) => {
    // GIVEN a TLS listener whose policy allows TLS 1.0 (or is left to AWS's default)
    // WHEN the rule checks it
    // THEN it is non-compliant and the detail suggests a TLS 1.2+ policy
    expect(complianceOf(rule, withListener({ protocol: "TLS", ssl_policy: policy }))).toEqual({ "provider/aws_lb_listener.Listener": Compliance.NON_COMPLIANT });
    expect(detailOf(rule, withListener({ protocol: "TLS", ssl_policy: policy }))).toMatch(/ELBSecurityPolicy-TLS13-1-2-2021-06/);
  });

  test("a TCP listener is not applicable", () => {
    // GIVEN a TCP listener (no TLS at the load balancer)
    // WHEN the rule checks it
    // THEN it is not applicable
    expect(complianceOf(rule, withListener({ protocol: "TCP" }))).toEqual({ "provider/aws_lb_listener.Listener": Compliance.NOT_APPLICABLE });
  });
});
