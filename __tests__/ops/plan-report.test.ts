/** npm run plan's report, and forgetting retire stacks: both on real terraform, no AWS needed. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { forgetRetired } from "../../ops/forget";
import { planExitCode, planReport, stacksOption } from "../../ops/plan";
import { StackPlan, StackRunner, countChanges, planWarnings, upstreamsToApplyFirst } from "../../ops/runner";
import { requireTerraform } from "../../ops/terraform";
import { parseConfig } from "../../config/load";
import { readRecord, recordPathFor } from "../../synth/stack-record";
import { synthesize } from "../../synth/synth";
import { exampleJson } from "../support/synth";

jest.setTimeout(300_000);

const plan = (over: Partial<StackPlan>): StackPlan => ({ stack: "provider", retire: false, exitCode: 0, changes: [], outputChanges: [], seconds: 1, ...over });

describe("plan summary", () => {
  test("counts adds, changes, deletions, replacements, forgets and moves", () => {
    const p = plan({
      exitCode: 2,
      changes: [
        { address: "a.x", type: "a", action: "create" },
        { address: "b.x", type: "b", action: "update", movedFrom: "b.old" },
        { address: "c.x", type: "c", action: "delete" },
        { address: "d.x", type: "d", action: "replace" },
        { address: "e.x", type: "e", action: "forget" },
        { address: "f.x", type: "f", action: "no-op", movedFrom: "f.old" },
      ],
    });
    expect(countChanges(p)).toEqual({ add: 1, change: 1, destroy: 1, replace: 1, forget: 1, move: 2 });
  });

  test("warns loudly of each deletion or replacement of the NLB, a listener, a target group, the service, an endpoint or an accepter", () => {
    const types = ["aws_lb", "aws_lb_listener", "aws_lb_target_group", "aws_vpc_endpoint_service", "aws_vpc_endpoint", "aws_vpc_endpoint_connection_accepter"];
    const p = plan({ exitCode: 2, changes: types.flatMap((type) => [{ address: `${type}.r`, type, action: "replace" }, { address: `${type}.d`, type, action: "delete" }, { address: `${type}.u`, type, action: "update" }]) });
    const warnings = planWarnings(p);
    expect(warnings).toHaveLength(12);
    expect(warnings).toContain("REPLACES the NLB: provider aws_lb.r");
    expect(warnings).toContain("DELETES an accepted connection: provider aws_vpc_endpoint_connection_accepter.d");
    expect(warnings.join("\n")).not.toMatch(/\.u\b/);
    // a security group rule is not among them
    expect(planWarnings(plan({ exitCode: 2, changes: [{ address: "aws_security_group.s", type: "aws_security_group", action: "replace" }] }))).toEqual([]);
  });

  test("warns of each retire stack that still removes something", () => {
    const retire = plan({ stack: "consumer-b", retire: true, exitCode: 2, changes: [{ address: "aws_vpc.v", type: "aws_vpc", action: "delete" }, { address: "aws_vpc_endpoint_private_dns.p", type: "aws_vpc_endpoint_private_dns", action: "forget" }] });
    expect(planWarnings(retire)).toEqual(["RETIRE consumer-b: left the config; applying it destroys 1 and forgets 1 resource(s)"]);
    expect(planWarnings(plan({ stack: "consumer-b", retire: true }))).toEqual([]);
  });

  test("one table row per stack, the warnings and failures below; exit code like -detailed-exitcode", () => {
    const plans = [
      plan({ stack: "provider", exitCode: 2, changes: [{ address: "aws_lb_listener.l", type: "aws_lb_listener", action: "update" }] }),
      plan({ stack: "consumer-app", exitCode: 0 }),
      plan({ stack: "consumer-b", retire: true, exitCode: 2, changes: [{ address: "aws_vpc_endpoint.e", type: "aws_vpc_endpoint", action: "delete" }] }),
    ];
    const report = planReport(plans);
    expect(report.split("\n").slice(0, 5)).toEqual([
      "stack         add  change  destroy  replace  forget  moved  outputs",
      "------------  ---  ------  -------  -------  ------  -----  -------  ------------",
      "provider        0       1        0        0       0      0        0",
      "consumer-app    0       0        0        0       0      0        0  no changes",
      "consumer-b      0       0        1        0       0      0        0  retire stack",
    ]);
    expect(report).toMatch(/!! RETIRE consumer-b: left the config; applying it destroys 1 and forgets 0 resource\(s\)/);
    expect(report).toMatch(/!! DELETES a consumer endpoint: consumer-b aws_vpc_endpoint\.e/);
    expect(planExitCode(plans)).toBe(2);
    expect(planExitCode([plan({})])).toBe(0);
    expect(planExitCode([plan({}), plan({ stack: "acceptance", exitCode: undefined, error: "acceptance: terraform plan failed" })])).toBe(1);
    expect(planReport([plan({ stack: "acceptance", exitCode: undefined, error: "boom" })])).toMatch(/acceptance +0 .* PLAN FAILED[\s\S]*acceptance: boom/);
  });
});

describe("a stack that reads a stack with no state yet", () => {
  const diagnostic = (summary: string, detail: string, address?: string) => JSON.stringify({ "@level": "error", "@message": `Error: ${summary}`, type: "diagnostic", diagnostic: { severity: "error", summary, detail, address } });
  const run = (...lines: string[]) => ({ code: 1, stdout: lines.join("\n"), stderr: "", seconds: 1 });
  const noState = (stack: string) => diagnostic("Unable to find remote state", "No stored state was found for the given workspace in the given backend.", `data.terraform_remote_state.${stack}`);

  test("is planned after that stack is applied: every error says a read state is missing or lacks the outputs read", () => {
    expect(upstreamsToApplyFirst(run(noState("consumer-app"), noState("provider"), noState("provider")))).toEqual(["consumer-app", "provider"]);
    expect(upstreamsToApplyFirst(run(diagnostic("Resource postcondition failed", "Stack consumer-app reads outputs service_name from the state of stack provider, which does not have them yet: apply stack provider first (the order is in cdktf.out/manifest.json).", "data.terraform_remote_state.provider")))).toEqual(["provider"]);
    // terraform's human output (apply, or a run without -json)
    expect(upstreamsToApplyFirst({ code: 1, stdout: "", stderr: "│ Error: Unable to find remote state\n│\n│   with data.terraform_remote_state.provider,\n│   on cdk.tf.json line 40", seconds: 1 })).toEqual(["provider"]);
  });

  test("any other error beside it, or none at all, is a real failure", () => {
    expect(upstreamsToApplyFirst(run(noState("provider"), diagnostic("Invalid provider configuration", "no valid credential sources found")))).toEqual([]);
    expect(upstreamsToApplyFirst(run(diagnostic("No valid credential sources found", "")))).toEqual([]);
    expect(upstreamsToApplyFirst(run())).toEqual([]);
  });

  test("shows in the table as planned after that stack is applied, counts as changes to come (exit 2), not as a failure", () => {
    const plans = [plan({ stack: "provider", exitCode: 2 }), plan({ stack: "acceptance", exitCode: undefined, waitsFor: "provider" })];
    const report = planReport(plans);
    expect(report).toMatch(/^acceptance +0 +0 +0 +0 +0 +0 +0  planned after provider is applied$/m);
    expect(report).toContain("Not planned yet, not a failure: 1 stack(s) read a stack that has no state yet (or not the outputs they read). They are planned after applying provider: acceptance.");
    expect(report).not.toMatch(/PLAN FAILED/);
    expect(planExitCode(plans)).toBe(2);
    expect(planExitCode([...plans, plan({ stack: "dns-verification", exitCode: undefined, error: "boom" })])).toBe(1);
  });

  test("--stacks picks stacks of the output, by commas or spaces; an unknown one is refused with the known ones", () => {
    const known = ["provider", "consumer-app", "acceptance"];
    expect(stacksOption(undefined, known)).toBeUndefined();
    expect(stacksOption("provider,acceptance", known)).toEqual(["provider", "acceptance"]);
    expect(stacksOption(" provider  consumer-app ", known)).toEqual(["provider", "consumer-app"]);
    expect(() => stacksOption("provider,consumer-zzz", known)).toThrow('--stacks: received "provider,consumer-zzz"; expected stack names of the output, separated by commas or spaces (provider, consumer-app, acceptance)');
    expect(() => stacksOption("", known)).toThrow(/--stacks: received ""/);
  });
});

describe("retire stacks on real terraform (local state, no AWS calls)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-forget-"));
  const configFile = path.join(dir, "privatelink.config.json");
  const paths = { configFile, recordFile: recordPathFor(configFile), lockFile: path.join(dir, ".terraform.lock.hcl"), outdir: path.join(dir, "cdktf.out") };
  const write = (json: unknown) => fs.writeFileSync(configFile, JSON.stringify(json));
  const withoutReports = () => {
    const c = exampleJson();
    c.consumers = c.consumers.filter((x: any) => x.name !== "reports");
    return c;
  };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  beforeAll(() => {
    requireTerraform();
    write(exampleJson());
    synthesize(parseConfig(exampleJson()), paths.outdir, { recordFile: paths.recordFile });
    write(withoutReports());
    synthesize(parseConfig(withoutReports()), paths.outdir, { recordFile: paths.recordFile });
  });

  test("a retire stack that holds nothing plans no change", async () => {
    const p = await new StackRunner(paths.outdir).plan("consumer-reports");
    expect(p).toMatchObject({ stack: "consumer-reports", retire: true, exitCode: 0, changes: [] });
    expect(p.error).toBeUndefined();
  });

  test("a stack whose source state is missing, with no AWS credentials here, fails for the credentials and still names the stack to apply first", async () => {
    // (with credentials, the missing states alone make it "planned after ... is applied": see above)
    const p = await new StackRunner(paths.outdir).plan("acceptance");
    expect(p.exitCode).toBeUndefined();
    expect(p.waitsFor).toBeUndefined();
    expect(p.error).toMatch(/^acceptance: terraform plan failed:\nError: /);
    expect(p.error).toMatch(/apply stack (provider|consumer-app) first/);
  });

  test("forget refuses a live stack, an unknown one and one whose state still holds resources, and forgets nothing then", async () => {
    const state = path.join(dir, "terraform-state", "consumer-reports.tfstate");
    fs.mkdirSync(path.dirname(state), { recursive: true });
    const resource = { mode: "managed", type: "aws_vpc_endpoint", name: "Endpoint", provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: 0, attributes: { id: "vpce-0123456789abcdef0" } }] };
    fs.writeFileSync(state, JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 1, lineage: "test", outputs: {}, resources: [resource] }));
    const error = await forgetRetired(paths, ["consumer-reports", "consumer-app", "consumer-zzz"]).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(error).toMatch(/^nothing forgotten:/);
    expect(error).toMatch(/consumer-reports: its state still holds 1 resource\(s\) \(aws_vpc_endpoint\.Endpoint\): apply it first/);
    expect(error).toMatch(/consumer-app: still in the config, not a retire stack/);
    expect(error).toMatch(/consumer-zzz: not in .*privatelink\.stacks\.json; stacks recorded there: acceptance, consumer-app/);
    expect(readRecord(paths.recordFile).stacks["consumer-reports"].status).toBe("retired");
    fs.rmSync(state);
  });

  test("forget drops a retire stack whose state is empty from the record and from cdktf.out", async () => {
    expect(await forgetRetired(paths, ["consumer-reports"])).toEqual(["forgot consumer-reports: its state is empty; it is no longer synthesized"]);
    expect(readRecord(paths.recordFile).stacks["consumer-reports"]).toBeUndefined();
    expect(fs.existsSync(path.join(paths.outdir, "stacks", "consumer-reports"))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(paths.outdir, "deploy-order.json"), "utf8")).retire).toEqual([]);
  });
});
