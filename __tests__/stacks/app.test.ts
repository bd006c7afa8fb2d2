/** Which stacks a config yields, and the dependencies that give `cdktf deploy --all` its order. */
import { SynthResult, exampleJson, synthConfig } from "../support/synth";

const synth = synthConfig;

const stackNames = (r: SynthResult): string[] => Object.keys(r.manifest.stacks).sort();
const dependenciesOf = (r: SynthResult, stack: string): string[] => [...r.manifest.stacks[stack].dependencies].sort();
const endpointOf = (r: SynthResult, stack: string): any => Object.values<any>(r.stacks[stack].resource.aws_vpc_endpoint)[0];

/** The example with acceptance switched off: private DNS is then set in the consumer stack. */
function withoutAcceptance(): Record<string, any> {
  const c = exampleJson();
  c.service.endpointService.acceptanceRequired = false;
  return c;
}

describe("stacks of the built-in example", () => {
  let example: SynthResult;
  beforeAll(() => {
    example = synth(exampleJson());
  });

  test("the example yields exactly the six stacks of the flow", () => {
    // GIVEN the built-in example (private DNS name, acceptance required, consumers app and reports)
    // WHEN it is synthesized
    // THEN the manifest lists exactly these stacks
    expect(stackNames(example)).toEqual(
      ["acceptance", "consumer-app", "consumer-app-private-dns", "consumer-reports", "dns-verification", "provider"].sort(),
    );
  });

  test("every stack in the manifest has a synthesized Terraform file", () => {
    // GIVEN the synthesized example
    // WHEN the manifest's stacks are read
    // THEN each one has Terraform JSON with a backend
    for (const name of stackNames(example)) expect(example.stacks[name].terraform.backend).toBeDefined();
  });

  test.each([
    ["provider", []],
    ["dns-verification", ["provider"]],
    ["consumer-app", ["provider"]],
    ["consumer-reports", ["provider"]],
    ["acceptance", ["provider", "consumer-app", "consumer-reports"]],
    ["consumer-app-private-dns", ["consumer-app", "acceptance", "dns-verification"]],
  ])("the manifest declares %s's dependencies", (stack, expected) => {
    // GIVEN the synthesized example
    // WHEN the manifest is read
    // THEN the stack depends on exactly the stacks before it in the flow that it needs
    expect(dependenciesOf(example, stack)).toEqual([...expected].sort());
  });

  test("the dependencies give a deploy order that follows the flow's stages", () => {
    // GIVEN the stage of each stack in DESIGN.md's table
    const stage = (name: string): number =>
      name === "provider" ? 1 : name === "dns-verification" ? 2 : name === "acceptance" ? 4 : name.endsWith("-private-dns") ? 5 : 3;
    // WHEN every declared dependency is compared with its dependent
    const edges = stackNames(example).flatMap((name) => dependenciesOf(example, name).map((dep) => ({ name, dep })));
    // THEN each dependency is an existing stack of an earlier stage
    expect(edges.length).toBeGreaterThan(0);
    for (const { name, dep } of edges) {
      expect(stackNames(example)).toContain(dep);
      expect({ name, dep, earlier: stage(dep) < stage(name) }).toEqual({ name, dep, earlier: true });
    }
  });

  test("a consumer with privateDns false gets no private-dns stack", () => {
    // GIVEN the example, whose consumer "reports" sets privateDns false
    // WHEN it is synthesized
    // THEN there is no consumer-reports-private-dns stack
    expect(stackNames(example)).toContain("consumer-reports");
    expect(stackNames(example)).not.toContain("consumer-reports-private-dns");
  });
});

describe("stacks that depend on the config", () => {
  test("no dns-verification stack without a private DNS name", () => {
    // GIVEN the example without service.endpointService.privateDnsName (and no consumer asking for private DNS)
    const c = exampleJson();
    delete c.service.endpointService.privateDnsName;
    delete c.consumers[0].privateDns;
    // WHEN it is synthesized
    const r = synth(c);
    // THEN there is no dns-verification stack, and no private-dns stack either
    expect(stackNames(r)).toEqual(["acceptance", "consumer-app", "consumer-reports", "provider"]);
  });

  test("no acceptance and no private-dns stacks when acceptance is not required", () => {
    // GIVEN the example with acceptanceRequired false
    // WHEN it is synthesized
    const r = synth(withoutAcceptance());
    // THEN only provider, dns-verification and the consumer stacks remain
    expect(stackNames(r)).toEqual(["consumer-app", "consumer-reports", "dns-verification", "provider"]);
  });

  test("without acceptance, private DNS is enabled on the consumer endpoint at creation", () => {
    // GIVEN the example with acceptanceRequired false, consumer "app" asking for private DNS
    // WHEN it is synthesized
    const r = synth(withoutAcceptance());
    // THEN consumer-app's endpoint has private_dns_enabled true
    expect(endpointOf(r, "consumer-app").private_dns_enabled).toBe(true);
  });

  test("without acceptance, a consumer with private DNS waits for dns-verification", () => {
    // GIVEN the example with acceptanceRequired false
    // WHEN it is synthesized
    const r = synth(withoutAcceptance());
    // THEN consumer-app depends on provider and dns-verification; consumer-reports (privateDns false) only on provider
    expect(dependenciesOf(r, "consumer-app")).toEqual(["dns-verification", "provider"]);
    expect(dependenciesOf(r, "consumer-reports")).toEqual(["provider"]);
  });

  test("without acceptance, a consumer with privateDns false keeps private DNS off", () => {
    // GIVEN the example with acceptanceRequired false, consumer "reports" with privateDns false
    // WHEN it is synthesized
    const r = synth(withoutAcceptance());
    // THEN consumer-reports' endpoint has private_dns_enabled false
    expect(endpointOf(r, "consumer-reports").private_dns_enabled).toBe(false);
  });

  test("a consumer that leaves privateDns unset gets a private-dns stack when the service has a name", () => {
    // GIVEN the example with consumer "app" not setting privateDns (default: on, since the service has a name)
    const c = exampleJson();
    delete c.consumers[0].privateDns;
    // WHEN it is synthesized
    const r = synth(c);
    // THEN consumer-app-private-dns exists
    expect(stackNames(r)).toContain("consumer-app-private-dns");
  });

  test("stack names follow the consumers' names", () => {
    // GIVEN the example with its consumers renamed "billing" and "analytics-2"
    const c = exampleJson();
    c.consumers[0].name = "billing";
    c.consumers[1].name = "analytics-2";
    // WHEN it is synthesized
    const r = synth(c);
    // THEN the consumer stacks, the private-dns stack and the acceptance dependencies carry the new names
    expect(stackNames(r)).toEqual(["acceptance", "consumer-analytics-2", "consumer-billing", "consumer-billing-private-dns", "dns-verification", "provider"]);
    expect(dependenciesOf(r, "acceptance")).toEqual(["consumer-analytics-2", "consumer-billing", "provider"]);
    expect(dependenciesOf(r, "consumer-billing-private-dns")).toEqual(["acceptance", "consumer-billing", "dns-verification"]);
  });
});
