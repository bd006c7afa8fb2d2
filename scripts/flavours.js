/**
 * The construct library families the project builds with ("flavours"), from one source.
 *
 * - cdktf-aws5 (default): cdktf 0.21 + @cdktf/provider-aws 20.x (AWS provider 5.x), the root
 *   node_modules.
 * - cdktf-aws6: cdktf 0.21 + @cdktf/provider-aws 21.x (AWS provider 6.x). Same JavaScript as the
 *   default; only the installed provider classes differ.
 * - cdktn: CDK Terrain 0.24 + @cdktn/provider-aws 25.x (AWS provider 6.x). The compiled code's
 *   imports are rewritten: `cdktf` -> `cdktn`, `@cdktf/provider-aws` -> `@cdktn/provider-aws`
 *   (module paths below them are the same in both families).
 *
 * A non-default flavour's packages live in flavours/<name>/node_modules, installed with `npm ci`
 * from the committed flavours/<name>/package-lock.json (never into the root node_modules), and its
 * compiled app in flavours/<name>/.build/, so Node finds the flavour's packages first and the
 * project's other dependencies (zod, ...) in the root node_modules.
 */
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.join(__dirname, "..");
const DEFAULT_FLAVOUR = "cdktf-aws5";

/** @type {Record<string, { core: string, provider: string, awsProvider: string, rewrite: boolean }>} */
const FLAVOURS = {
  "cdktf-aws5": { core: "cdktf", provider: "@cdktf/provider-aws", awsProvider: "5.x", rewrite: false },
  "cdktf-aws6": { core: "cdktf", provider: "@cdktf/provider-aws", awsProvider: "6.x", rewrite: false },
  cdktn: { core: "cdktn", provider: "@cdktn/provider-aws", awsProvider: "6.x", rewrite: true },
};

function checkFlavour(name) {
  if (!Object.hasOwn(FLAVOURS, name)) {
    throw new Error(`unknown flavour "${name}": valid flavours are ${Object.keys(FLAVOURS).join(", ")}`);
  }
  return name;
}

/** The folder holding a flavour's package.json and node_modules; the project root for the default. */
function flavourDir(name) {
  checkFlavour(name);
  return name === DEFAULT_FLAVOUR ? ROOT : path.join(ROOT, "flavours", name);
}

/** Where a flavour's compiled app goes. */
function buildDir(name) {
  return path.join(flavourDir(name), ".build");
}

// Where a module name stands: `require("...")`, `require.resolve("...")` in compiled CommonJS,
// `from "..."` and `import("...")` in declarations.
const MODULE_NAME_BEFORE = String.raw`((?:require(?:\.resolve)?\(|from\s+|import\()\s*["'])`;
const MODULE_NAME_AFTER = String.raw`((?:\/[^"']*)?["'])`;

/** The cdktf family's module names (`cdktf...`, `@cdktf/provider-aws...`) in compiled code or declarations, for the cdktn family. */
function rewriteImports(code, name) {
  const flavour = FLAVOURS[checkFlavour(name)];
  if (!flavour.rewrite) return code;
  return code
    .replace(new RegExp(`${MODULE_NAME_BEFORE}cdktf${MODULE_NAME_AFTER}`, "g"), `$1${flavour.core}$2`)
    .replace(new RegExp(`${MODULE_NAME_BEFORE}@cdktf\/provider-aws${MODULE_NAME_AFTER}`, "g"), `$1${flavour.provider}$2`);
}

/**
 * Installs a non-default flavour's packages with `npm ci` when they are missing or older than its
 * lock file. Returns whether it installed.
 */
function ensureFlavourInstalled(name, { log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  if (checkFlavour(name) === DEFAULT_FLAVOUR) return false;
  const dir = flavourDir(name);
  const lock = path.join(dir, "package-lock.json");
  const installed = path.join(dir, "node_modules", ".package-lock.json");
  const upToDate = () => fs.existsSync(installed) && fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs;
  // One install at a time (the tests' global setup starts one in the background, and a test or
  // `npm run synth -- --flavour` may ask meanwhile): the others wait for it, then find it done.
  const installing = path.join(dir, ".installing");
  for (;;) {
    if (upToDate()) return false;
    try {
      fs.mkdirSync(installing);
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
    }
    try {
      // (a mark older than ten minutes was left by an install that died)
      if (Date.now() - fs.statSync(installing).mtimeMs > 600_000) fs.rmSync(installing, { recursive: true, force: true });
    } catch {
      // gone meanwhile
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
  try {
    if (upToDate()) return false;
    log(`installing the ${name} flavour's packages: npm ci in ${path.relative(process.cwd(), dir) || "."}`);
    const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ["npm"];
    const r = spawnSync(npm[0], [...npm.slice(1), "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: dir,
      encoding: "utf8",
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("npm_"))),
    });
    if (r.status !== 0) throw new Error(`npm ci for the ${name} flavour failed in ${dir}:\n${r.stderr}${r.error ?? ""}`);
    return true;
  } finally {
    fs.rmSync(installing, { recursive: true, force: true });
  }
}

/** The flavour asked for: `--flavour <name>` / `--flavour=<name>` (removed from args), else $PRIVATELINK_FLAVOUR, else the default. */
function takeFlavourArg(args) {
  let name = process.env.PRIVATELINK_FLAVOUR || DEFAULT_FLAVOUR;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--flavour" && i + 1 < args.length) {
      name = args[i + 1];
      args.splice(i, 2);
      i--;
    } else if (args[i].startsWith("--flavour=")) {
      name = args[i].slice("--flavour=".length);
      args.splice(i, 1);
      i--;
    }
  }
  return checkFlavour(name);
}

module.exports = { DEFAULT_FLAVOUR, FLAVOURS, buildDir, checkFlavour, ensureFlavourInstalled, flavourDir, rewriteImports, takeFlavourArg };
