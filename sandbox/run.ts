/**
 * `npm run sandbox`: the whole PrivateLink flow on a local AWS emulator, no AWS account.
 * Starts the emulator, applies every stack in dependency order (each as soon as the stacks it
 * reads are applied, as `npm run deploy` does), prints one line per stack, plans every stack
 * again (plain terraform plan) expecting no change, destroys in reverse order and stops the emulator. Options: --backend local|s3, --keep, --port N, --work-dir DIR.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { Emulator, seedEmulator, startEmulator } from "./emulator";
import { SANDBOX_BUCKET, SANDBOX_ZONE, SandboxRun, StackFailure, sandboxConfigJson, summarize } from "./flow";
import { stackLine } from "../ops/cli";
import { RunFailure } from "../ops/runner";
import { requireTerraform } from "../ops/terraform";

const { values } = parseArgs({
  options: {
    backend: { type: "string", default: "local" },
    keep: { type: "boolean", default: false },
    port: { type: "string" },
    "work-dir": { type: "string", default: path.join(process.cwd(), ".sandbox") },
  },
});

const line = (stack: string, seconds: number | undefined, text: string) => console.log(stackLine(stack, seconds, text));

async function main(): Promise<number> {
  const backend = values.backend;
  if (backend !== "local" && backend !== "s3") throw new Error(`--backend: received "${backend}"; expected local or s3`);
  requireTerraform();
  const started = Date.now();
  const emulator: Emulator = await startEmulator(values.port ? Number(values.port) : undefined);
  console.log(`emulator on ${emulator.endpoint} (pid ${emulator.pid}), state backend: ${backend}`);
  let keepRunning = false;
  try {
    seedEmulator(emulator.endpoint, { region: "us-west-2", zoneName: SANDBOX_ZONE, bucket: backend === "s3" ? SANDBOX_BUCKET : undefined });
    const workDir = path.resolve(values["work-dir"]!);
    fs.rmSync(workDir, { recursive: true, force: true });
    const run = new SandboxRun(workDir, sandboxConfigJson(emulator.endpoint, backend));
    const show = async (stack: string, seconds?: number) => line(stack, seconds, summarize(stack, await run.outputs(stack), emulator.endpoint));

    console.log("apply, in dependency order:");
    await run.applyAll({ after: (stack, applied) => show(stack, applied.seconds) });

    console.log("after the flow (as the emulator reports it now: connections accepted, domain verified):");
    for (const stack of run.waves().flat()) await show(stack);

    console.log("second plan (plain terraform plan -detailed-exitcode), expecting no change:");
    const drift: string[] = [];
    for (const { stack, empty, run: plan } of await run.emptyPlans()) {
      line(stack, plan.seconds, empty ? "no changes" : "CHANGES");
      if (!empty) drift.push(`${stack}:\n${plan.stdout}`);
    }
    if (drift.length > 0) {
      console.error(`the second plan is not empty for ${drift.length} stack(s):\n${drift.join("\n")}`);
      return 1;
    }

    if (values.keep) {
      keepRunning = true;
      const config = path.relative(process.cwd(), path.join(workDir, "privatelink.config.json"));
      const outdir = path.relative(process.cwd(), run.outdir);
      console.log(`kept: config in ${config}, stacks in ${outdir}, emulator on ${emulator.endpoint}.`);
      console.log(`  change the config, then: PRIVATELINK_CONFIG=${config} CDKTF_OUTDIR=${outdir} npm run plan (then npm run deploy)`);
      console.log("  Ctrl-C stops the emulator.");
      return 0;
    }
    console.log("destroy, in reverse order:");
    await run.destroyAll({ after: (stack, destroyed) => line(stack, destroyed.seconds, "destroyed") });
    console.log(`sandbox flow passed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return 0;
  } catch (e) {
    if (e instanceof StackFailure) {
      console.error(`\nFAILED at stack ${e.stackName} (terraform ${e.command}):\n${e.message}`);
      return 1;
    }
    if (e instanceof RunFailure) {
      console.error(`\nFAILED:\n${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    if (keepRunning) {
      process.once("SIGINT", () => void emulator.stop().then(() => process.exit(0)));
    } else {
      await emulator.stop();
    }
  }
}

main().then(
  (code) => {
    if (!values.keep || code !== 0) process.exit(code);
  },
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
