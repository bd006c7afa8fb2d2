/**
 * Day 2 on the emulator, as an operator lives it: a running setup (the run's applied baseline,
 * support/baseline.ts) whose config changes in one go (a consumer removed, the private DNS name
 * renamed, the listener port moved), applied with plain terraform in deploy-order.json's order,
 * retire stacks included. Nothing is orphaned, nothing AWS can change in place is replaced, a
 * plain plan afterwards is empty and destroy leaves nothing.
 */
import * as fs from "fs";
import * as path from "path";
import { SANDBOX_ZONE, sandboxConfigJson } from "../../sandbox/flow";
import { forgetRetired } from "../../ops/forget";
import { CRITICAL_TYPES } from "../../ops/runner";
import { emulatorCall } from "../../sandbox/emulator";
import { useBaselineSandbox } from "../support/baseline";
import { runNode } from "../support/app";

jest.setTimeout(900_000);

describe("day 2: remove a consumer, rename the private DNS name, move the listener port", () => {
  const sandbox = useBaselineSandbox();
  const ec2 = (operation: string, params: Record<string, unknown> = {}) => emulatorCall(sandbox.emulator.endpoint, "us-west-2", "ec2", operation, params);
  const elbv2 = (operation: string, params: Record<string, unknown> = {}) => emulatorCall(sandbox.emulator.endpoint, "us-west-2", "elbv2", operation, params);
  const before: Record<string, Record<string, any>> = {};
  const changedConfig = () => {
    const config = sandboxConfigJson(sandbox.emulator.endpoint, "local") as any;
    config.consumers = config.consumers.filter((c: any) => c.name !== "reports");
    config.service.endpointService.privateDnsName = `portal.${SANDBOX_ZONE}`;
    config.service.loadBalancer.listeners[0].port = 8080;
    return config;
  };

  test("the running setup: every stack of the first config applied, consumer-app's endpoint available with private DNS", async () => {
    expect(sandbox.run.waves()).toEqual([["provider"], ["consumer-app", "consumer-reports", "dns-verification"], ["acceptance"], ["consumer-app-private-dns"]]);
    for (const stack of ["provider", "consumer-app", "consumer-reports"]) before[stack] = await sandbox.run.outputs(stack);
    before.listener = elbv2("describe_listeners", { LoadBalancerArn: before.provider.nlb_arn }).Listeners[0];
    before.appRules = ec2("describe_security_group_rules", { Filters: [{ Name: "group-id", Values: [before["consumer-app"].security_group_id] }] }).SecurityGroupRules.filter((r: any) => !r.IsEgress);
    expect(ec2("describe_vpc_endpoints", { VpcEndpointIds: [before["consumer-app"].endpoint_id] }).VpcEndpoints[0]).toMatchObject({ State: "available", PrivateDnsEnabled: true });
  });

  test("the changed config retires consumer-reports and keeps every other stack", () => {
    sandbox.run.synth(changedConfig());
    expect(sandbox.run.retired.map((r) => r.name)).toEqual(["consumer-reports"]);
    expect(sandbox.run.order.retire).toEqual([{ name: "consumer-reports", workingDirectory: "stacks/consumer-reports" }]);
    const retire = JSON.parse(fs.readFileSync(path.join(sandbox.run.dir("consumer-reports"), "cdk.tf.json"), "utf8"));
    expect(retire.resource).toBeUndefined();
    expect(retire.data).toBeUndefined();
  });

  test("npm run plan shows it stack by stack: nothing consumers depend on deleted or replaced in provider, the retire stack loudly, exit code 2", async () => {
    const r = await runNode(["ops/plan.ts"], { PRIVATELINK_CONFIG: path.join(sandbox.workDir, "privatelink.config.json"), CDKTF_OUTDIR: sandbox.run.outdir });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: expect.any(String) });
    const row = (stack: string) => r.stdout.split("\n").find((l) => l.startsWith(`${stack} `))?.trim().split(/\s+/);
    // stack, add, change, destroy, replace, forget, moved, outputs[, note]; the one replacement is
    // the terraform_data that re-reads the service's new verification challenge
    expect(row("provider")?.slice(0, 5)).toEqual(["provider", expect.any(String), expect.any(String), "0", "1"]);
    expect(Number(row("provider")?.[2])).toBeGreaterThan(0);
    expect(row("consumer-reports")?.slice(-2)).toEqual(["retire", "stack"]);
    expect(r.stdout).toMatch(/!! RETIRE consumer-reports: left the config; applying it destroys \d+ and forgets 0 resource\(s\)/);
    expect(r.stdout).toMatch(/!! DELETES a consumer endpoint: consumer-reports aws_vpc_endpoint\./);
    expect(r.stdout).not.toMatch(/!! (REPLACES|DELETES) (the NLB|a listener|a target group|the endpoint service): provider/);
    expect(Object.keys(CRITICAL_TYPES)).toEqual(expect.arrayContaining(["aws_lb", "aws_lb_listener", "aws_lb_target_group", "aws_vpc_endpoint_service"]));
  });

  test("every stack and then the retire stack apply", async () => {
    await sandbox.run.applyAll();
  });

  test("the removed consumer's endpoint, security group and created network are gone", () => {
    const reports = before["consumer-reports"];
    const endpoints = ec2("describe_vpc_endpoints").VpcEndpoints.filter((e: any) => e.VpcEndpointId === reports.endpoint_id && e.State !== "deleted");
    expect(endpoints).toEqual([]);
    expect(ec2("describe_security_groups").SecurityGroups.map((g: any) => g.GroupId)).not.toContain(reports.security_group_id);
    expect(ec2("describe_vpcs").Vpcs.map((v: any) => v.VpcId)).not.toContain(reports.vpc_id);
  });

  test("the remaining consumer is available with private DNS under the new, verified name", () => {
    const service = ec2("describe_vpc_endpoint_service_configurations", { ServiceIds: [before.provider.service_id] }).ServiceConfigurations[0];
    expect(service.PrivateDnsName).toBe(`portal.${SANDBOX_ZONE}`);
    expect(service.PrivateDnsNameConfiguration.State).toBe("verified");
    const app = ec2("describe_vpc_endpoints", { VpcEndpointIds: [before["consumer-app"].endpoint_id] }).VpcEndpoints[0];
    expect(app).toMatchObject({ State: "available", PrivateDnsEnabled: true });
    expect(app.DnsEntries.map((e: any) => e.DnsName)).toContain(`portal.${SANDBOX_ZONE}`);
    expect(app.DnsEntries.map((e: any) => e.DnsName)).not.toContain(`api.${SANDBOX_ZONE}`);
  });

  test("the same NLB, listener, target group and endpoint service serve the new port; the consumer's rule opens it, changed in place", async () => {
    const provider = await sandbox.run.outputs("provider");
    expect(provider.nlb_arn).toBe(before.provider.nlb_arn);
    expect(provider.service_id).toBe(before.provider.service_id);
    const listeners = elbv2("describe_listeners", { LoadBalancerArn: provider.nlb_arn }).Listeners;
    // the same listener (its ARN), updated in place, still forwarding to the same target group
    expect(listeners.map((l: any) => [l.ListenerArn, Number(l.Port)])).toEqual([[before.listener.ListenerArn, 8080]]);
    expect(listeners[0].DefaultActions[0].TargetGroupArn).toBe(before.listener.DefaultActions[0].TargetGroupArn);
    const rules = ec2("describe_security_group_rules", { Filters: [{ Name: "group-id", Values: [before["consumer-app"].security_group_id] }] }).SecurityGroupRules;
    const ingress = rules.filter((r: any) => !r.IsEgress);
    expect(ingress.map((r: any) => [r.SecurityGroupRuleId, r.FromPort, r.ToPort])).toEqual([[before.appRules[0].SecurityGroupRuleId, 8080, 8080]]);
  });

  test("a plain plan of every stack, retire stack included, is empty", async () => {
    const plans = await sandbox.run.emptyPlans();
    expect(plans.map(({ stack, empty, run: plan }) => ({ stack, empty, plan: empty ? "" : plan.stdout }))).toEqual(
      [...sandbox.run.waves().flat(), ...sandbox.run.retireStacks()].map((stack) => ({ stack, empty: true, plan: "" })),
    );
  });

  test("the emptied retire stack is forgotten: out of the record and of cdktf.out", async () => {
    const paths = { configFile: path.join(sandbox.workDir, "privatelink.config.json"), recordFile: sandbox.run.recordFile, lockFile: path.join(sandbox.workDir, ".terraform.lock.hcl"), outdir: sandbox.run.outdir };
    const states = path.join(sandbox.workDir, "terraform-state");
    expect(fs.readdirSync(states)).toContain("consumer-reports.tfstate");
    expect(await forgetRetired(paths, ["consumer-reports"])).toEqual([expect.stringMatching(/^forgot consumer-reports: its state is empty; it is no longer synthesized; deleted \S*consumer-reports\.tfstate\b/)]);
    expect(Object.keys(JSON.parse(fs.readFileSync(sandbox.run.recordFile, "utf8")).stacks)).not.toContain("consumer-reports");
    expect(fs.existsSync(sandbox.run.dir("consumer-reports"))).toBe(false);
    expect(fs.readdirSync(states).filter((f) => f.includes("consumer-reports"))).toEqual([]);
    expect(sandbox.run.order.retire).toEqual([]);
  });

  test("destroy leaves nothing in any state nor in the emulator", async () => {
    await sandbox.run.destroyAll();
    const left = await Promise.all(sandbox.run.waves().flat().map(async (stack) => ({ stack, left: await sandbox.run.resources(stack) })));
    expect(left).toEqual(sandbox.run.waves().flat().map((stack) => ({ stack, left: [] })));
    expect(ec2("describe_vpc_endpoints").VpcEndpoints.filter((e: any) => e.State !== "deleted")).toEqual([]);
    expect(ec2("describe_vpc_endpoint_service_configurations").ServiceConfigurations).toEqual([]);
    expect(ec2("describe_vpcs").Vpcs.filter((v: any) => !v.IsDefault)).toEqual([]);
  });
});
