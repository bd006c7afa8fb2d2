/**
 * Builds the app's start-up snapshot (node --build-snapshot; see scripts/run-compiled.js).
 *
 * Loads the compiled app's modules (cdktf, the AWS provider classes it uses, zod, our modules)
 * into the heap that the snapshot saves; a run started from the snapshot then executes only the
 * entry file, with every module already evaluated. Node's snapshot builder loads only built-in
 * modules itself, so this file carries a small CommonJS loader: node_modules lookup, package
 * `main`/`exports` (the "." entry), JSON, and `require.resolve`. A module it cannot load makes
 * the build fail, and the app then runs without a snapshot.
 *
 * Input (environment): PRIVATELINK_SNAPSHOT_ROOT (the project), PRIVATELINK_SNAPSHOT_MODULES
 * (JSON list of compiled files to load), PRIVATELINK_SNAPSHOT_MAIN (the file to run).
 */
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const v8 = require("v8");

const builtinRequire = require;
const ROOT = process.env.PRIVATELINK_SNAPSHOT_ROOT;
const MODULES = JSON.parse(process.env.PRIVATELINK_SNAPSHOT_MODULES);
const MAIN = process.env.PRIVATELINK_SNAPSHOT_MAIN;
const cache = Object.create(null);

// The builder's own require loads built-in modules only: what it loads is built in.
const builtins = new Map();
function isBuiltin(request) {
  if (request.startsWith(".") || request.startsWith("/")) return false;
  if (!builtins.has(request)) {
    try {
      builtinRequire(request);
      builtins.set(request, true);
    } catch {
      builtins.set(request, false);
    }
  }
  return builtins.get(request);
}

function asFile(p) {
  for (const candidate of [p, `${p}.js`, `${p}.json`, path.join(p, "index.js")]) {
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // next candidate
    }
  }
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(p, "package.json"), "utf8"));
    if (pkg.main) return asFile(path.join(p, pkg.main));
  } catch {
    // no package.json
  }
  return undefined;
}

function packageEntry(base) {
  const pkg = JSON.parse(fs.readFileSync(path.join(base, "package.json"), "utf8"));
  let main = pkg.exports && typeof pkg.exports === "object" && "." in pkg.exports ? pkg.exports["."] : pkg.exports;
  while (main && typeof main === "object") main = main.require ?? main.node ?? main.default;
  return path.join(base, typeof main === "string" ? main : (pkg.main ?? "index.js"));
}

function resolveFrom(request, dir) {
  if (isBuiltin(request)) return request;
  if (request === "." || request === ".." || request.startsWith("./") || request.startsWith("../") || request.startsWith("/")) {
    const found = asFile(path.resolve(dir, request));
    if (found) return found;
    throw new Error(`cannot find module ${request} from ${dir}`);
  }
  const parts = request.split("/");
  const name = parts.slice(0, request.startsWith("@") ? 2 : 1).join("/");
  const sub = parts.slice(name.split("/").length).join("/");
  for (let d = dir; ; d = path.dirname(d)) {
    const base = path.join(d, "node_modules", name);
    if (fs.existsSync(path.join(base, "package.json"))) {
      const found = asFile(sub ? path.join(base, sub) : packageEntry(base));
      if (found) return found;
      throw new Error(`cannot find module ${request} in ${base}`);
    }
    if (d === path.dirname(d)) throw new Error(`cannot find module ${request} from ${dir}`);
  }
}

function load(file) {
  if (isBuiltin(file)) return builtinRequire(file);
  const cached = cache[file];
  if (cached) return cached.exports;
  const module = { exports: {}, id: file, filename: file, loaded: false, children: [], paths: [] };
  cache[file] = module;
  if (file.endsWith(".json")) {
    module.exports = JSON.parse(fs.readFileSync(file, "utf8"));
  } else {
    const dir = path.dirname(file);
    const localRequire = (request) => load(resolveFrom(request, dir));
    localRequire.resolve = (request) => resolveFrom(request, dir);
    localRequire.cache = cache;
    const source = fs.readFileSync(file, "utf8").replace(/^#!.*/, "");
    const fn = vm.compileFunction(source, ["exports", "require", "module", "__filename", "__dirname"], { filename: file });
    fn.call(module.exports, module.exports, localRequire, module, file, dir);
  }
  module.loaded = true;
  return module.exports;
}

for (const file of MODULES) load(path.join(ROOT, file));
v8.startupSnapshot.setDeserializeMainFunction(() => {
  // As in a plain run: argv[1] is the script, the arguments follow.
  process.argv.splice(1, 0, path.join(ROOT, MAIN));
  load(path.join(ROOT, MAIN));
});
