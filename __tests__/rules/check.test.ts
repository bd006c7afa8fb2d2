import { ALL_RULES, blockingFindings, checkSynthesized, SUPPRESSION_FINDING_ID } from "../../rules";
import { consumerStack, ingress, providerStack, ref, stack } from "./fixtures";

/** A provider with one "*" principal and one account principal, and a consumer open to 0.0.0.0/0 in two stacks. */
function stacks(): Record<string, any> {
  const provider = providerStack();
  provider.resource.aws_vpc_endpoint_service_allowed_principal = {
    Anyone: { principal_arn: "*", vpc_endpoint_service_id: ref("aws_vpc_endpoint_service", "Service") },
    Account: { principal_arn: "arn:aws:iam::222222222222:root", vpc_endpoint_service_id: ref("aws_vpc_endpoint_service", "Service") },
  };
  const open = () => consumerStack({ aws_vpc_security_group_ingress_rule: { Open: ingress({ cidr_ipv4: "0.0.0.0/0" }) } });
  return { provider, "consumer-a": open(), "consumer-b": open() };
}

const ids = (findings: { id: string }[]) => findings.map((f) => f.id);

describe("checkSynthesized", () => {
  test("reports each non-compliant resource as a finding with its stack, address and the rule's reason", () => {
    // GIVEN a "*" principal and two consumers open to 0.0.0.0/0
    // WHEN the stacks are checked without suppressions
    const findings = checkSynthesized(stacks());
    // THEN there is one PL-SVC2 finding and one PL-EP2 finding per consumer, all blocking
    expect(findings).toEqual([
      {
        id: "PL-SVC2",
        level: "error",
        stack: "provider",
        resource: "aws_vpc_endpoint_service_allowed_principal.Anyone",
        reason: ALL_RULES.find((r) => r.id === "PL-SVC2")!.reason,
        detail: 'principal_arn is "*": name the accounts or roles instead',
      },
      expect.objectContaining({ id: "PL-EP2", stack: "consumer-a", resource: "aws_vpc_security_group_ingress_rule.Open" }),
      expect.objectContaining({ id: "PL-EP2", stack: "consumer-b", resource: "aws_vpc_security_group_ingress_rule.Open" }),
    ]);
    expect(findings.every((f) => f.suppressed === undefined)).toBe(true);
    expect(blockingFindings(findings)).toHaveLength(3);
  });

  test("a suppression keeps the finding, marked with its reason, and it no longer blocks", () => {
    // GIVEN a suppression of PL-SVC2 with a reason
    // WHEN the stacks are checked
    const findings = checkSynthesized(stacks(), { suppressions: [{ id: "PL-SVC2", reason: "public service, reviewed in SEC-42" }] });
    // THEN the PL-SVC2 finding is still listed, carries the reason, and only the PL-EP2 findings block
    expect(findings.find((f) => f.id === "PL-SVC2")).toMatchObject({ resource: "aws_vpc_endpoint_service_allowed_principal.Anyone", suppressed: "public service, reviewed in SEC-42" });
    expect(ids(blockingFindings(findings))).toEqual(["PL-EP2", "PL-EP2"]);
  });

  test("a suppression narrowed to a stack or a resource covers only that", () => {
    // GIVEN a PL-EP2 suppression for stack consumer-a only, and one for a resource no finding has
    // WHEN the stacks are checked
    const findings = checkSynthesized(stacks(), {
      suppressions: [
        { id: "PL-EP2", reason: "load test endpoint", stack: "consumer-a" },
        { id: "PL-SVC2", reason: "not this one", resource: "aws_vpc_endpoint_service_allowed_principal.Account" },
      ],
    });
    // THEN only consumer-a's finding is suppressed
    const suppressed = findings.filter((f) => f.suppressed !== undefined);
    expect(suppressed).toEqual([expect.objectContaining({ id: "PL-EP2", stack: "consumer-a", suppressed: "load test endpoint" })]);
    // AND a resource-scoped suppression matching the finding's address does suppress it
    const byResource = checkSynthesized(stacks(), {
      suppressions: [{ id: "PL-SVC2", reason: "public service", resource: "aws_vpc_endpoint_service_allowed_principal.Anyone" }],
    });
    expect(byResource.find((f) => f.id === "PL-SVC2")?.suppressed).toBe("public service");
  });

  test.each([[""], ["   "], [undefined]])("a suppression with reason %p is an error finding and suppresses nothing", (reason) => {
    // GIVEN a suppression of PL-SVC2 without a usable reason
    // WHEN the stacks are checked
    const findings = checkSynthesized(stacks(), { suppressions: [{ id: "PL-SVC2", reason } as any] });
    // THEN a blocking PL-SUPPRESSION error points at the suppression, and PL-SVC2 is not suppressed
    expect(findings[0]).toEqual({
      id: SUPPRESSION_FINDING_ID,
      level: "error",
      stack: "(config)",
      resource: "suppressions[0]",
      reason: expect.stringMatching(/reason/),
      detail: 'suppression of PL-SVC2 has no reason: add "reason" saying why the finding is acceptable',
    });
    expect(findings.find((f) => f.id === "PL-SVC2")?.suppressed).toBeUndefined();
    expect(ids(blockingFindings(findings))).toContain(SUPPRESSION_FINDING_ID);
  });

  test("a suppression with an unknown rule id is an error finding that suggests the closest id", () => {
    // GIVEN a suppression of "PL-SCV2" (a typo of PL-SVC2), listed second
    // WHEN the stacks are checked
    const findings = checkSynthesized(stacks(), {
      suppressions: [
        { id: "PL-EP2", reason: "load test endpoint" },
        { id: "PL-SCV2", reason: "public service" },
      ],
    });
    // THEN a blocking PL-SUPPRESSION error names the suppression and the likely id
    expect(findings.filter((f) => f.id === SUPPRESSION_FINDING_ID)).toEqual([
      expect.objectContaining({ level: "error", resource: "suppressions[1]", detail: 'unknown rule id "PL-SCV2": did you mean PL-SVC2? (RULES.md lists the ids)' }),
    ]);
    // AND PL-SVC2 stays unsuppressed while the valid PL-EP2 suppression applies
    expect(ids(blockingFindings(findings))).toEqual([SUPPRESSION_FINDING_ID, "PL-SVC2"]);
  });

  test("the PL-SUPPRESSION id itself cannot be suppressed", () => {
    // GIVEN a suppression of PL-SUPPRESSION
    // WHEN an app without findings is checked
    const findings = checkSynthesized({ consumer: consumerStack() }, { suppressions: [{ id: SUPPRESSION_FINDING_ID, reason: "quiet" }] });
    // THEN it is reported as an unknown rule id
    expect(findings).toEqual([expect.objectContaining({ id: SUPPRESSION_FINDING_ID, detail: expect.stringMatching(/^unknown rule id "PL-SUPPRESSION"/) })]);
  });

  test("allow.ingressPorts is passed to the rules", () => {
    // GIVEN a consumer alone whose endpoint opens TCP 22, checked with 443 as the only known port
    const consumer = { consumer: consumerStack({ aws_vpc_security_group_ingress_rule: { Ssh: ingress({ from_port: 22, to_port: 22 }) } }) };
    // WHEN it is checked with and without 22 allowed
    // THEN PL-EP1 flags it only when 22 is not allowed
    expect(ids(checkSynthesized(consumer, { allow: { ingressPorts: [443] } }))).toEqual(["PL-EP1"]);
    expect(ids(checkSynthesized(consumer, { allow: { ingressPorts: [443, 22] } }))).toEqual([]);
  });

  test("stacks without resources give no findings", () => {
    // GIVEN an empty stack
    // WHEN it is checked
    // THEN there are no findings
    expect(checkSynthesized({ empty: stack({}) })).toEqual([]);
  });
});
