/**
 * Day 2 on the emulator, for the resources consumers depend on: a running setup (the run's
 * applied baseline, support/baseline.ts) whose state is still under the addresses earlier
 * versions gave it is carried over by moved blocks, nothing created or deleted; and a target port
 * change replaces the target group only, the new one created before the old one is deleted, with
 * the same load balancer, listener and endpoint service, and every plain plan empty afterwards.
 */
import * as fs from "fs";
import * as path from "path";
import { sandboxConfigJson } from "../../sandbox/flow";
import { emulatorCall } from "../../sandbox/emulator";
import { useBaselineSandbox } from "../support/baseline";

jest.setTimeout(600_000);

describe("day 2: state under earlier addresses, a target port moved", () => {
  const sandbox = useBaselineSandbox();
  const elbv2 = (operation: string, params: Record<string, unknown> = {}) => emulatorCall(sandbox.emulator.endpoint, "us-west-2", "elbv2", operation, params);
  const before: Record<string, any> = {};

  test("the running setup: one listener forwarding to one target group", async () => {
    before.provider = await sandbox.run.outputs("provider");
    [before.listener] = elbv2("describe_listeners", { LoadBalancerArn: before.provider.nlb_arn }).Listeners;
    expect(Number(before.listener.Port)).toBe(80);
  });

  test("state written under the addresses of earlier versions (port in the address) is carried over by moved blocks", async () => {
    // GIVEN the provider's and consumer-app's state moved back to the addresses 0.1 gave them
    for (const stack of ["provider", "consumer-app"]) {
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
    }
  });

  test("a target port change replaces the target group only, creating the new one before deleting the old", async () => {
    const config = sandboxConfigJson(sandbox.emulator.endpoint, "local") as any;
    config.service.loadBalancer.target.port = 8081;
    sandbox.run.synth(config);
    const oldGroup = before.listener.DefaultActions[0].TargetGroupArn;
    const plan = await sandbox.run.plan("provider");
    const replaced = plan.changes.filter((c) => c.action === "replace").map((c) => c.type);
    expect(replaced).toContain("aws_lb_target_group");
    expect(replaced).not.toEqual(expect.arrayContaining(["aws_lb"]));
    expect(plan.changes.filter((c) => ["aws_lb", "aws_lb_listener", "aws_vpc_endpoint_service"].includes(c.type) && c.action !== "update")).toEqual([]);
    await sandbox.run.apply("provider");
    const [listener] = elbv2("describe_listeners", { LoadBalancerArn: before.provider.nlb_arn }).Listeners;
    const newGroup = listener.DefaultActions[0].TargetGroupArn;
    expect(listener.ListenerArn).toBe(before.listener.ListenerArn);
    expect(newGroup).not.toBe(oldGroup);
    expect(Number(elbv2("describe_target_groups", { TargetGroupArns: [newGroup] }).TargetGroups[0].Port)).toBe(8081);
    expect(elbv2("describe_target_health", { TargetGroupArn: newGroup }).TargetHealthDescriptions.map((t: any) => Number(t.Target.Port))).toEqual([8081]);
    expect(() => elbv2("describe_target_groups", { TargetGroupArns: [oldGroup] })).toThrow(/TargetGroupNotFound|not found/i);
  });

  test("a plain plan of every stack is empty afterwards", async () => {
    expect((await sandbox.run.emptyPlans()).map(({ stack, empty }) => ({ stack, empty }))).toEqual(sandbox.run.waves().flat().map((stack) => ({ stack, empty: true })));
  });
});
