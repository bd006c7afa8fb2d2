import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { runCompiledApp } from "../../sandbox/run-app";

const ROOT = path.join(__dirname, "..", "..");

/** A hash of every file name and content under a folder: equal hashes, untouched folder. */
export function digest(dir: string): string {
  const hash = crypto.createHash("sha256");
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, e.name);
      hash.update(path.relative(dir, full));
      if (e.isDirectory()) walk(full);
      else hash.update(fs.readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest("hex");
}

/** Runs the real app on a config, writing to `outdir`, as `npm run synth` does (from the compiled build). */
export function runApp(config: unknown, outdir: string, env: NodeJS.ProcessEnv = {}) {
  const file = path.join(path.dirname(outdir), "privatelink.config.json");
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return runCompiledApp(file, outdir, { env });
}

/** Runs one of the project's TypeScript entry points (as its npm script does) with extra environment. */
export function runNode(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--require", "@swc-node/register", ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
