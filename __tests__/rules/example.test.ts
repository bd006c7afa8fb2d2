import * as fs from "fs";
import { blockingFindings, checkSynthesized, Finding } from "../../rules";
import { exampleJson, SynthResult, synthConfig } from "../support/synth";

const synthesized: SynthResult[] = [];
function check(json: Record<string, any>): Finding[] {
  const result = synthConfig(json);
  synthesized.push(result);
  return checkSynthesized(result.stacks);
}
afterAll(() => synthesized.forEach((r) => fs.rmSync(r.outdir, { recursive: true, force: true })));

const summary = (findings: Finding[]) => findings.map((f) => `${f.id} ${f.level} ${f.stack} ${f.resource}`);

describe("security rules on the built-in example", () => {
  test("the example has no finding at all: its NLB has a security group and deletion protection, its VPCs flow logs", () => {
    // GIVEN the built-in example, synthesized
    // WHEN the rules check every stack
    // THEN there is no finding
    expect(check(exampleJson())).toEqual([]);
  });

  test.each([
    ["deletion protection turned off", (j: Record<string, any>) => (j.service.loadBalancer.deletionProtection = false), ["PL-NLB2 warning provider aws_lb.LoadBalancer_10456B95"]],
    [
      "no security group on the NLB",
      (j: Record<string, any>) => (j.service.loadBalancer.withoutSecurityGroup = { reason: "created before 0.2" }),
      ["PL-NLB4 error provider aws_lb.LoadBalancer_10456B95"],
    ],
    [
      "no flow logs on the provider's VPC",
      (j: Record<string, any>) => (j.service.network.create = { ...j.service.network.create, flowLogs: undefined, withoutFlowLogs: { reason: "lab" } }),
      ["PL-VPC1 warning provider aws_vpc.Network_Vpc_FAC8F4A5"],
    ],
  ])("with %s, the example has that one finding", (_name, change, expected) => {
    const json = exampleJson();
    change(json);
    expect(summary(check(json))).toEqual(expected);
  });

  test("automatic acceptance with a * principal and an endpoint open to every address are reported", () => {
    // GIVEN the example with acceptance off, "*" as principal, and consumer app open to 0.0.0.0/0 and ::/0
    const json = exampleJson();
    json.service.endpointService.acceptanceRequired = false;
    json.service.endpointService.allowedPrincipals = ["*"];
    json.consumers[0].allowFrom = { ipv4Cidrs: ["0.0.0.0/0"], ipv6Cidrs: ["::/0"], allowAnyAddress: true };
    // WHEN the rules check it
    const findings = blockingFindings(check(json));
    // THEN the service, the principal and both open ingress rules are errors
    expect(findings.map((f) => `${f.id} ${f.stack}`).sort()).toEqual(
      ["PL-EP2 consumer-app", "PL-EP2 consumer-app", "PL-SVC1 provider", "PL-SVC2 provider"].sort(),
    );
  });
});
