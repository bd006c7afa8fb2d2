/**
 * Day 2 on the emulator: acceptance turned off on a running setup (the run's applied baseline,
 * support/baseline.ts). The accepter and private-DNS stacks retire without rejecting an endpoint
 * or turning private DNS off, `cdktf deploy '*'` applies the waves and the retire stacks, the
 * cdktf CLI's diff and output work on the stacks, every plain plan is empty, and `npm run
 * destroy` leaves nothing, retire stacks included.
 */
import * as fs from "fs";
import * as path from "path";
import { sandboxConfigJson } from "../../sandbox/flow";
import { emulatorCall } from "../../sandbox/emulator";
import { useBaselineSandbox } from "../support/baseline";
import { cdktf, npmRun } from "../support/sandbox";

jest.setTimeout(600_000);

describe("day 2: acceptance turned off", () => {
  const sandbox = useBaselineSandbox();
  const ec2 = (operation: string, params: Record<string, unknown> = {}) => emulatorCall(sandbox.emulator.endpoint, "us-west-2", "ec2", operation, params);
  const endpoint = (id: string) => ec2("describe_vpc_endpoints", { VpcEndpointIds: [id] }).VpcEndpoints[0];
  const liveEndpoints = () => ec2("describe_vpc_endpoints").VpcEndpoints.filter((e: any) => e.State !== "deleted");
  /** The summary table's row of a stack: stack, result, seconds, note. */
  const row = (stdout: string, stack: string) =>
    stdout
      .split("\n")
      .find((l) => l.startsWith(`${stack} `))
      ?.trim()
      .split(/\s{2,}/);
  const out: Record<string, Record<string, any>> = {};

  test("the running setup: both consumers' endpoints accepted, consumer-app's with private DNS", async () => {
    for (const [key, stack] of [
      ["provider", "provider"],
      ["app", "consumer-app"],
      ["reports", "consumer-reports"],
    ])
      out[key] = await sandbox.run.outputs(stack);
    expect(endpoint(out.app.endpoint_id)).toMatchObject({
      State: "available",
      PrivateDnsEnabled: true,
    });
    expect(endpoint(out.reports.endpoint_id).State).toBe("available");
    expect(sandbox.run.retireStacks()).toEqual([]);
  });

  test("retires acceptance and consumer-app-private-dns; consumer-app, with private DNS at creation, now waits for dns-verification", () => {
    const config = sandboxConfigJson(sandbox.emulator.endpoint, "local") as any;
    config.service.endpointService.acceptanceRequired = false;
    sandbox.run.synth(config);
    expect(sandbox.run.retired.map((r) => r.name)).toEqual(["acceptance", "consumer-app-private-dns"]);
    expect(sandbox.run.retired[0].action).toMatch(/forgets the connection accepters \(2 resource\(s\)\), so no endpoint is rejected; deletes nothing/);
    expect(sandbox.run.retired[1].action).toMatch(/private DNS stays on and consumer-app manages it from now on; deletes nothing/);
    expect(sandbox.run.waves()).toEqual([["provider"], ["consumer-reports", "dns-verification"], ["consumer-app"]]);
  });

  test("the consumer stacks take over private_dns_enabled without a change to the endpoints", async () => {
    const plan = await sandbox.run.plan("consumer-app");
    expect(plan.changes).toEqual([]);
  });

  test("cdktf deploy '*' applies the waves and the retire stacks: no endpoint rejected, private DNS still on", async () => {
    const deployed = await cdktf(sandbox, ["deploy", "*", "--skip-provider-lock", "--auto-approve"]);
    expect({
      code: deployed.code,
      output: deployed.code === 0 ? "" : deployed.output,
    }).toEqual({ code: 0, output: "" });
    expect(deployed.output).toMatch(/retire stack acceptance \(/);
    expect(endpoint(out.app.endpoint_id)).toMatchObject({
      State: "available",
      PrivateDnsEnabled: true,
    });
    expect(endpoint(out.reports.endpoint_id).State).toBe("available");
    expect(
      ec2("describe_vpc_endpoint_service_configurations", {
        ServiceIds: [out.provider.service_id],
      }).ServiceConfigurations[0].AcceptanceRequired
    ).toBe(false);
    for (const stack of sandbox.run.retireStacks())
      expect({ stack, left: await sandbox.run.resources(stack) }).toEqual({
        stack,
        left: [],
      });
  });

  test("cdktf diff of a stack shows no change, and cdktf output reads a stack's outputs", async () => {
    const diff = await cdktf(sandbox, ["diff", "provider", "--skip-provider-lock"]);
    expect({
      code: diff.code,
      output: diff.code === 0 ? "" : diff.output,
    }).toEqual({ code: 0, output: "" });
    expect(diff.output).toMatch(/No changes/);
    const file = path.join(sandbox.workDir, "outputs.json");
    const output = await cdktf(sandbox, ["output", "consumer-app", "--outputs-file", file]);
    expect({
      code: output.code,
      output: output.code === 0 ? "" : output.output,
    }).toEqual({ code: 0, output: "" });
    expect(JSON.parse(fs.readFileSync(file, "utf8"))["consumer-app"]).toMatchObject({ endpoint_id: out.app.endpoint_id });
  });

  test("a plain plan of every stack, retire stacks included, is empty", async () => {
    const plans = await sandbox.run.emptyPlans();
    const stacks = [...sandbox.run.waves().flat(), ...sandbox.run.retireStacks()];
    expect(
      plans
        .map(({ stack, empty, run: plan }) => ({
          stack,
          empty,
          plan: empty ? "" : plan.stdout,
        }))
        .sort((a, b) => stacks.indexOf(a.stack) - stacks.indexOf(b.stack))
    ).toEqual(stacks.map((stack) => ({ stack, empty: true, plan: "" })));
  });

  test("npm run destroy --auto-approve leaves nothing, retire stacks included, in any state nor in the emulator", async () => {
    const r = await npmRun(sandbox, "destroy", ["--auto-approve"]);
    expect({
      code: r.code,
      output: r.code === 0 ? "" : r.stdout + r.stderr,
    }).toEqual({ code: 0, output: "" });
    const stacks = [...sandbox.run.waves().flat(), ...sandbox.run.retireStacks()];
    for (const stack of stacks) expect(row(r.stdout, stack)?.slice(0, 2)).toEqual([stack, "destroyed"]);
    expect(r.stdout).toMatch(new RegExp(`^${stacks.length} destroyed, 0 failed, 0 skipped$`, "m"));
    const left = await Promise.all(
      stacks.map(async (stack) => ({
        stack,
        left: await sandbox.run.resources(stack),
      }))
    );
    expect(left).toEqual(stacks.map((stack) => ({ stack, left: [] })));
    expect(liveEndpoints()).toEqual([]);
    expect(ec2("describe_vpc_endpoint_service_configurations").ServiceConfigurations).toEqual([]);
    expect(emulatorCall(sandbox.emulator.endpoint, "us-west-2", "elbv2", "describe_load_balancers").LoadBalancers).toEqual([]);
    expect(ec2("describe_vpcs").Vpcs.filter((v: any) => !v.IsDefault)).toEqual([]);
  });
});
