/**
 * Day 2 on the emulator, as an operator lives it: a running setup (the run's applied baseline,
 * support/baseline.ts) whose config changes in one go - a consumer removed, the private DNS name
 * renamed, the listener port and the target port moved, acceptance turned off - planned with
 * `npm run plan` and applied with `cdktf deploy '*'`, retire stacks included. Nothing is orphaned,
 * nothing AWS can change in place is replaced (the target group, which AWS cannot change in
 * place, is created before the old one is deleted), no endpoint is rejected, a plain plan of
 * every stack afterwards is empty, and `npm run destroy` leaves nothing. Before the change, state
 * written under the addresses earlier versions gave it is carried over by moved blocks.
 *
 * One change set, one apply, one round of plain plans and one destroy: each of these changes
 * is shown on the same running setup, for a third of the terraform runs of a flow per change.
 */
import * as fs from "fs";
import * as path from "path";
import { SANDBOX_ZONE, sandboxConfigJson } from "../../sandbox/flow";
import { forgetRetired } from "../../ops/forget";
import { CRITICAL_TYPES } from "../../ops/runner";
import { emulatorCall } from "../../sandbox/emulator";
import { useBaselineSandbox } from "../support/baseline";
import { runNode } from "../support/app";
import { cdktf, npmRun } from "../support/sandbox";

jest.setTimeout(900_000);

describe("day 2: remove a consumer, rename the private DNS name, move the listener and target ports, turn acceptance off", () => {
  const sandbox = useBaselineSandbox();
  const ec2 = (operation: string, params: Record<string, unknown> = {}) => emulatorCall(sandbox.emulator.endpoint, "us-west-2", "ec2", operation, params);
  const elbv2 = (operation: string, params: Record<string, unknown> = {}) => emulatorCall(sandbox.emulator.endpoint, "us-west-2", "elbv2", operation, params);
  const endpoint = (id: string) => ec2("describe_vpc_endpoints", { VpcEndpointIds: [id] }).VpcEndpoints[0];
  const liveEndpoints = () => ec2("describe_vpc_endpoints").VpcEndpoints.filter((e: any) => e.State !== "deleted");
  /** A summary table's row of a stack, split on runs of spaces. */
  const row = (stdout: string, stack: string, split = /\s{2,}/) => stdout.split("\n").find((l) => l.startsWith(`${stack} `))?.trim().split(split);
  const before: Record<string, Record<string, any>> = {};
  const changedConfig = () => {
    const config = sandboxConfigJson(sandbox.emulator.endpoint, "local") as any;
    config.consumers = config.consumers.filter((c: any) => c.name !== "reports");
    config.service.endpointService.privateDnsName = `portal.${SANDBOX_ZONE}`;
    config.service.endpointService.acceptanceRequired = false;
    config.service.loadBalancer.listeners[0].port = 8080;
    config.service.loadBalancer.target.port = 8081;
    return config;
  };
  const RETIRED = ["acceptance", "consumer-app-private-dns", "consumer-reports"];

  test("the running setup: every stack of the first config applied, both endpoints accepted, consumer-app's with private DNS", async () => {
    expect(sandbox.run.waves()).toEqual([["provider"], ["consumer-app", "consumer-reports", "dns-verification"], ["acceptance"], ["consumer-app-private-dns"]]);
    expect(sandbox.run.retireStacks()).toEqual([]);
    for (const stack of ["provider", "consumer-app", "consumer-reports"]) before[stack] = await sandbox.run.outputs(stack);
    [before.listener] = elbv2("describe_listeners", { LoadBalancerArn: before.provider.nlb_arn }).Listeners;
    expect(Number(before.listener.Port)).toBe(80);
    before.appRules = ec2("describe_security_group_rules", { Filters: [{ Name: "group-id", Values: [before["consumer-app"].security_group_id] }] }).SecurityGroupRules.filter((r: any) => !r.IsEgress);
    expect(endpoint(before["consumer-app"].endpoint_id)).toMatchObject({ State: "available", PrivateDnsEnabled: true });
    expect(endpoint(before["consumer-reports"].endpoint_id).State).toBe("available");
  });

  test("state written under the addresses of earlier versions (port in the address) is carried over by moved blocks", async () => {
    // GIVEN the provider's and consumer-app's state moved back to the addresses 0.1 gave them
    // (the two stacks side by side: each has its own state)
    await Promise.all(["provider", "consumer-app"].map(async (stack) => {
      const stateFile = path.join(sandbox.workDir, "terraform-state", `${stack}.tfstate`);
      const current = fs.readFileSync(stateFile);
      const moved: { from: string; to: string }[] = JSON.parse(fs.readFileSync(path.join(sandbox.run.dir(stack), "cdk.tf.json"), "utf8")).moved ?? [];
      expect(moved.length).toBeGreaterThan(0);
      for (const { from, to } of moved) {
        // (through the runner, which runs terraform init first in a freshly synthesized folder)
        const mv = await sandbox.run.step(stack, "state mv", ["state", "mv", "-no-color", to, from]);
        expect({ stack, err: mv.stderr }).toEqual({ stack, err: "" });
      }
      // WHEN planned with the current code
      const plan = await sandbox.run.plan(stack);
      // THEN each of those resources only moves: nothing is created, deleted or replaced
      expect({ stack, error: plan.error, changes: plan.changes.filter((c) => c.action !== "no-op") }).toEqual({ stack, error: undefined, changes: [] });
      expect(plan.changes.filter((c) => c.movedFrom).map((c) => c.movedFrom).sort()).toEqual(moved.map((m) => m.from).sort());
      // An operator applies that before any port moves (the earlier addresses held the port);
      // a plan of moves only changes addresses in the state, so the state is put back instead.
      fs.writeFileSync(stateFile, current);
    }));
  });

  test("the changed config retires consumer-reports, acceptance and consumer-app-private-dns; consumer-app, with private DNS at creation, now waits for dns-verification", () => {
    sandbox.run.synth(changedConfig());
    expect(sandbox.run.retired.map((r) => r.name).sort()).toEqual(RETIRED);
    const action = (name: string) => sandbox.run.retired.find((r) => r.name === name)?.action;
    expect(action("acceptance")).toMatch(/forgets the connection accepters \(2 resource\(s\)\), so no endpoint is rejected; deletes nothing/);
    expect(action("consumer-app-private-dns")).toMatch(/private DNS stays on and consumer-app manages it from now on; deletes nothing/);
    expect(sandbox.run.waves()).toEqual([["provider"], ["dns-verification"], ["consumer-app"]]);
    expect([...sandbox.run.retireStacks()].sort()).toEqual(RETIRED);
    const retire = JSON.parse(fs.readFileSync(path.join(sandbox.run.dir("consumer-reports"), "cdk.tf.json"), "utf8"));
    expect(retire.resource).toBeUndefined();
    expect(retire.data).toBeUndefined();
  });

  test("npm run plan shows it stack by stack: of what consumers depend on, only the target group is replaced; the retire stacks loudly; exit code 2", async () => {
    const r = await runNode(["ops/plan.ts"], { PRIVATELINK_CONFIG: path.join(sandbox.workDir, "privatelink.config.json"), CDKTF_OUTDIR: sandbox.run.outdir });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: expect.any(String) });
    // stack, add, change, destroy, replace, forget, moved, outputs[, note]: in place but for the
    // target group (its port cannot change in place), what hangs on it, and the terraform_data
    // that re-reads the service's new verification challenge
    const provider = row(r.stdout, "provider", /\s+/)!;
    expect(provider.slice(0, 4)).toEqual(["provider", expect.any(String), expect.any(String), "0"]);
    expect(Number(provider[2])).toBeGreaterThan(0);
    expect(Number(provider[4])).toBeGreaterThanOrEqual(2);
    for (const stack of RETIRED) expect(row(r.stdout, stack, /\s+/)?.slice(-2)).toEqual(["retire", "stack"]);
    expect(r.stdout).toMatch(/!! RETIRE consumer-reports: left the config; applying it destroys \d+ and forgets 0 resource\(s\)/);
    expect(r.stdout).toMatch(/!! RETIRE acceptance: left the config; applying it destroys 0 and forgets 2 resource\(s\)/);
    expect(r.stdout).toMatch(/!! DELETES a consumer endpoint: consumer-reports aws_vpc_endpoint\./);
    expect(r.stdout).toMatch(/!! REPLACES a target group: provider aws_lb_target_group\./);
    expect(r.stdout).not.toMatch(/!! (REPLACES|DELETES) (the NLB|a listener|the endpoint service|an accepted connection)/);
    expect(r.stdout).not.toMatch(/!! (REPLACES|DELETES) a consumer endpoint: consumer-app /);
    expect(Object.keys(CRITICAL_TYPES)).toEqual(expect.arrayContaining(["aws_lb", "aws_lb_listener", "aws_lb_target_group", "aws_vpc_endpoint_service"]));
  });

  test("cdktf deploy '*' applies the waves and then the retire stacks", async () => {
    const deployed = await cdktf(sandbox, ["deploy", "*", "--skip-provider-lock", "--auto-approve"]);
    expect({ code: deployed.code, output: deployed.code === 0 ? "" : deployed.output }).toEqual({ code: 0, output: "" });
    for (const stack of RETIRED) expect(deployed.output).toMatch(new RegExp(`retire stack ${stack} \\(`));
    for (const stack of RETIRED) expect({ stack, left: await sandbox.run.resources(stack) }).toEqual({ stack, left: [] });
  });

  test("the removed consumer's endpoint, security group and created network are gone; the other endpoint was not rejected", () => {
    const reports = before["consumer-reports"];
    expect(liveEndpoints().map((e: any) => e.VpcEndpointId)).toEqual([before["consumer-app"].endpoint_id]);
    expect(ec2("describe_security_groups").SecurityGroups.map((g: any) => g.GroupId)).not.toContain(reports.security_group_id);
    expect(ec2("describe_vpcs").Vpcs.map((v: any) => v.VpcId)).not.toContain(reports.vpc_id);
    expect(ec2("describe_vpc_endpoint_service_configurations", { ServiceIds: [before.provider.service_id] }).ServiceConfigurations[0].AcceptanceRequired).toBe(false);
  });

  test("the remaining consumer is available with private DNS under the new, verified name", () => {
    const service = ec2("describe_vpc_endpoint_service_configurations", { ServiceIds: [before.provider.service_id] }).ServiceConfigurations[0];
    expect(service.PrivateDnsName).toBe(`portal.${SANDBOX_ZONE}`);
    expect(service.PrivateDnsNameConfiguration.State).toBe("verified");
    const app = endpoint(before["consumer-app"].endpoint_id);
    expect(app).toMatchObject({ State: "available", PrivateDnsEnabled: true });
    expect(app.DnsEntries.map((e: any) => e.DnsName)).toContain(`portal.${SANDBOX_ZONE}`);
    expect(app.DnsEntries.map((e: any) => e.DnsName)).not.toContain(`api.${SANDBOX_ZONE}`);
  });

  test("the same NLB, listener and endpoint service serve the new ports; a new target group replaced the old; the consumer's rule opens the new port, changed in place", async () => {
    const provider = await sandbox.run.outputs("provider");
    expect(provider.nlb_arn).toBe(before.provider.nlb_arn);
    expect(provider.service_id).toBe(before.provider.service_id);
    const listeners = elbv2("describe_listeners", { LoadBalancerArn: provider.nlb_arn }).Listeners;
    // the same listener (its ARN), updated in place, now forwarding to a new target group
    expect(listeners.map((l: any) => [l.ListenerArn, Number(l.Port)])).toEqual([[before.listener.ListenerArn, 8080]]);
    const oldGroup = before.listener.DefaultActions[0].TargetGroupArn;
    const newGroup = listeners[0].DefaultActions[0].TargetGroupArn;
    expect(newGroup).not.toBe(oldGroup);
    expect(Number(elbv2("describe_target_groups", { TargetGroupArns: [newGroup] }).TargetGroups[0].Port)).toBe(8081);
    expect(elbv2("describe_target_health", { TargetGroupArn: newGroup }).TargetHealthDescriptions.map((t: any) => Number(t.Target.Port))).toEqual([8081]);
    expect(() => elbv2("describe_target_groups", { TargetGroupArns: [oldGroup] })).toThrow(/TargetGroupNotFound|not found/i);
    const rules = ec2("describe_security_group_rules", { Filters: [{ Name: "group-id", Values: [before["consumer-app"].security_group_id] }] }).SecurityGroupRules;
    const ingress = rules.filter((r: any) => !r.IsEgress);
    expect(ingress.map((r: any) => [r.SecurityGroupRuleId, r.FromPort, r.ToPort])).toEqual([[before.appRules[0].SecurityGroupRuleId, 8080, 8080]]);
  });

  test("cdktf diff of a stack shows no change, and cdktf output reads a stack's outputs", async () => {
    const diff = await cdktf(sandbox, ["diff", "provider", "--skip-provider-lock"]);
    expect({ code: diff.code, output: diff.code === 0 ? "" : diff.output }).toEqual({ code: 0, output: "" });
    expect(diff.output).toMatch(/No changes/);
    const file = path.join(sandbox.workDir, "outputs.json");
    const output = await cdktf(sandbox, ["output", "consumer-app", "--outputs-file", file]);
    expect({ code: output.code, output: output.code === 0 ? "" : output.output }).toEqual({ code: 0, output: "" });
    expect(JSON.parse(fs.readFileSync(file, "utf8"))["consumer-app"]).toMatchObject({ endpoint_id: before["consumer-app"].endpoint_id });
  });

  test("a plain plan of every stack, retire stacks included, is empty", async () => {
    const stacks = [...sandbox.run.waves().flat(), ...sandbox.run.retireStacks()];
    const plans = await sandbox.run.emptyPlans();
    expect(plans.map(({ stack, empty, run: plan }) => ({ stack, empty, plan: empty ? "" : plan.stdout })).sort((a, b) => stacks.indexOf(a.stack) - stacks.indexOf(b.stack))).toEqual(
      stacks.map((stack) => ({ stack, empty: true, plan: "" })),
    );
  });

  test("the emptied retire stack of the removed consumer is forgotten: out of the record and of cdktf.out", async () => {
    const paths = { configFile: path.join(sandbox.workDir, "privatelink.config.json"), recordFile: sandbox.run.recordFile, lockFile: path.join(sandbox.workDir, ".terraform.lock.hcl"), outdir: sandbox.run.outdir };
    const states = path.join(sandbox.workDir, "terraform-state");
    expect(fs.readdirSync(states)).toContain("consumer-reports.tfstate");
    expect(await forgetRetired(paths, ["consumer-reports"])).toEqual([expect.stringMatching(/^forgot consumer-reports: its state is empty; it is no longer synthesized; deleted \S*consumer-reports\.tfstate\b/)]);
    expect(Object.keys(JSON.parse(fs.readFileSync(sandbox.run.recordFile, "utf8")).stacks)).not.toContain("consumer-reports");
    expect(fs.existsSync(sandbox.run.dir("consumer-reports"))).toBe(false);
    expect(fs.readdirSync(states).filter((f) => f.includes("consumer-reports"))).toEqual([]);
    expect([...sandbox.run.retireStacks()].sort()).toEqual(["acceptance", "consumer-app-private-dns"]);
  });

  test("npm run destroy --auto-approve leaves nothing, the retire stacks still in the record included, in any state nor in the emulator", async () => {
    const r = await npmRun(sandbox, "destroy", ["--auto-approve"]);
    expect({ code: r.code, output: r.code === 0 ? "" : r.stdout + r.stderr }).toEqual({ code: 0, output: "" });
    const stacks = [...sandbox.run.waves().flat(), ...sandbox.run.retireStacks()];
    for (const stack of stacks) expect(row(r.stdout, stack)?.slice(0, 2)).toEqual([stack, "destroyed"]);
    expect(r.stdout).toMatch(new RegExp(`^${stacks.length} destroyed, 0 failed, 0 skipped$`, "m"));
    const left = await Promise.all(stacks.map(async (stack) => ({ stack, left: await sandbox.run.resources(stack) })));
    expect(left).toEqual(stacks.map((stack) => ({ stack, left: [] })));
    expect(liveEndpoints()).toEqual([]);
    expect(ec2("describe_vpc_endpoint_service_configurations").ServiceConfigurations).toEqual([]);
    expect(elbv2("describe_load_balancers").LoadBalancers).toEqual([]);
    expect(ec2("describe_vpcs").Vpcs.filter((v: any) => !v.IsDefault)).toEqual([]);
  });
});
