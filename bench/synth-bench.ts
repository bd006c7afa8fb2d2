/**
 * `npm run bench`: synth speed and peak memory, medians over several runs (GNU time's -v report).
 * Prints the table and writes it to .bench/results.md (untracked); `npm run bench -- --write`
 * updates the committed bench/results.md instead. Cases: the built-in example through `npm run synth`'s
 * command; the same stacks through the default cdktf template path (ts-node, root provider
 * import); generated configs with 1, 10, 50 and 100 consumers.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXAMPLE_CONFIG_PATH } from "../stacks/config";

const ROOT = path.join(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const work = fs.mkdtempSync(path.join(os.tmpdir(), "pl-bench-"));

interface Sample {
  seconds: number;
  mb: number;
}

function measure(command: string[], env: NodeJS.ProcessEnv): Sample {
  const r = spawnSync("/usr/bin/time", ["-v", ...command], { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${command.join(" ")} failed:\n${r.stderr}`);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr)!;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)!;
  return { seconds: Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]), mb: Number(rss[1]) / 1024 };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function run(name: string, command: string[], configFile: string, runs = RUNS): { name: string; seconds: number; mb: number; runs: number } {
  const outdir = path.join(work, "cdktf.out");
  const samples = Array.from({ length: runs }, () => measure(command, { PRIVATELINK_CONFIG: configFile, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" }));
  const result = { name, seconds: median(samples.map((s) => s.seconds)), mb: median(samples.map((s) => s.mb)), runs };
  console.log(`  ${name.padEnd(44)} ${result.seconds.toFixed(2).padStart(7)} s ${result.mb.toFixed(0).padStart(6)} MB  (median of ${runs})`);
  return result;
}

function configWithConsumers(n: number): string {
  const base = JSON.parse(fs.readFileSync(EXAMPLE_CONFIG_PATH, "utf8"));
  const template = base.consumers[0];
  base.consumers = Array.from({ length: n }, (_, i) => ({
    ...template,
    name: `c${i}`,
    network: { create: { ipv4Cidr: `10.${(i % 250) + 1}.0.0/16`, availabilityZones: ["us-west-2a", "us-west-2b"] } },
    allowFrom: { ipv4Cidrs: [`10.${(i % 250) + 1}.0.0/16`] },
  }));
  const file = path.join(work, `consumers-${n}.json`);
  fs.writeFileSync(file, JSON.stringify(base));
  return file;
}

const SYNTH = [process.execPath, "--require", "@swc-node/register", "main.ts"];
const DEFAULT_PATH = [process.execPath, path.join(ROOT, "node_modules", "ts-node", "dist", "bin.js"), "bench/default-path/main.ts"];

console.log(`synth benchmark on ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
const example = run("example: npm run synth", SYNTH, EXAMPLE_CONFIG_PATH);
const defaultPath = run("example: default template (ts-node, root import)", DEFAULT_PATH, EXAMPLE_CONFIG_PATH, Math.min(RUNS, 3));
const scale = [1, 10, 50, 100].map((n) => ({ n, ...run(`${n} consumer(s): npm run synth`, SYNTH, configWithConsumers(n)) }));

// Linear growth: the cost per consumer from 10 to 50 and from 50 to 100 agree (within half).
const slopeLow = (scale[2].seconds - scale[1].seconds) / 40;
const slopeHigh = (scale[3].seconds - scale[2].seconds) / 50;
const linear = Math.abs(slopeHigh - slopeLow) <= 0.5 * Math.max(slopeLow, slopeHigh) || Math.max(slopeLow, slopeHigh) < 0.002;
const speedup = defaultPath.seconds / example.seconds;
const check = (ok: boolean) => (ok ? "met" : "MISSED");
const rows = [
  ["example synth, median wall", `${example.seconds.toFixed(2)} s`, "<= 1.0 s", check(example.seconds <= 1.0)],
  ["example synth, peak memory", `${example.mb.toFixed(0)} MB`, "<= 200 MB", check(example.mb <= 200)],
  ["default template path, median wall", `${defaultPath.seconds.toFixed(2)} s (${defaultPath.mb.toFixed(0)} MB)`, "", ""],
  ["speed-up over the default path", `${speedup.toFixed(1)}x`, ">= 10x", check(speedup >= 10)],
  ...scale.map((s) => [`${s.n} consumer(s), median wall / peak`, `${s.seconds.toFixed(2)} s / ${s.mb.toFixed(0)} MB`, s.n === 100 ? "<= 3 s" : "", s.n === 100 ? check(s.seconds <= 3) : ""]),
  ["cost per consumer, 10 -> 50 / 50 -> 100", `${(slopeLow * 1000).toFixed(1)} ms / ${(slopeHigh * 1000).toFixed(1)} ms`, "linear", check(linear)],
];
const table = ["| measure | result | target | |", "|---|---|---|---|", ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
const md = `# Synth benchmark\n\nMeasured by \`npm run bench\` (${RUNS} runs per case, medians; peak memory from GNU time's maximum resident set size) on ${os.cpus().length} cores, node ${process.version}.\n\n${table}\n`;
// The committed results change only when asked: a measuring run leaves the tree clean.
const target = process.argv.includes("--write") ? path.join(__dirname, "results.md") : path.join(ROOT, ".bench", "results.md");
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, md);
console.log(`\n${table}\n\nwritten to ${path.relative(ROOT, target)}`);
fs.rmSync(work, { recursive: true, force: true });
