#!/usr/bin/env node
/**
 * Runs one of the project's TypeScript entry points from compiled JavaScript, so that a synth
 * does not compile TypeScript on every run:
 *
 *   node scripts/run-compiled.js main.ts [args...]
 *
 * The sources (main.ts, modules/, stacks/, rules/) are transpiled by swc into .build/ the first
 * time, and again whenever one of them changes: each source's content hash is compared with
 * what the last build recorded (a few milliseconds), so an edited source is never run stale. Types are
 * checked by `npm run build`, not here.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const ROOT = path.join(__dirname, "..");
const OUT = path.join(ROOT, ".build");
const STAMP = path.join(OUT, "stamp.json");
// What the app (main.ts) reaches; scripts/ and sandbox/ run through @swc-node/register.
const SOURCES = ["main.ts", "modules", "stacks", "rules"];

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
    // Whole files only: another run building at the same time never reads half of one.
    const partial = `${target}.${process.pid}`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, target);
  }
  // Compiled files of sources that were removed go too.
  const now = new Set(files.map((f) => f.rel.replace(/\.ts$/, ".js")));
  for (const rel of Object.keys(previous)) {
    const js = rel.replace(/\.ts$/, ".js");
    if (!now.has(js)) fs.rmSync(path.join(OUT, js), { force: true });
  }
  const partial = `${STAMP}.${process.pid}`;
  fs.writeFileSync(partial, JSON.stringify(Object.fromEntries(files.map((f) => [f.rel, f.key]))));
  fs.renameSync(partial, STAMP);
}

const entry = process.argv[2];
if (!entry || !entry.endsWith(".ts")) {
  console.error("usage: node scripts/run-compiled.js <entry>.ts [args...]");
  process.exit(2);
}
const files = sources();
let previous = {};
try {
  previous = JSON.parse(fs.readFileSync(STAMP, "utf8"));
} catch {
  // no build yet
}
if (files.some((f) => previous[f.rel] !== f.key) || Object.keys(previous).length !== files.length) build(files, previous);
process.argv.splice(2, 1);
require(path.join(OUT, entry.replace(/\.ts$/, ".js")));
