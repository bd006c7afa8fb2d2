import * as fs from "fs";
import * as path from "path";
import type { DeployOrder } from "../synth/synth";
import { Job, JobOutcome, runJobs } from "./scheduler";
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

/**
 * The stacks whose state a failed run read and found without what it needs, when that alone made
 * it fail: no state at all (never applied) or a state without the outputs read (the postcondition
 * of readRemoteState). Such a stack can be planned only once those are applied. Empty when the
 * run failed for any other reason as well.
 */
export function upstreamsToApplyFirst(run: TerraformRun): string[] {
  const upstreamOf = (text: string): string | undefined => {
    const flat = text.replace(/\s+/g, " ");
    return /Unable to find remote state.*?data\.terraform_remote_state\.([\w-]+)/.exec(flat)?.[1] ?? /from the state of stack ([\w-]+), which does not have them yet/.exec(flat)?.[1];
  };
  // A -json run: every error must be one of those (another error is a real failure, reported as such).
  const errors = jsonLines(run.stdout).filter((m) => m.type === "diagnostic" && m.diagnostic?.severity === "error");
  const texts = errors.length > 0 ? errors.map((m) => `${m.diagnostic.summary} ${m.diagnostic.detail ?? ""} ${m.diagnostic.address ?? ""}`) : `${run.stderr}\n${run.stdout}`.split(/(?=Error: )/).filter((t) => t.startsWith("Error: "));
  const upstreams = texts.map(upstreamOf);
  return upstreams.length > 0 && upstreams.every((u) => u !== undefined) ? [...new Set(upstreams as string[])] : [];
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
  /**
   * Not planned: a stack it reads has no state yet (or not the outputs it reads). Planned once
   * that stack is applied; not a failure.
   */
  readonly waitsFor?: string;
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
 * deploy-order.json: the sandbox, its tests, `npm run plan`, `npm run deploy` and
 * `npm run destroy` all run stacks through this, and through its one scheduler (scheduler.ts).
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

  /** Retire stacks: applied after every other stack, in any order. */
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
      // Of the stacks it waits for, the first in deploy order: the one to apply first.
      const order = this.order.apply.map((s) => s.name);
      const waitsFor = upstreamsToApplyFirst(e.run).sort((a, b) => order.indexOf(a) - order.indexOf(b))[0];
      if (waitsFor !== undefined) return { stack, retire, changes: [], outputChanges: [], waitsFor, seconds: seconds() };
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
   * The apply graph: each stack after the stacks it depends on (deploy-order.json's `dependsOn`);
   * retire stacks after every other stack, so that they run only once the config is fully applied.
   */
  applyJobs(): Job[] {
    const order = this.order;
    const live = order.apply.map((s) => s.name);
    return [...order.apply.map((s) => ({ name: s.name, dependsOn: s.dependsOn })), ...order.retire.map((r) => ({ name: r.name, dependsOn: live }))];
  }

  /** The destroy graph, the apply graph reversed: each stack after every stack that depends on it, retire stacks first. */
  destroyJobs(): Job[] {
    const order = this.order;
    const retire = order.retire.map((r) => r.name);
    const dependents = (name: string) => order.apply.filter((s) => s.dependsOn.includes(name)).map((s) => s.name);
    const byDestroyOrder = (a: Job, b: Job) => order.destroy.indexOf(a.name) - order.destroy.indexOf(b.name);
    return [...order.retire.map((r) => ({ name: r.name, dependsOn: [] })), ...order.apply.map((s) => ({ name: s.name, dependsOn: [...retire, ...dependents(s.name)] }))].sort(byDestroyOrder);
  }

  /**
   * Applies every stack, each as soon as the stacks it depends on are applied, then the retire
   * stacks; a failed stack skips the stacks that depend on it, the others go on. Never throws
   * for a failing stack: the outcomes say what happened to each.
   */
  runApply(options: RunOptions = {}): Promise<StackOutcome[]> {
    return this.runGraph(this.applyJobs(), "applied", (stack) => this.apply(stack), options);
  }

  /** Destroys every stack, each once every stack that depends on it is destroyed, retire stacks first. */
  runDestroy(options: RunOptions = {}): Promise<StackOutcome[]> {
    return this.runGraph(this.destroyJobs(), "destroyed", (stack) => this.destroy(stack), options);
  }

  /** runApply, throwing a RunFailure unless every stack applied. */
  async applyAll(options: RunOptions = {}): Promise<StackOutcome[]> {
    return throwUnlessAll(await this.runApply(options), "applied");
  }

  /** runDestroy, throwing a RunFailure unless every stack was destroyed. */
  async destroyAll(options: RunOptions = {}): Promise<StackOutcome[]> {
    return throwUnlessAll(await this.runDestroy(options), "destroyed");
  }

  private async runGraph(jobs: Job[], success: "applied" | "destroyed", step: (stack: string) => Promise<TerraformRun>, options: RunOptions): Promise<StackOutcome[]> {
    const retire = new Set(this.order.retire.map((r) => r.name));
    const outcomeOf = (o: JobOutcome<TerraformRun>): StackOutcome => {
      const base = { stack: o.name, retire: retire.has(o.name) };
      if (o.status === "skipped") return { ...base, result: "skipped", blockedBy: o.blockedBy };
      if (o.status === "failed") return { ...base, result: "failed", seconds: o.seconds, error: failureText(o.name, o.error) };
      return { ...base, result: success, seconds: o.seconds, changes: resourceCounts(o.value) };
    };
    const outcomes = await runJobs(
      jobs,
      async (stack) => {
        const run = await step(stack);
        await options.after?.(stack, run);
        return run;
      },
      { parallelism: options.parallelism, onStart: options.onStart, onEnd: (o) => options.onEnd?.(outcomeOf(o)) },
    );
    return outcomes.map(outcomeOf);
  }

  /**
   * Plans every stack (or those of `only`, in deploy order) at once, up to `parallelism`, retire
   * stacks included; a stack whose plan fails does not stop the others.
   */
  async planAll(onPlanned: (plan: StackPlan) => void = () => {}, parallelism?: number, only?: readonly string[]): Promise<StackPlan[]> {
    const stacks = [...this.order.apply.map((s) => s.name), ...this.retireStacks()].filter((s) => only === undefined || only.includes(s));
    const outcomes = await runJobs(
      stacks.map((name) => ({ name, dependsOn: [] })),
      async (stack) => {
        const plan = await this.plan(stack);
        onPlanned(plan);
        return plan;
      },
      { parallelism },
    );
    return outcomes.map((o) => {
      if (o.status !== "done") throw o.status === "failed" ? o.error : new Error(`${o.name} was not planned`);
      return o.value;
    });
  }

  /** A plain `terraform plan -detailed-exitcode` of each stack (every stack by default), several at once. */
  async emptyPlans(stacks: readonly string[] = [...this.order.apply.map((s) => s.name), ...this.retireStacks()], parallelism?: number): Promise<{ stack: string; empty: boolean; run: TerraformRun }[]> {
    const outcomes = await runJobs(
      stacks.map((name) => ({ name, dependsOn: [] })),
      (stack) => this.planIsEmpty(stack),
      { parallelism },
    );
    return outcomes.map((o) => {
      if (o.status !== "done") throw o.status === "failed" ? o.error : new Error(`${o.name} was not planned`);
      return { stack: o.name, ...o.value };
    });
  }
}

/** How applyAll, destroyAll (and npm run deploy, npm run destroy) run and report. */
export interface RunOptions {
  /** Stacks running at once, at most. @default 4 */
  readonly parallelism?: number;
  readonly onStart?: (stack: string) => void;
  /** Hears of each stack as it succeeds, fails or is skipped. */
  readonly onEnd?: (outcome: StackOutcome) => void;
  /** Runs in a stack's turn, once its terraform step succeeded (its dependents wait for it); a throw fails the stack. */
  readonly after?: (stack: string, run: TerraformRun) => Promise<void> | void;
}

/** What one stack's apply or destroy came to. */
export interface StackOutcome {
  readonly stack: string;
  readonly retire: boolean;
  /** `skipped`: not run, as a stack it depends on (for destroy: a stack that depends on it) did not succeed. */
  readonly result: "applied" | "destroyed" | "failed" | "skipped";
  readonly seconds?: number;
  /** What terraform did, from its last line: "2 added, 0 changed, 0 destroyed", or "no changes". */
  readonly changes?: string;
  /** The failure: the stack, the terraform step and terraform's error. */
  readonly error?: string;
  /** The failed stack a skipped stack waited on. */
  readonly blockedBy?: string;
}

/** Raised by applyAll and destroyAll when a stack failed or was skipped; the message is the run's report. */
export class RunFailure extends Error {
  constructor(
    readonly outcomes: readonly StackOutcome[],
    verb: "applied" | "destroyed",
  ) {
    super(runReport(outcomes, verb));
    this.name = "RunFailure";
  }
}

function throwUnlessAll(outcomes: StackOutcome[], verb: "applied" | "destroyed"): StackOutcome[] {
  if (runExitCode(outcomes) !== 0) throw new RunFailure(outcomes, verb);
  return outcomes;
}

function failureText(stack: string, error: unknown): string {
  if (error instanceof StackFailure) return error.message;
  return `${stack}: ${error instanceof Error ? error.message : String(error)}`;
}

/** "Resources: 2 added, 0 changed, 0 destroyed." from terraform's apply or destroy output, or "no changes". */
function resourceCounts(run: TerraformRun): string | undefined {
  const counts = /(?:Apply|Destroy) complete! Resources: ([^.]+)\./.exec(run.stdout)?.[1];
  if (counts === undefined) return undefined;
  return /[1-9]/.test(counts) ? counts : "no changes";
}

/** 0 when every stack applied (or was destroyed), 1 when one failed or was skipped. */
export function runExitCode(outcomes: readonly StackOutcome[]): number {
  return outcomes.every((o) => o.result === "applied" || o.result === "destroyed") ? 0 : 1;
}

/** The summary table of an apply or destroy over every stack, then each failure in full. */
export function runReport(outcomes: readonly StackOutcome[], verb: "applied" | "destroyed"): string {
  const head = ["stack", "result", "seconds", ""];
  const rows = outcomes.map((o) => {
    const note = o.result === "skipped" ? `blocked by ${o.blockedBy}` : o.result === "failed" ? "see below" : (o.changes ?? "");
    return [o.stack, o.result === "failed" ? "FAILED" : o.result, o.seconds === undefined ? "-" : o.seconds.toFixed(1), o.retire ? `${note}${note ? "; " : ""}retire stack` : note];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((v, i) => (i === 2 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join("  ").trimEnd();
  const lines = [fmt(head), fmt(widths.map((w) => "-".repeat(w))), ...rows.map(fmt)];
  for (const o of outcomes.filter((x) => x.result === "failed")) lines.push("", o.error ?? `${o.stack}: failed`);
  const count = (result: StackOutcome["result"]) => outcomes.filter((o) => o.result === result).length;
  lines.push("", `${count(verb)} ${verb}, ${count("failed")} failed, ${count("skipped")} skipped`);
  return lines.join("\n");
}
