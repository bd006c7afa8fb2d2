import { Compliance } from "../../../rules";
import rule from "../../../rules/endpoint/ingress-listener-ports-only";
import { check, complianceOf, consumerStack, detailOf, ingress, providerStack, ref, stack } from "../fixtures";

const RULE = "consumer/aws_vpc_security_group_ingress_rule.Ingress";
const SG = "consumer/aws_security_group.Sg";

/** The provider (listener on TCP 443 unless given) and a consumer with one ingress rule. */
function app(rule: Record<string, any>, listeners?: { port: unknown; protocol?: string }[]) {
  return { provider: providerStack(listeners), consumer: consumerStack({ aws_vpc_security_group_ingress_rule: { Ingress: ingress(rule) } }) };
}

describe("PL-EP1 endpoint ingress on listener ports only", () => {
  test("ingress on the listener port is compliant", () => {
    // GIVEN a listener on TCP 443 in the provider stack and endpoint ingress on TCP 443
    // WHEN the rule checks the consumer's ingress rule
    // THEN it is compliant (the endpoint's group itself has no inline ingress: not applicable)
    expect(complianceOf(rule, app({}))).toEqual({ [RULE]: Compliance.COMPLIANT, [SG]: Compliance.NOT_APPLICABLE });
  });

  test("ingress on another port is non-compliant and names the listener ports", () => {
    // GIVEN a listener on TCP 443 and endpoint ingress on TCP 22
    const stacks = app({ from_port: 22, to_port: 22 });
    // WHEN the rule checks the ingress rule
    // THEN it is non-compliant and the detail lists the listener ports
    expect(complianceOf(rule, stacks)[RULE]).toBe(Compliance.NON_COMPLIANT);
    expect(detailOf(rule, stacks)).toBe("TCP 22 is not a listener port (listener ports: TCP 443)");
  });

  test.each([
    ["a port range wider than the listener", { from_port: 0, to_port: 65535 }, /TCP 0-65535 is not a listener port/],
    ["all protocols", { ip_protocol: "-1", from_port: undefined, to_port: undefined }, /every protocol and port is open/],
    ["UDP on a TCP listener's port", { ip_protocol: "udp" }, /UDP 443 is not a listener port/],
    ["ICMP", { ip_protocol: "icmp", from_port: -1, to_port: -1 }, /protocol "icmp" is not a listener protocol/],
  ])("%s is non-compliant", (_, attributes, detail) => {
    // GIVEN a listener on TCP 443 and an endpoint ingress rule that opens more
    const stacks = app(attributes);
    // WHEN the rule checks it
    // THEN it is non-compliant with a detail that says what is open
    expect(complianceOf(rule, stacks)[RULE]).toBe(Compliance.NON_COMPLIANT);
    expect(detailOf(rule, stacks)).toMatch(detail);
  });

  test("a range made only of listener ports and protocol numbers are accepted", () => {
    // GIVEN listeners on TCP 443 and TCP 444, and ingress on protocol 6 (TCP) ports 443-444
    // WHEN the rule checks it
    // THEN it is compliant
    const stacks = app({ ip_protocol: "6", from_port: 443, to_port: 444 }, [{ port: 443 }, { port: 444, protocol: "TLS" }]);
    expect(complianceOf(rule, stacks)[RULE]).toBe(Compliance.COMPLIANT);
  });

  test("a TCP_UDP listener allows both protocols on its port", () => {
    // GIVEN a TCP_UDP listener on 53 and endpoint ingress on UDP 53
    // WHEN the rule checks it
    // THEN it is compliant
    const stacks = app({ ip_protocol: "udp", from_port: 53, to_port: 53 }, [{ port: 53, protocol: "TCP_UDP" }]);
    expect(complianceOf(rule, stacks)[RULE]).toBe(Compliance.COMPLIANT);
  });

  test("without known listener ports the rule is not applicable", () => {
    // GIVEN a consumer stack alone (the provider is synthesized elsewhere) with ingress on TCP 22
    const stacks = { consumer: consumerStack({ aws_vpc_security_group_ingress_rule: { Ingress: ingress({ from_port: 22, to_port: 22 }) } }) };
    // WHEN the rule checks it
    // THEN it is not applicable
    expect(complianceOf(rule, stacks)[RULE]).toBe(Compliance.NOT_APPLICABLE);
  });

  test("allow.ingressPorts adds ports, and makes the rule applicable without a provider stack", () => {
    // GIVEN a consumer stack alone with ingress on TCP 8443 and TCP 22
    const stacks = {
      consumer: consumerStack({
        aws_vpc_security_group_ingress_rule: { Ingress: ingress({ from_port: 8443, to_port: 8443 }), Ssh: ingress({ from_port: 22, to_port: 22 }) },
      }),
    };
    // WHEN the rule checks it with 8443 allowed
    // THEN 8443 is compliant and 22 is not
    const result = complianceOf(rule, stacks, { ingressPorts: [8443] });
    expect(result[RULE]).toBe(Compliance.COMPLIANT);
    expect(result["consumer/aws_vpc_security_group_ingress_rule.Ssh"]).toBe(Compliance.NON_COMPLIANT);
  });

  test("listeners of a load balancer that no endpoint service uses do not count", () => {
    // GIVEN the service's NLB listens on 443, and another load balancer in the stack on 22
    const provider = providerStack();
    provider.resource.aws_lb_listener.Other = { load_balancer_arn: ref("aws_lb", "Other", "arn"), port: 22, protocol: "TCP" };
    const stacks = { provider, consumer: consumerStack({ aws_vpc_security_group_ingress_rule: { Ingress: ingress({ from_port: 22, to_port: 22 }) } }) };
    // WHEN the rule checks endpoint ingress on 22
    // THEN it is non-compliant
    expect(complianceOf(rule, stacks)[RULE]).toBe(Compliance.NON_COMPLIANT);
  });

  test("inline ingress blocks and aws_security_group_rule are checked too", () => {
    // GIVEN the endpoint's group with an inline ingress block on TCP 22, and a legacy rule on TCP 8080
    const stacks = {
      provider: providerStack(),
      consumer: consumerStack({
        aws_security_group: { Sg: { ingress: [{ protocol: "tcp", from_port: 22, to_port: 22, cidr_blocks: ["10.0.0.0/8"] }] } },
        aws_security_group_rule: {
          Legacy: { type: "ingress", security_group_id: ref("aws_security_group", "Sg"), protocol: "tcp", from_port: 8080, to_port: 8080 },
        },
      }),
    };
    // WHEN the rule checks them
    // THEN both are non-compliant, the inline one naming its block
    expect(complianceOf(rule, stacks)).toEqual({ [SG]: Compliance.NON_COMPLIANT, "consumer/aws_security_group_rule.Legacy": Compliance.NON_COMPLIANT });
    const details = check(rule, stacks).map((r) => r.detail);
    expect(details).toContainEqual(expect.stringMatching(/^ingress\[0\]: TCP 22 is not a listener port/));
  });

  test("ingress to groups that guard no PrivateLink endpoint is not applicable", () => {
    // GIVEN ingress on TCP 22 to an unrelated group, and to the group of an endpoint to an AWS service
    const stacks = {
      provider: providerStack(),
      consumer: stack({
        aws_security_group: { Web: {}, Ssm: {} },
        aws_vpc_endpoint: { Ssm: { vpc_endpoint_type: "Interface", service_name: "com.amazonaws.us-west-2.ssm", security_group_ids: [ref("aws_security_group", "Ssm")] } },
        aws_vpc_security_group_ingress_rule: {
          Web: { security_group_id: ref("aws_security_group", "Web"), ip_protocol: "tcp", from_port: 22, to_port: 22 },
          Ssm: { security_group_id: ref("aws_security_group", "Ssm"), ip_protocol: "tcp", from_port: 22, to_port: 22 },
        },
      }),
    };
    // WHEN the rule checks them
    // THEN neither is judged
    const result = complianceOf(rule, stacks);
    expect(result["consumer/aws_vpc_security_group_ingress_rule.Web"]).toBe(Compliance.NOT_APPLICABLE);
    expect(result["consumer/aws_vpc_security_group_ingress_rule.Ssm"]).toBe(Compliance.NOT_APPLICABLE);
  });

  test("a computed port is not judged", () => {
    // GIVEN endpoint ingress whose port comes from a variable
    // WHEN the rule checks it
    // THEN it is not applicable
    expect(complianceOf(rule, app({ from_port: "${var.port}", to_port: "${var.port}" }))[RULE]).toBe(Compliance.NOT_APPLICABLE);
  });
});
