import { SpawnSyncReturns, spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.join(__dirname, "..");

/**
 * Runs the app on a config file as `npm run synth` does (compiled, from its start-up snapshot),
 * writing to `outdir`; `flavour` picks the construct library family (scripts/flavours.js).
 */
export function runCompiledApp(configFile: string, outdir: string, options: { readonly flavour?: string; readonly args?: readonly string[]; readonly env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  const flavour = options.flavour ? ["--flavour", options.flavour] : [];
  return spawnSync(process.execPath, [path.join(ROOT, "scripts", "run-compiled.js"), "main.ts", ...flavour, ...(options.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, ...options.env, PRIVATELINK_CONFIG: configFile, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  });
}
