/**
 * `npm run forget -- <stack> [<stack>...]`: drops retire stacks from the stack record once their
 * state is empty, then synthesizes again so cdktf.out no longer holds them. A stack whose state
 * still holds resources is refused, with what it holds and how to remove it.
 */
import { parseArgs } from "util";
import { ConfigError, loadConfig } from "../config/load";
import { StackRecordError, readRecord, withoutStack, writeRecord } from "../synth/stack-record";
import { RulesError, SynthPaths, synthPaths, synthesize } from "../synth/synth";
import { PropsError } from "../modules/validation";
import { StackRunner } from "./runner";
import { requireTerraform } from "./terraform";

/** Forgets the named retire stacks; returns one line per stack, or throws naming every refusal. */
export async function forgetRetired(paths: SynthPaths, names: readonly string[]): Promise<string[]> {
  if (!paths.recordFile) throw new Error("the built-in example has no stack record: there is nothing to forget");
  if (names.length === 0) throw new Error("name the retire stacks to forget, such as: npm run forget -- consumer-b");
  const config = loadConfig(paths.configFile);
  // Synthesize first, so each retire stack's folder matches the record.
  synthesize(config, paths.outdir, { recordFile: paths.recordFile, lockFile: paths.lockFile });
  let record = readRecord(paths.recordFile);
  const runner = new StackRunner(paths.outdir);
  const refusals: string[] = [];
  const lines: string[] = [];
  for (const name of names) {
    const entry = record.stacks[name];
    if (!entry) {
      refusals.push(`${name}: not in ${paths.recordFile}; stacks recorded there: ${Object.keys(record.stacks).join(", ") || "none"}`);
      continue;
    }
    if (entry.status !== "retired") {
      refusals.push(`${name}: still in the config, not a retire stack; remove it from the config and synthesize first`);
      continue;
    }
    const left = await runner.resources(name);
    if (left.length > 0) {
      refusals.push(`${name}: its state still holds ${left.length} resource(s) (${left.join(", ")}): apply it first (terraform -chdir=${runner.dir(name)} apply)`);
      continue;
    }
    record = withoutStack(record, name);
    lines.push(`forgot ${name}: its state is empty; it is no longer synthesized`);
  }
  if (refusals.length > 0) throw new Error(`nothing forgotten:\n${refusals.map((r) => `  - ${r}`).join("\n")}`);
  writeRecord(paths.recordFile, record);
  synthesize(config, paths.outdir, { recordFile: paths.recordFile, lockFile: paths.lockFile });
  return lines;
}

if (require.main === module) {
  const { positionals } = parseArgs({ allowPositionals: true });
  requireTerraform();
  forgetRetired(synthPaths(), positionals).then(
    (lines) => {
      lines.forEach((l) => console.log(l));
      process.exit(0);
    },
    (e) => {
      const known = e instanceof ConfigError || e instanceof PropsError || e instanceof RulesError || e instanceof StackRecordError;
      console.error(known || e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
