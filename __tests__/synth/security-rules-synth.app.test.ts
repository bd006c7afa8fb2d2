/** Security rules at synth: errors stop it and leave cdktf.out alone; warnings and suppressions are listed. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { digest, runApp } from "../support/app";
import { parseConfig } from "../../config/load";
import { synthesize } from "../../synth/synth";
import { exampleJson } from "../support/synth";

describe("security rules during synth", () => {
  let outdir: string;
  let before: string;
  beforeAll(() => {
    outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pl-rules-")), "cdktf.out");
    const good = runApp(exampleJson(), outdir);
    expect(good.status).toBe(0);
    before = digest(outdir);
  });
  afterAll(() => fs.rmSync(path.dirname(outdir), { recursive: true, force: true }));

  test("the example synthesizes with no finding; a warning is listed in the table with its config path", () => {
    const clean = runApp(exampleJson(), outdir);
    expect(clean.stdout + clean.stderr).not.toMatch(/Security rules/);
    const config = exampleJson();
    config.service.loadBalancer.deletionProtection = false;
    const r = runApp(config, outdir);
    expect(r.status).toBe(0);
    // (on stdout: warnings do not stop synth, and the cdktf CLI prints stderr as errors)
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^PL-NLB2 +warning +service\.loadBalancer +provider +aws_lb\.LoadBalancer_\w+ +Deletion protection/m);
    expect(r.stdout).toMatch(/Security rules: 0 errors, 1 warning, 0 suppressed\./);
    before = digest(outdir);
  });

  test("an error finding stops synth and leaves cdktf.out as it was", () => {
    // GIVEN a "*" principal
    const config = exampleJson();
    config.service.endpointService.allowedPrincipals = ["*"];
    // WHEN synthesized / THEN PL-SVC2 is reported, exit 1, output untouched
    const r = runApp(config, outdir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^PL-SVC2 +error +service\.endpointService\.allowedPrincipals\[0\] = "\*" +provider +aws_vpc_endpoint_service_allowed_principal\./m);
    expect(r.stderr).toMatch(/Synthesis stopped: fix the errors above or suppress them in the config with a reason/);
    expect(digest(outdir)).toBe(before);
  });

  test("a suppression with a reason lets it through and shows the reason", () => {
    const config = exampleJson();
    config.service.endpointService.allowedPrincipals = ["*"];
    config.suppressions = [{ id: "PL-SVC2", reason: "public demo service, acceptance still required" }];
    const r = runApp(config, outdir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/PL-SVC2 .*suppressed: public demo service, acceptance still required/);
    expect(r.stdout).toMatch(/1 suppressed\./);
  });

  test("a suppression without a reason is itself an error", () => {
    const config = exampleJson();
    config.suppressions = [{ id: "PL-NLB2", reason: " " }];
    const r = runApp(config, outdir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/PL-SUPPRESSION +error/);
  });

  test("allowFrom.allowAnyAddress stands as the suppression of PL-EP2, with that reason", () => {
    const config = exampleJson();
    config.consumers[1].allowFrom = { ipv4Cidrs: ["0.0.0.0/0"], allowAnyAddress: true };
    const r = runApp(config, outdir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/PL-EP2 .*consumer-reports.*reports\.allowFrom\.allowAnyAddress is true/);
  });
});

describe("findings name the config path and value that produced them", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-origins-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const findingsOf = (json: Record<string, any>) => synthesize(parseConfig(json), path.join(dir, "cdktf.out")).findings;
  const suppressed = (json: Record<string, any>) => findingsOf(json).map((f) => ({ id: f.id, origin: f.origin, suppressed: f.suppressed }));

  test("a principal, an ingress source and a network each point at the config entry", () => {
    const json = exampleJson();
    json.service.endpointService.allowedPrincipals.push("*");
    json.consumers[1].allowFrom = { ipv4Cidrs: ["10.2.0.0/16", "0.0.0.0/0"], allowAnyAddress: true };
    delete json.consumers[0].network.create.flowLogs;
    json.consumers[0].network.create.withoutFlowLogs = { reason: "reviewed" };
    json.suppressions = [{ id: "PL-SVC2", reason: "reviewed" }];
    expect(suppressed(json)).toEqual(
      expect.arrayContaining([
        { id: "PL-SVC2", origin: { path: "service.endpointService.allowedPrincipals[1]", value: "*" }, suppressed: "reviewed" },
        { id: "PL-EP2", origin: { path: "consumers[1].allowFrom.ipv4Cidrs[1]", value: "0.0.0.0/0" }, suppressed: expect.stringMatching(/allowAnyAddress/) },
        { id: "PL-VPC1", origin: { path: "consumers[0].network.create" }, suppressed: "consumers[0].network.create.withoutFlowLogs: reviewed" },
      ]),
    );
  });

  test("a suppression written against a config path covers what that path (or a path below it) produced, and nothing else", () => {
    const json = exampleJson();
    json.service.loadBalancer.deletionProtection = false;
    json.suppressions = [{ id: "PL-NLB2", reason: "torn down after the test", config: "service.loadBalancer" }, { id: "PL-NLB2", reason: "not this one", config: "consumers[0]" }];
    const found = suppressed(json);
    expect(found).toEqual([{ id: "PL-NLB2", origin: { path: "service.loadBalancer" }, suppressed: "torn down after the test" }]);
  });

  test("withoutSecurityGroup and withoutFlowLogs stand as the suppressions of PL-NLB4 and PL-VPC1, with their reasons; the sandbox suppresses deletion protection", () => {
    const json = exampleJson();
    json.service.loadBalancer.withoutSecurityGroup = { reason: "NLB created before 0.2; replaced in the next window" };
    json.sandbox = { endpoint: "http://127.0.0.1:4566" };
    for (const c of json.consumers) delete c.network.create.flowLogs;
    json.consumers[1].network.create.withoutFlowLogs = { reason: "short-lived reports VPC" };
    const found = suppressed(json);
    expect(found).toEqual(
      expect.arrayContaining([
        { id: "PL-NLB4", origin: { path: "service.loadBalancer" }, suppressed: "service.loadBalancer.withoutSecurityGroup: NLB created before 0.2; replaced in the next window" },
        { id: "PL-NLB2", origin: { path: "service.loadBalancer" }, suppressed: expect.stringMatching(/^sandbox: /) },
        { id: "PL-VPC1", origin: { path: "consumers[1].network.create" }, suppressed: "consumers[1].network.create.withoutFlowLogs: short-lived reports VPC" },
      ]),
    );
    // consumers[0] lost its explicit flowLogs and records them by default: no finding at all.
    expect(found.filter((f) => f.id === "PL-VPC1")).toHaveLength(1);
    expect(found.filter((f) => f.suppressed === undefined)).toEqual([]);
  });
});
