/**
 * `npm run forget -- <stack> [<stack>...]`: drops retire stacks from the stack record once their
 * state is empty, then synthesizes again so cdktf.out no longer holds them, and deletes what the
 * stack left beside it: with local state, its state file, the backup Terraform keeps of it and a
 * stale lock info file (its folder in cdktf.out, `.terraform.lock.hcl` included, goes with the
 * synth). S3 state objects are left in the bucket, where versioning and access are the owner's
 * business; the line names the objects to delete. A stack whose state still holds resources is
 * refused, with what it holds and how to remove it.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { loadConfig } from "../config/load";
import { PrivateLinkConfig } from "../config/schema";
import { localStatePath, s3StateKey, workspaceName } from "../stacks/state";
import { readRecord, withoutStack, writeRecord } from "../synth/stack-record";
import { SynthPaths, synthPaths, synthesize } from "../synth/synth";
import { shownPath } from "../config/shown-path";
import { runCommand } from "./cli";
import { UsageError } from "./errors";
import { StackRunner } from "./runner";
import { requireTerraform } from "./terraform";

/**
 * What a forgotten stack leaves beside cdktf.out: its local state file, Terraform's backup of it
 * and the local backend's lock info (paths to delete), or its S3 state and lock objects (URLs to
 * leave to the bucket's owner).
 */
export function stateLeftovers(config: PrivateLinkConfig, stackDir: string, stack: string): { readonly files: string[] } | { readonly objects: string[] } | { readonly workspace: string } {
  const state = config.state;
  if (state.backend === "hcp-terraform") return { workspace: `${state.hostname}/app/${state.organization}/workspaces/${workspaceName(state, config.name, stack)}` };
  if (state.backend === "s3") {
    const key = s3StateKey(state.keyPrefix, stack);
    return { objects: [`s3://${state.bucket}/${key}`, `s3://${state.bucket}/${key}.tflock`] };
  }
  const file = path.resolve(stackDir, localStatePath(state.directory, stack));
  return { files: [file, `${file}.backup`, path.join(path.dirname(file), `.${path.basename(file)}.lock.info`)] };
}

/** Forgets the named retire stacks; returns one line per stack, or throws naming every refusal. */
export async function forgetRetired(paths: SynthPaths, names: readonly string[]): Promise<string[]> {
  if (!paths.recordFile) throw new UsageError("the built-in example has no stack record: there is nothing to forget");
  if (names.length === 0) throw new UsageError("name the retire stacks to forget, such as: npm run forget -- consumer-b");
  const config = loadConfig(paths.configFile);
  // Synthesize first, so each retire stack's folder matches the record.
  synthesize(config, paths.outdir, { recordFile: paths.recordFile, configFile: paths.configFile, lockFile: paths.lockFile });
  let record = readRecord(paths.recordFile);
  const runner = new StackRunner(paths.outdir);
  const refusals: string[] = [];
  const forgotten: { name: string; leftovers: ReturnType<typeof stateLeftovers> }[] = [];
  for (const name of names) {
    const entry = record.stacks[name];
    if (!entry) {
      refusals.push(`${name}: not in ${shownPath(paths.recordFile)}; stacks recorded there: ${Object.keys(record.stacks).join(", ") || "none"}`);
      continue;
    }
    if (entry.status !== "retired") {
      refusals.push(`${name}: still in the config, not a retire stack; remove it from the config and synthesize first`);
      continue;
    }
    const left = await runner.resources(name);
    if (left.length > 0) {
      refusals.push(`${name}: its state still holds ${left.length} resource(s) (${left.join(", ")}): apply it first (terraform -chdir=${shownPath(runner.dir(name))} apply)`);
      continue;
    }
    record = withoutStack(record, name);
    forgotten.push({ name, leftovers: stateLeftovers(config, runner.dir(name), name) });
  }
  if (refusals.length > 0) throw new UsageError(`nothing forgotten:\n${refusals.map((r) => `  - ${r}`).join("\n")}`);
  writeRecord(paths.recordFile, record);
  synthesize(config, paths.outdir, { recordFile: paths.recordFile, configFile: paths.configFile, lockFile: paths.lockFile });
  return forgotten.map(({ name, leftovers }) => {
    const head = `forgot ${name}: its state is empty; it is no longer synthesized`;
    if ("workspace" in leftovers) return `${head}; its HCP Terraform workspace is left as it is: https://${leftovers.workspace} (the workspace set drops it at its next synth and apply; or delete it there once you no longer want its history)`;
    if ("objects" in leftovers) return `${head}; its S3 state is left in the bucket: delete ${leftovers.objects.join(" and ")} (if there) once you no longer want it`;
    const deleted = leftovers.files.filter((f) => fs.existsSync(f));
    deleted.forEach((f) => fs.rmSync(f, { force: true }));
    return deleted.length > 0 ? `${head}; deleted ${deleted.map((f) => shownPath(f)).join(", ")}` : head;
  });
}

if (require.main === module) {
  runCommand(async () => {
    const { positionals } = parseArgs({ allowPositionals: true });
    requireTerraform();
    for (const line of await forgetRetired(synthPaths(), positionals)) console.log(line);
    return 0;
  });
}
