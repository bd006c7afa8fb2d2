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
  test("the example has no error, and one warning: the NLB's deletion protection", () => {
    // GIVEN the built-in example, synthesized
    // WHEN the rules check every stack
    const findings = check(exampleJson());
    // THEN nothing blocks synth, and the only finding is the deletion protection warning
    expect(blockingFindings(findings)).toEqual([]);
    expect(summary(findings)).toEqual(["PL-NLB2 warning provider aws_lb.LoadBalancer_10456B95"]);
  });

  test("with deletion protection on, the example has no finding at all", () => {
    // GIVEN the example with service.loadBalancer.deletionProtection: true
    const json = exampleJson();
    json.service.loadBalancer.deletionProtection = true;
    // WHEN the rules check it
    // THEN there is no finding
    expect(check(json)).toEqual([]);
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
