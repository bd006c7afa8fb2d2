/**
 * `npm run bench`: synth speed and peak memory against yardsticks run side by side.
 *
 * Each comparison runs its two commands in turn (A B A B ...), each run a whole process timed by
 * GNU time (`/usr/bin/time -v`: wall clock and maximum resident set size), and takes the ratio
 * A/B pair by pair: machines of this kind differ up to 2.5x in speed and drift during a run, so
 * only ratios measured together are compared with the targets. Every table row shows both sides
 * (medians) and the median of the pairwise ratios.
 *
 * Prints the table and writes it to .bench/results.md (untracked); `npm run bench -- --write`
 * updates the committed bench/results.md instead. BENCH_RUNS sets the pairs per comparison
 * (default 5; 3 for the slow default-template yardstick).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXAMPLE_CONFIG_PATH } from "../config/load";
import { FAST_SYNTH_PARTS } from "../synth/fast";

const ROOT = path.join(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const work = fs.mkdtempSync(path.join(os.tmpdir(), "pl-bench-"));
const NPM = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ["npm"];

interface Sample {
  seconds: number;
  mb: number;
}

interface Case {
  /** What the row calls it. */
  readonly name: string;
  readonly command: string[];
  readonly config?: string;
  readonly env?: NodeJS.ProcessEnv;
}

function measure(c: Case): Sample {
  // Each config has its own output folder, as each project has: a synth rewrites the previous
  // output of the same config, the case a user meets synth after synth.
  const outdir = path.join(work, "out", path.basename(c.config ?? "example", ".json"), "cdktf.out");
  const env: NodeJS.ProcessEnv = { ...process.env, ...c.env, CHECKPOINT_DISABLE: "1", PRIVATELINK_CONFIG: c.config ?? EXAMPLE_CONFIG_PATH, CDKTF_OUTDIR: outdir };
  // npm's own variables would make the inner npm think it runs a script of ours.
  for (const k of Object.keys(env)) if (k.startsWith("npm_")) delete env[k];
  const r = spawnSync("/usr/bin/time", ["-v", ...c.command], { cwd: ROOT, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${c.command.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr)!;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)!;
  return { seconds: Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]), mb: Number(rss[1]) / 1024 };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Pair {
  a: Case;
  b: Case;
  seconds: [number, number];
  mb: [number, number];
  /** Median of the pairwise A/B wall-time ratios. */
  ratio: number;
  runs: number;
}

/** Runs A and B in turn `runs` times, after one unmeasured warm-up of each. */
function pair(a: Case, b: Case, runs = RUNS): Pair {
  measure(a);
  measure(b);
  const as: Sample[] = [];
  const bs: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    as.push(measure(a));
    bs.push(measure(b));
  }
  const p: Pair = {
    a,
    b,
    seconds: [median(as.map((s) => s.seconds)), median(bs.map((s) => s.seconds))],
    mb: [median(as.map((s) => s.mb)), median(bs.map((s) => s.mb))],
    ratio: median(as.map((s, i) => s.seconds / bs[i].seconds)),
    runs,
  };
  console.log(`  ${a.name} ${p.seconds[0].toFixed(2)} s vs ${b.name} ${p.seconds[1].toFixed(2)} s: ratio ${p.ratio.toFixed(3)} (median of ${runs} pairs)`);
  return p;
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

const synth: Case = { name: "npm run synth (example)", command: [...NPM, "run", "--silent", "synth"] };
const synth100: Case = { name: "npm run synth (100 consumers)", command: [...NPM, "run", "--silent", "synth"], config: configWithConsumers(100) };
// Yardsticks. The floor is what any cdktf app pays before its own work: npm's start-up and loading cdktf.
const floor: Case = { name: "npm run bench:floor (node -e \"require('cdktf')\")", command: [...NPM, "run", "--silent", "bench:floor"] };
const oneResource: Case = { name: "compiled one-resource app, provider root import", command: [process.execPath, "bench/baselines/one-resource.js"] };
const defaultPath: Case = {
  name: "default template path (ts-node, provider root import)",
  command: [process.execPath, path.join(ROOT, "node_modules", "ts-node", "dist", "bin.js"), "bench/default-path/main.ts"],
};

// The synth must be built before it is timed: a first run compiles (scripts/run-compiled.js).
measure(synth);
console.log(`synth benchmark on ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
const vsOne = pair(synth, oneResource);
const vsDefault = pair(synth, defaultPath, Math.min(RUNS, 3));
const vsFloor = pair(synth, floor);
const scale = pair(synth100, synth);
// The speed layer (synth/fast/): all of it against plain cdktf, then each replacement left out in
// turn. A replacement earns its place when leaving it out costs at least 10% on either config.
const plain = (c: Case): Case => ({ ...c, name: `${c.name}, plain cdktf`, env: { PRIVATELINK_FAST_SYNTH: "0" } });
const without = (c: Case, part: string): Case => ({ ...c, name: `${c.name} without ${part}`, env: { PRIVATELINK_FAST_SYNTH_SKIP: part } });
const plainRows = [synth, synth100].map((c) => pair(plain(c), c));
const partRows = FAST_SYNTH_PARTS.map((part) => ({ part, example: pair(without(synth, part), synth), consumers: pair(without(synth100, part), synth100) }));

const check = (ok: boolean) => (ok ? "met" : "MISSED");
const both = (p: Pair) => `${p.seconds[0].toFixed(2)} s / ${p.seconds[1].toFixed(2)} s`;
const rows = [
  ["example synth / compiled one-resource app (root import)", both(vsOne), vsOne.ratio.toFixed(3), "<= 0.25", check(vsOne.ratio <= 0.25)],
  ["default template path / example synth", `${vsDefault.seconds[1].toFixed(2)} s / ${vsDefault.seconds[0].toFixed(2)} s`, `${(1 / vsDefault.ratio).toFixed(1)}x`, ">= 20x", check(1 / vsDefault.ratio >= 20)],
  ["example synth / floor (npm start-up + require('cdktf'))", both(vsFloor), vsFloor.ratio.toFixed(2), "<= 2", check(vsFloor.ratio <= 2)],
  ["100 consumers / example synth", both(scale), scale.ratio.toFixed(2), "<= 2", check(scale.ratio <= 2)],
  ["peak memory: example / 100 consumers", `${vsOne.mb[0].toFixed(0)} MB / ${scale.mb[0].toFixed(0)} MB`, "", "<= 200 MB", check(Math.max(vsOne.mb[0], scale.mb[0]) <= 200)],
  ["peak memory of the yardsticks: one-resource / default path", `${vsOne.mb[1].toFixed(0)} MB / ${vsDefault.mb[1].toFixed(0)} MB`, "", "", ""],
  ...plainRows.map((p, i) => [`plain cdktf / speed layer (${i === 0 ? "example" : "100 consumers"})`, both(p), p.ratio.toFixed(2), "", ""]),
  ...partRows.map(({ part, example, consumers }) => [
    `without ${part} / speed layer (example; 100 consumers)`,
    `${both(example)}; ${both(consumers)}`,
    `${example.ratio.toFixed(2)}; ${consumers.ratio.toFixed(2)}`,
    ">= 1.10 on either",
    Math.max(example.ratio, consumers.ratio) >= 1.1 ? "kept" : "DROP",
  ]),
];
const table = ["| measure | A / B (medians) | ratio | target | |", "|---|---|---|---|---|", ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
const md =
  `# Synth benchmark\n\nMeasured by \`npm run bench\` on ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}. ` +
  `Each row ran its two commands in turn, ${RUNS} pairs (3 for the default template path) after a warm-up of each, as whole processes under GNU time; ` +
  `the ratio is the median of the pairwise ratios, so it holds on a faster or slower machine of the kind while the seconds do not. ` +
  `Peak memory is the maximum resident set size of the largest process.\n\n` +
  `The commands: \`npm ${synth.command.slice(-3).join(" ")}\` (the built-in example, or a generated config with 100 consumers, each with a created network; each config synthesizes into its own output folder, over its previous output), ` +
  `\`node bench/baselines/one-resource.js\`, \`node node_modules/ts-node/dist/bin.js bench/default-path/main.ts\` (the example's stacks), \`npm run bench:floor\`.\n\n${table}\n`;
// The committed results change only when asked: a measuring run leaves the tree clean.
const target = process.argv.includes("--write") ? path.join(__dirname, "results.md") : path.join(ROOT, ".bench", "results.md");
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, md);
console.log(`\n${table}\n\nwritten to ${path.relative(ROOT, target)}`);
fs.rmSync(work, { recursive: true, force: true });
