/**
 * `npm run deploy`: synthesizes the config (as `npm run synth` does; `--no-synth` deploys the
 * existing output), then applies every stack of cdktf.out/deploy-order.json, each as soon as the
 * stacks it depends on are applied, up to `--parallelism` (4 by default) at once, and the retire
 * stacks once every other stack applied. A stack that fails stops only the stacks that depend on
 * it. Runs against the real backends and accounts (the emulator when the config has `sandbox`).
 * Prints a line per stack as it starts and ends, then a table; exits 0 when every stack applied,
 * 1 otherwise. `npm run destroy` (destroy.ts) is the reverse.
 */
import * as readline from "readline";
import { parseArgs } from "util";
import { synthPaths } from "../synth/synth";
import { shownPath } from "../config/shown-path";
import { parallelismOption, runCommand, stackLine as line, synthesizeFirst } from "./cli";
import { StackOutcome, StackRunner, runExitCode, runReport } from "./runner";
import { requireTerraform } from "./terraform";

/** One progress line for a stack that ended. */
function ended(o: StackOutcome): string {
  if (o.result === "skipped") return line(o.stack, undefined, `skipped: ${o.blockedBy} did not succeed`);
  if (o.result === "failed") return line(o.stack, o.seconds, `FAILED: ${o.error?.split("\n").find((l) => l.startsWith("Error: ")) ?? "see below"}`);
  return line(o.stack, o.seconds, `${o.result}${o.changes ? `: ${o.changes}` : ""}`);
}

/** Asks for "yes" on a terminal; without one, only --auto-approve goes on. */
async function confirmed(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    console.error(`${question}\nNo terminal to answer on: run again with --auto-approve to go on without asking.`);
    return false;
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  const answer = await new Promise<string>((resolve) => rl.question(`${question}\nOnly 'yes' goes on: `, resolve));
  rl.close();
  return answer.trim() === "yes";
}

/** `npm run deploy` (mode deploy) or `npm run destroy` (mode destroy) on the given arguments. */
export async function deployCommand(mode: "deploy" | "destroy", args: string[] = process.argv.slice(2)): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      "no-synth": { type: "boolean", default: false },
      parallelism: { type: "string" },
      "auto-approve": { type: "boolean", default: false },
    },
  });
  const parallelism = parallelismOption(values.parallelism);
  requireTerraform();
  const paths = synthPaths();
  if (!values["no-synth"]) synthesizeFirst(paths);
  const runner = new StackRunner(paths.outdir);
  const outdir = shownPath(paths.outdir);
  if (mode === "destroy" && !values["auto-approve"] && !(await confirmed(`Destroy everything the stacks of ${outdir} hold (${runner.order.destroy.join(", ")})?`))) {
    console.error("nothing destroyed");
    return 1;
  }
  console.log(
    mode === "deploy"
      ? `applying every stack of ${outdir}, each once the stacks it depends on are applied, retire stacks last, ${parallelism} at a time:`
      : `destroying every stack of ${outdir}, each once the stacks that depend on it are destroyed, retire stacks first, ${parallelism} at a time:`,
  );
  const options = { parallelism, onStart: (stack: string) => console.log(line(stack, undefined, "started")), onEnd: (o: StackOutcome) => console.log(ended(o)) };
  const outcomes = mode === "deploy" ? await runner.runApply(options) : await runner.runDestroy(options);
  console.log(`\n${runReport(outcomes, mode === "deploy" ? "applied" : "destroyed")}`);
  const code = runExitCode(outcomes);
  if (code !== 0) {
    console.log(
      mode === "deploy"
        ? "Stacks that applied stay applied. Fix the failure, then run npm run deploy again: it applies what is missing and leaves the rest unchanged."
        : "Stacks that were destroyed stay destroyed. Fix the failure, then run npm run destroy again.",
    );
  }
  return code;
}

if (require.main === module) runCommand(() => deployCommand("deploy"));
