import * as fs from "fs";
import * as path from "path";
import type { DeployOrder } from "../synth/synth";
import { TerraformRun, terraform, terraformError } from "./terraform";

/** A terraform step that failed in one stack. */
export class StackFailure extends Error {
  constructor(
    readonly stackName: string,
    readonly command: string,
    readonly run: TerraformRun,
  ) {
    super(`${stackName}: terraform ${command} failed (exit ${run.code}):\n${terraformError(run)}${orderHint(run)}`);
    this.name = "StackFailure";
  }
}

/** When a stack read the state of a stack that was never applied, say which one to apply first. */
function orderHint(run: TerraformRun): string {
  const text = `${run.stderr}\n${run.stdout}`;
  const missing = /Unable to find remote state[\s\S]*?data\.terraform_remote_state\.([\w-]+)/.exec(text);
  return missing ? `\nStack ${missing[1]} has no state yet: apply stack ${missing[1]} first (the order is in cdktf.out/deploy-order.json).` : "";
}

/** Resources whose deletion or replacement cuts consumers off: a plan says so loudly. */
export const CRITICAL_TYPES: Record<string, string> = {
  aws_lb: "the NLB",
  aws_lb_listener: "a listener",
  aws_lb_target_group: "a target group",
  aws_vpc_endpoint_service: "the endpoint service",
  aws_vpc_endpoint: "a consumer endpoint",
  aws_vpc_endpoint_connection_accepter: "an accepted connection",
};

/** One resource change of a plan, as `terraform show -json` gives it. */
export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  /** create, update, delete, replace, forget, read or no-op. */
  readonly action: string;
  /** Where the resource was before a `moved` block, if it moved. */
  readonly movedFrom?: string;
}

/** The plan of one stack. */
export interface StackPlan {
  readonly stack: string;
  readonly retire: boolean;
  /** terraform plan -detailed-exitcode: 0 no changes, 2 changes; undefined when it failed. */
  readonly exitCode?: number;
  readonly changes: ResourceChange[];
  /** Output names whose value would change. */
  readonly outputChanges: string[];
  /** Why the plan failed, when it did. */
  readonly error?: string;
  readonly seconds: number;
}

/** Terraform's machine-readable plan actions, in this module's words ("remove" is a `removed` block's forget). */
const PLANNED_ACTIONS: Record<string, string> = { noop: "no-op", move: "no-op", remove: "forget" };

function jsonLines(text: string): any[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
}

/** The error diagnostics of a `-json` run, as text. */
function diagnostics(run: TerraformRun): string {
  const errors = jsonLines(run.stdout)
    .filter((m) => m.type === "diagnostic" && m.diagnostic?.severity === "error")
    .map((m) => [`Error: ${m.diagnostic.summary}`, m.diagnostic.detail, m.diagnostic.address && `  with ${m.diagnostic.address}`].filter(Boolean).join("\n"));
  return errors.length > 0 ? errors.join("\n") : terraformError(run);
}

/** Counts of a plan's changes by action. */
export function countChanges(plan: StackPlan): Record<"add" | "change" | "destroy" | "replace" | "forget" | "move", number> {
  const count = (action: string) => plan.changes.filter((c) => c.action === action).length;
  return {
    add: count("create"),
    change: count("update"),
    destroy: count("delete"),
    replace: count("replace"),
    forget: count("forget"),
    move: plan.changes.filter((c) => c.movedFrom !== undefined).length,
  };
}

/** The loud lines of a plan: deletions and replacements of what consumers depend on, and retirements. */
export function planWarnings(plan: StackPlan): string[] {
  const warnings: string[] = [];
  if (plan.retire) {
    const c = countChanges(plan);
    if (c.destroy + c.forget > 0) warnings.push(`RETIRE ${plan.stack}: left the config; applying it destroys ${c.destroy} and forgets ${c.forget} resource(s)`);
  }
  for (const change of plan.changes) {
    const what = CRITICAL_TYPES[change.type];
    if (what && (change.action === "delete" || change.action === "replace")) {
      warnings.push(`${change.action === "replace" ? "REPLACES" : "DELETES"} ${what}: ${plan.stack} ${change.address}`);
    }
  }
  return warnings;
}

/**
 * Drives terraform across the stacks of one synthesized output, in the order of its
 * deploy-order.json: the sandbox, its tests and `npm run plan` all run stacks through this.
 */
export class StackRunner {
  constructor(readonly outdir: string) {}

  /** The output's deploy order, read afresh (a new synth may have changed it). */
  get order(): DeployOrder {
    return JSON.parse(fs.readFileSync(path.join(this.outdir, "deploy-order.json"), "utf8"));
  }

  /** Stacks grouped in waves: each wave depends only on earlier ones, so a wave may run in parallel. */
  waves(): string[][] {
    const waves: string[][] = [];
    for (const { name, wave } of this.order.apply) (waves[wave] ??= []).push(name);
    return waves;
  }

  /** Retire stacks: applied after the waves, in any order. */
  retireStacks(): string[] {
    return this.order.retire.map((r) => r.name);
  }

  dir(stack: string): string {
    return path.join(this.outdir, "stacks", stack);
  }

  /** Runs one terraform command in a stack, after `terraform init` if its folder has not had one. */
  async step(stack: string, name: string, args: string[], okCodes = [0]): Promise<TerraformRun> {
    // A new synth replaces the folder, .terraform with it: initialize again then.
    if (!fs.existsSync(path.join(this.dir(stack), ".terraform", "terraform.tfstate"))) {
      const init = await terraform(this.dir(stack), ["init", "-input=false", "-no-color"]);
      if (init.code !== 0) throw new StackFailure(stack, "init", init);
    }
    const run = await terraform(this.dir(stack), args);
    if (!okCodes.includes(run.code)) throw new StackFailure(stack, name, run);
    return run;
  }

  apply(stack: string): Promise<TerraformRun> {
    return this.step(stack, "apply", ["apply", "-input=false", "-auto-approve", "-no-color"]);
  }

  destroy(stack: string): Promise<TerraformRun> {
    return this.step(stack, "destroy", ["destroy", "-input=false", "-auto-approve", "-no-color"]);
  }

  /** A plain `terraform plan -detailed-exitcode`: true when the plan is empty. */
  async planIsEmpty(stack: string): Promise<{ empty: boolean; run: TerraformRun }> {
    const run = await this.step(stack, "plan", ["plan", "-input=false", "-detailed-exitcode", "-no-color"], [0, 2]);
    return { empty: run.code === 0, run };
  }

  /**
   * `terraform plan -detailed-exitcode`, read from its machine-readable output (one terraform
   * run, no `show`): what would change, resource by resource.
   */
  async plan(stack: string): Promise<StackPlan> {
    const retire = this.order.retire.some((r) => r.name === stack);
    const started = Date.now();
    const seconds = () => (Date.now() - started) / 1000;
    let run: TerraformRun;
    try {
      run = await this.step(stack, "plan", ["plan", "-input=false", "-detailed-exitcode", "-no-color", "-json"], [0, 2]);
    } catch (e) {
      if (!(e instanceof StackFailure)) throw e;
      return { stack, retire, changes: [], outputChanges: [], error: `${stack}: terraform plan failed:\n${diagnostics(e.run)}${orderHint(e.run)}`, seconds: seconds() };
    }
    const messages = jsonLines(run.stdout);
    const changes: ResourceChange[] = messages
      .filter((m) => m.type === "planned_change")
      .map((m) => ({ address: m.change.resource.addr, type: m.change.resource.resource_type, action: PLANNED_ACTIONS[m.change.action] ?? m.change.action, movedFrom: m.change.previous_resource?.addr }));
    const outputs = messages.find((m) => m.type === "outputs")?.outputs ?? {};
    const outputChanges = Object.entries<any>(outputs)
      .filter(([, o]) => o.action !== "noop")
      .map(([name]) => name);
    return { stack, retire, exitCode: run.code, changes, outputChanges, seconds: seconds() };
  }

  async outputs(stack: string): Promise<Record<string, any>> {
    const run = await this.step(stack, "output", ["output", "-json", "-no-color"]);
    return Object.fromEntries(Object.entries<any>(JSON.parse(run.stdout)).map(([k, v]) => [k, v.value]));
  }

  /** Attribute values of the first managed resource of a type, from `terraform show -json`. */
  async resourceValues(stack: string, type: string): Promise<Record<string, any> | undefined> {
    const run = await this.step(stack, "show", ["show", "-json", "-no-color"]);
    const resources: any[] = JSON.parse(run.stdout).values?.root_module?.resources ?? [];
    return resources.find((r) => r.mode === "managed" && r.type === type)?.values;
  }

  /** Managed resources left in a stack's state (none after a clean destroy or a retirement). */
  async resources(stack: string): Promise<string[]> {
    const run = await this.step(stack, "state list", ["state", "list"], [0, 1]);
    return run.stdout.split("\n").filter((l) => l.trim() && !l.startsWith("data."));
  }

  /**
   * Applies the whole output as a pipeline would: the waves in order (each wave's stacks in
   * parallel), then the retire stacks. `onApplied` hears of each stack as it finishes.
   */
  async applyAll(onApplied: (stack: string, run: TerraformRun) => Promise<void> | void = () => {}): Promise<void> {
    for (const wave of [...this.waves(), this.retireStacks()]) {
      await Promise.all(
        wave.map(async (stack) => {
          const run = await this.apply(stack);
          await onApplied(stack, run);
        }),
      );
    }
  }

  /** Destroys everything, in deploy-order.json's destroy order (retire stacks first). */
  async destroyAll(onDestroyed: (stack: string, run: TerraformRun) => Promise<void> | void = () => {}): Promise<void> {
    for (const group of [this.retireStacks(), ...[...this.waves()].reverse()]) {
      await Promise.all(
        group.map(async (stack) => {
          const run = await this.destroy(stack);
          await onDestroyed(stack, run);
        }),
      );
    }
  }

  /** Plans every stack, wave by wave, then the retire stacks; a stack whose plan fails does not stop the others. */
  async planAll(onPlanned: (plan: StackPlan) => void = () => {}): Promise<StackPlan[]> {
    const plans: StackPlan[] = [];
    for (const group of [...this.waves(), this.retireStacks()]) {
      const done = await Promise.all(group.map((stack) => this.plan(stack)));
      done.forEach((p) => onPlanned(p));
      plans.push(...done);
    }
    return plans;
  }
}
