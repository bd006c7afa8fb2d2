/**
 * `npm run plan`: what applying the config would change, stack by stack. Synthesizes the config
 * (as `npm run synth` does; `--no-synth` plans the existing output), then runs `terraform init`
 * and `terraform plan` in every stack of cdktf.out, several at once (`--parallelism`, 4 by default), against
 * the real backends (and the emulator when the config has `sandbox`). Prints one table and a
 * loud line for each deletion or replacement of what consumers depend on and for each retire
 * stack. A stack that reads a stack with no state yet is "planned after <stack> is applied", not
 * a failure. `--stacks a,b` plans only those (a pipeline plans each account's stacks with its
 * role). Exit code like `terraform plan -detailed-exitcode`: 0 nothing to change, 2 changes (or
 * stacks to plan after others are applied), 1 a stack could not be planned.
 */
import { parseArgs } from "util";
import { synthPaths } from "../synth/synth";
import { shownPath } from "../config/shown-path";
import { parallelismOption, runCommand, stackLine, synthesizeFirst } from "./cli";
import { UsageError } from "./errors";
import { StackPlan, StackRunner, countChanges, planWarnings } from "./runner";
import { requireTerraform } from "./terraform";

/** The summary table, the warnings and the failures of a plan over every stack. */
export function planReport(plans: readonly StackPlan[]): string {
  const head = ["stack", "add", "change", "destroy", "replace", "forget", "moved", "outputs", ""];
  const rows = plans.map((p) => {
    const c = countChanges(p);
    const note = p.error ? "PLAN FAILED" : p.waitsFor ? `planned after ${p.waitsFor} is applied` : p.retire ? "retire stack" : p.exitCode === 0 ? "no changes" : "";
    return [p.stack, c.add, c.change, c.destroy, c.replace, c.forget, c.move, p.outputChanges.length, note].map(String);
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((v, i) => (i === 0 || i === r.length - 1 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  ").trimEnd();
  const lines = [fmt(head), fmt(widths.map((w) => "-".repeat(w))), ...rows.map(fmt)];
  const warnings = plans.flatMap(planWarnings);
  if (warnings.length > 0) lines.push("", ...warnings.map((w) => `!! ${w}`));
  const failed = plans.filter((p) => p.error);
  for (const p of failed) lines.push("", `${p.stack}: ${p.error}`);
  const waiting = plans.filter((p) => p.waitsFor !== undefined);
  if (waiting.length > 0) {
    const after = [...new Set(waiting.map((p) => p.waitsFor!))].map((up) => `after applying ${up}: ${waiting.filter((p) => p.waitsFor === up).map((p) => p.stack).join(", ")}`);
    lines.push("", `Not planned yet, not a failure: ${waiting.length} stack(s) read a stack that has no state yet (or not the outputs they read). They are planned ${after.join("; ")}.`);
  }
  const changed = plans.filter((p) => p.exitCode === 2).map((p) => p.stack);
  if (changed.length > 0 && plans.length > 1) {
    lines.push("", `A stack that reads another's outputs is planned against that stack's current state: plan again after applying ${changed[0]}.`);
  }
  return lines.join("\n");
}

/**
 * 0 when nothing would change, 2 when something would (a stack planned only after another is
 * applied counts: that one has changes), 1 when a stack could not be planned.
 */
export function planExitCode(plans: readonly StackPlan[]): number {
  if (plans.some((p) => p.error)) return 1;
  return plans.some((p) => p.exitCode === 2 || p.waitsFor !== undefined) ? 2 : 0;
}

/** `--stacks a,b` (commas or spaces): stacks of the output, checked against its deploy order. */
export function stacksOption(value: string | undefined, known: readonly string[]): string[] | undefined {
  if (value === undefined) return undefined;
  const wanted = value.split(/[\s,]+/).filter((s) => s.length > 0);
  const unknown = wanted.filter((s) => !known.includes(s));
  if (wanted.length === 0 || unknown.length > 0) {
    throw new UsageError(`--stacks: received "${value}"; expected stack names of the output, separated by commas or spaces (${known.join(", ")})`);
  }
  return wanted;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { "no-synth": { type: "boolean", default: false }, parallelism: { type: "string" }, stacks: { type: "string" } } });
  const parallelism = parallelismOption(values.parallelism);
  requireTerraform();
  const paths = synthPaths();
  if (!values["no-synth"]) synthesizeFirst(paths);
  const runner = new StackRunner(paths.outdir);
  const only = stacksOption(values.stacks, [...runner.order.apply.map((s) => s.name), ...runner.retireStacks()]);
  console.log(`planning ${only ? only.join(", ") : "every stack"} of ${shownPath(paths.outdir)}, ${parallelism} at a time:`);
  const progress = (p: StackPlan) => (p.error ? "failed" : p.waitsFor ? `planned after ${p.waitsFor} is applied` : p.exitCode === 2 ? "changes" : "no changes");
  const plans = await runner.planAll((p) => console.log(stackLine(p.stack, p.seconds, progress(p))), parallelism, only);
  console.log(`\n${planReport(plans)}`);
  return planExitCode(plans);
}

if (require.main === module) runCommand(main);
