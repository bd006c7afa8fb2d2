#!/usr/bin/env node
/**
 * Runs one of the project's TypeScript entry points from compiled JavaScript, so that a synth
 * does not compile TypeScript on every run:
 *
 *   node scripts/run-compiled.js main.ts [--flavour <name>] [args...]
 *
 * The sources (main.ts, modules/, config/, stacks/, synth/, rules/) are transpiled by swc into .build/ the first
 * time, and again whenever one of them changes: each source's content hash is compared with
 * what the last build recorded (a few milliseconds), so an edited source is never run stale. Types are
 * checked by `npm run build`, not here. `--flavour` (or $PRIVATELINK_FLAVOUR) picks the construct
 * library family (see scripts/flavours.js): its packages are installed on first use and its
 * build goes to flavours/<name>/.build/.
 */
"use strict";
const { spawnSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const flavours = require("./flavours");

const ROOT = path.join(__dirname, "..");
const entry = process.argv[2];
const args = process.argv.slice(3);
const flavour = flavours.takeFlavourArg(args);
const OUT = flavours.buildDir(flavour);
const STAMP = path.join(OUT, "stamp.json");
// What the app (main.ts) reaches; scripts/ and sandbox/ run through @swc-node/register.
const SOURCES = ["main.ts", "modules", "config", "stacks", "synth", "rules"];

function sources() {
  const found = [];
  const walk = (rel) => {
    const full = path.join(ROOT, rel);
    const stat = fs.statSync(full);
    if (stat.isDirectory()) for (const entry of fs.readdirSync(full)) walk(path.join(rel, entry));
    else if (rel.endsWith(".ts") && !rel.endsWith(".d.ts")) found.push({ rel, key: crypto.createHash("sha1").update(fs.readFileSync(full)).digest("hex") });
  };
  SOURCES.forEach(walk);
  return found;
}

/** Writes a file whole: another run at the same time never reads half of it. */
function writeWhole(file, content) {
  const partial = `${file}.${process.pid}`;
  fs.writeFileSync(partial, content);
  fs.renameSync(partial, file);
}

function build(files, previous) {
  const swc = require("@swc/core");
  for (const { rel, key } of files) {
    if (previous[rel] === key) continue;
    const { code } = swc.transformFileSync(path.join(ROOT, rel), {
      jsc: { parser: { syntax: "typescript" }, target: "es2022" },
      module: { type: "commonjs" },
      sourceMaps: "inline",
      swcrc: false,
    });
    const target = path.join(OUT, rel.replace(/\.ts$/, ".js"));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    writeWhole(target, flavours.rewriteImports(code, flavour));
  }
  // Compiled files of sources that were removed go too.
  const now = new Set(files.map((f) => f.rel.replace(/\.ts$/, ".js")));
  for (const rel of Object.keys(previous)) {
    const js = rel.replace(/\.ts$/, ".js");
    if (!now.has(js)) fs.rmSync(path.join(OUT, js), { force: true });
  }
  writeWhole(STAMP, JSON.stringify(Object.fromEntries(files.map((f) => [f.rel, f.key]))));
}

/** Content hash of what a snapshot holds besides our sources: the installed dependencies, node and where the project lies. */
function dependencyKey() {
  const hash = crypto.createHash("sha1").update(`${process.version} ${process.arch} ${process.execPath} ${ROOT}\n`);
  const locks = ["package-lock.json", path.join("node_modules", ".package-lock.json")];
  for (const file of [...locks.map((f) => path.join(ROOT, f)), ...locks.map((f) => path.join(flavours.flavourDir(flavour), f))]) {
    try {
      hash.update(fs.readFileSync(file));
    } catch {
      hash.update(`no ${file}`);
    }
  }
  return hash.digest("hex");
}

/**
 * V8 flags of the snapshot run (a snapshot loads only under the flags it was built with, so the
 * build gets them too). A synth makes short-lived objects for every resource; V8 starts the young
 * generation at 1 MB and grows it, scavenging often on the way: starting it at 16 MB made a
 * 100-consumer synth some 5% faster at the same peak memory (measured on 2 cores, 7 runs each).
 * Nearly everything a synth makes lives until it exits (constructs, tokens, the stacks' JSON), so
 * the old generation only grows: from V8's default starting limit it ran a full mark-compact
 * at about 45 MB, a few milliseconds before the process exits, 10 to 75 ms for nothing. Starting
 * it at 128 MB, a synth of up to some 300 consumers runs none: 100 consumers 6 to 10% less CPU
 * in the synth process, same peak memory (155 MB; 179 MB with 200 consumers, as before).
 * A synth is over in a second: V8's optimizing compiler (Turbofan) compiled some 110 functions
 * (cdktf's resolve and tokens, constructs, provider classes) during a 100-consumer synth, on a
 * second thread, over several hundred milliseconds, most of it never paid back before the process
 * exited (1 function for the example). With a 16 times larger interrupt budget (V8's default is
 * 67584) a function must run 16 times as much before it is optimized: 6 functions are, the
 * hottest loops still (a synth retiring hundreds of stacks keeps its speed-up), and a
 * 100-consumer synth takes about a third less CPU (the snapshot process alone, 7 pairs each).
 */
const V8_FLAGS = ["--min-semi-space-size=16", "--initial-old-space-size=128", `--interrupt-budget=${16 * 67584}`];

/**
 * The app's start-up snapshot: a V8 heap with every module the app loads already evaluated, so a
 * synth starts in a few milliseconds instead of loading some 600 modules (see
 * scripts/snapshot-entry.js). Rebuilt whenever a source, a dependency or node changes; if node
 * cannot build it, the app runs without one. PRIVATELINK_SNAPSHOT=0 turns it off;
 * PRIVATELINK_SNAPSHOT_REQUIRED=1 makes a snapshot that cannot be built an error (the tests use it,
 * so that a module the snapshot cannot hold never quietly slows every synth down).
 */
function snapshotFor(entryJs, files) {
  if (process.env.PRIVATELINK_SNAPSHOT === "0") return undefined;
  // V8 refuses a snapshot built under other V8 flags (the cdktf CLI, for one, adds
  // --max-old-space-size to NODE_OPTIONS): one snapshot per set of flags.
  const flags = crypto.createHash("sha1").update(JSON.stringify([process.env.NODE_OPTIONS ?? "", process.execArgv, V8_FLAGS])).digest("hex").slice(0, 8);
  const blob = path.join(OUT, `${path.basename(entryJs, ".js")}-${flags}.blob`);
  const meta = `${blob}.json`;
  const key = crypto
    .createHash("sha1")
    .update(dependencyKey())
    .update(files.map((f) => `${f.rel}:${f.key}`).join("\n"))
    .digest("hex");
  try {
    const recorded = JSON.parse(fs.readFileSync(meta, "utf8"));
    if (recorded.key === key) return recorded.ok ? blob : snapshotMissing(recorded.error);
  } catch {
    // not built yet
  }
  const partial = `${blob}.${process.pid}`;
  // Every compiled source of the app is loaded into the heap, so any of them is ready at run time.
  const modules = files.map((f) => path.relative(ROOT, path.join(OUT, f.rel.replace(/\.ts$/, ".js")))).filter((f) => f !== path.relative(ROOT, entryJs));
  const r = spawnSync(process.execPath, [...V8_FLAGS, "--snapshot-blob", partial, "--build-snapshot", path.join(__dirname, "snapshot-entry.js")], {
    cwd: ROOT,
    env: { ...process.env, PRIVATELINK_SNAPSHOT_ROOT: ROOT, PRIVATELINK_SNAPSHOT_MODULES: JSON.stringify(modules), PRIVATELINK_SNAPSHOT_MAIN: path.relative(ROOT, entryJs) },
    encoding: "utf8",
  });
  const ok = r.status === 0 && fs.existsSync(partial);
  if (ok) fs.renameSync(partial, blob);
  else fs.rmSync(partial, { force: true });
  const error = `${r.stderr ?? ""}${r.error ?? ""}`.slice(-4000);
  writeWhole(meta, JSON.stringify({ key, ok, ...(ok ? {} : { error }) }));
  return ok ? blob : snapshotMissing(error);
}

function snapshotMissing(error) {
  if (process.env.PRIVATELINK_SNAPSHOT_REQUIRED !== "1") return undefined;
  const lines = String(error).split("\n").filter((l) => !/^\s*\d+: 0x/.test(l) && l.trim() !== "");
  console.error(`the app's start-up snapshot cannot be built (PRIVATELINK_SNAPSHOT_REQUIRED=1):\n${lines.slice(-12).join("\n")}`);
  process.exit(1);
}

if (!entry || !entry.endsWith(".ts")) {
  console.error("usage: node scripts/run-compiled.js <entry>.ts [--flavour <name>] [args...]");
  process.exit(2);
}
flavours.ensureFlavourInstalled(flavour);
const files = sources();
let previous = {};
try {
  previous = JSON.parse(fs.readFileSync(STAMP, "utf8"));
} catch {
  // no build yet
}
if (files.some((f) => previous[f.rel] !== f.key) || Object.keys(previous).length !== files.length) build(files, previous);
const entryJs = path.join(OUT, entry.replace(/\.ts$/, ".js"));
const blob = snapshotFor(entryJs, files);
if (blob) {
  const r = spawnSync(process.execPath, [...V8_FLAGS, "--snapshot-blob", blob, "--", ...args], { stdio: "inherit" });
  if (r.error) throw r.error;
  if (r.status !== 14) {
    if (r.signal) process.kill(process.pid, r.signal);
    process.exit(r.status ?? 1);
  }
  // 14: node could not load the snapshot (the app never exits with it) and ran nothing. Record it
  // under the same key, so it is not rebuilt until something changes, and run without it.
  const meta = `${blob}.json`;
  writeWhole(meta, JSON.stringify({ ...JSON.parse(fs.readFileSync(meta, "utf8")), ok: false, error: "node could not load it (exit 14)" }));
}
process.argv.splice(2, process.argv.length - 2, ...args);
require(entryJs);
