/** Security rules at synth: errors stop it and leave cdktf.out alone; warnings and suppressions are listed. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { digest, runApp } from "../support/app";
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

  test("the example synthesizes with one warning, listed in the findings table", () => {
    const r = runApp(exampleJson(), outdir);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^PL-NLB2 +warning +provider +aws_lb\.LoadBalancer_\w+ +Deletion protection/m);
    expect(r.stderr).toMatch(/Security rules: 0 errors, 1 warning, 0 suppressed\./);
    before = digest(outdir);
  });

  test("an error finding stops synth and leaves cdktf.out as it was", () => {
    // GIVEN a "*" principal
    const config = exampleJson();
    config.service.endpointService.allowedPrincipals = ["*"];
    // WHEN synthesized / THEN PL-SVC2 is reported, exit 1, output untouched
    const r = runApp(config, outdir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^PL-SVC2 +error +provider +aws_vpc_endpoint_service_allowed_principal\./m);
    expect(r.stderr).toMatch(/Synthesis stopped: fix the errors above or suppress them in the config with a reason/);
    expect(digest(outdir)).toBe(before);
  });

  test("a suppression with a reason lets it through and shows the reason", () => {
    const config = exampleJson();
    config.service.endpointService.allowedPrincipals = ["*"];
    config.suppressions = [{ id: "PL-SVC2", reason: "public demo service, acceptance still required" }];
    const r = runApp(config, outdir);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/PL-SVC2 .*suppressed: public demo service, acceptance still required/);
    expect(r.stderr).toMatch(/1 suppressed\./);
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
    expect(r.stderr).toMatch(/PL-EP2 .*consumer-reports.*reports\.allowFrom\.allowAnyAddress is true/);
  });
});
