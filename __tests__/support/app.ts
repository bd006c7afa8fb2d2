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

/** What a finished child process printed: each stream, and both in the order they came. */
export interface ChildRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly output: string;
}

/** Runs a command from the project root, with no input, and collects what it prints. */
export function runChild(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let output = "";
    child.stdout.on("data", (d) => ((stdout += d), (output += d)));
    child.stderr.on("data", (d) => ((stderr += d), (output += d)));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr, output }));
  });
}

/** Runs one of the project's TypeScript entry points (as its npm script does) with extra environment. */
export async function runNode(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runChild(process.execPath, ["--require", "@swc-node/register", ...args], { ...process.env, ...env });
  return { code, stdout, stderr };
}
