#!/usr/bin/env node
/**
 * npm run jsii: the constructs (modules/) as a jsii assembly, the description from which
 * jsii-pacmak generates the packages for Python, Java, C# and Go.
 *
 *   npm run jsii                                    # the assembly: dist/jsii/.jsii, copied to ./.jsii
 *   npm run jsii -- --pacmak [--out DIR]            # and the sources for every language (code only)
 *   npm run jsii -- --pacmak --targets python,go    # for some of them
 *   npm run jsii -- --stage DIR                     # staged in DIR, the assembly left there (a trial: ./.jsii untouched)
 *
 * jsii compiles a package whose entry is the constructs' index, so the constructs are staged as
 * one in dist/jsii/: their sources in lib/, a package.json made from this one (name, version,
 * license, the cdktf family as peer dependencies, the packages the constructs use bundled, and
 * the per-language names of package.json's "jsii" section), and links to the installed packages.
 * The assembly goes beside package.json (./.jsii), so that `npm pack` carries it (prepack runs this). The languages'
 * sources are generated with --code-only: building them needs each language's toolchain.
 */
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.join(__dirname, "..");
const DEFAULT_STAGE = path.join(ROOT, "dist", "jsii");
const LANGUAGES = ["python", "java", "dotnet", "go"];
/** Packages the constructs import that are not jsii modules: bundled into the assembly's package. */
const BUNDLED = ["ipaddr.js", "@aws-sdk/util-arn-parser"];
/** The cdktf family: jsii modules the constructs' API uses, peer dependencies as in package.json. */
const PEERS = ["cdktf", "constructs", "@cdktf/provider-aws"];

function fail(message) {
  console.error(`npm run jsii: ${message}`);
  process.exit(1);
}

function options(argv) {
  const o = { pacmak: false, out: path.join(ROOT, "dist", "jsii-packages"), targets: LANGUAGES, stage: DEFAULT_STAGE };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--pacmak") o.pacmak = true;
    else if (a === "--out") o.out = path.resolve(argv[++i] ?? fail("--out: give a folder"));
    else if (a === "--stage") o.stage = path.resolve(argv[++i] ?? fail("--stage: give a folder"));
    else if (a === "--targets") {
      o.targets = (argv[++i] ?? "").split(",").filter(Boolean);
      const unknown = o.targets.filter((t) => !LANGUAGES.includes(t));
      if (o.targets.length === 0 || unknown.length > 0) fail(`--targets: received "${o.targets.join(",")}"; expected some of ${LANGUAGES.join(", ")}, separated by commas`);
    } else fail(`unknown option "${a}"; expected --pacmak, --out DIR, --targets ${LANGUAGES.join(",")}, --stage DIR`);
  }
  return o;
}

function installedVersion(name) {
  return JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
}

/** The staged package's package.json: this one's identity, the constructs' dependencies, the jsii settings. */
function stagedManifest(pkg) {
  const missing = ["author", "repository", "jsii"].filter((k) => pkg[k] === undefined);
  if (missing.length > 0) fail(`package.json lacks ${missing.join(", ")}: jsii needs them for the packages of other languages`);
  return {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    license: pkg.license,
    author: pkg.author,
    repository: pkg.repository,
    keywords: pkg.keywords,
    main: "lib/index.js",
    types: "lib/index.d.ts",
    peerDependencies: Object.fromEntries(PEERS.map((p) => [p, pkg.peerDependencies[p]])),
    // jsii compiles against the installed peers, as their exact versions
    devDependencies: Object.fromEntries(PEERS.map((p) => [p, installedVersion(p)])),
    dependencies: Object.fromEntries(BUNDLED.map((b) => [b, pkg.dependencies[b]])),
    bundledDependencies: BUNDLED,
    jsii: { ...pkg.jsii, outdir: "pacmak", tsc: { outDir: "lib", rootDir: "lib" } },
  };
}

function stage(pkg, dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "lib"), { recursive: true });
  for (const f of fs.readdirSync(path.join(ROOT, "modules")).filter((f) => f.endsWith(".ts"))) fs.copyFileSync(path.join(ROOT, "modules", f), path.join(dir, "lib", f));
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(stagedManifest(pkg), null, 2)}\n`);
  for (const f of ["README.md", "LICENSE"]) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  for (const name of [...PEERS, ...BUNDLED]) {
    const link = path.join(dir, "node_modules", name);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join(ROOT, "node_modules", name), link, "dir");
  }
}

function run(tool, args, dir) {
  const r = spawnSync(path.join(ROOT, "node_modules", ".bin", tool), args, { cwd: dir, encoding: "utf8", env: { ...process.env, JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION: "1", JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: "1" } });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}`.replace(/\u001b\[[0-9;]*m/g, "");
  if (r.error || r.status !== 0) fail(`${tool} failed (exit ${r.status}):\n${output || r.error}`);
  return output;
}

function main() {
  const o = options(process.argv.slice(2));
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  stage(pkg, o.stage);
  run("jsii", ["--silence-warnings=reserved-word"], o.stage);
  const built = path.join(o.stage, ".jsii");
  const assembly = JSON.parse(fs.readFileSync(built, "utf8"));
  let wrote = path.relative(process.cwd(), built);
  if (o.stage === DEFAULT_STAGE) {
    // beside package.json, whole or not at all (npm pack may be reading it)
    const next = path.join(ROOT, `.jsii.${process.pid}`);
    fs.copyFileSync(built, next);
    fs.renameSync(next, path.join(ROOT, ".jsii"));
    wrote = ".jsii";
  }
  console.log(`wrote ${wrote}: ${assembly.name} ${assembly.version}, ${Object.keys(assembly.types).length} types`);
  if (o.pacmak) {
    fs.rmSync(o.out, { recursive: true, force: true });
    run("jsii-pacmak", ["--code-only", "--targets", o.targets.join(","), "--outdir", o.out], o.stage);
    console.log(`wrote the ${o.targets.join(", ")} sources in ${path.relative(process.cwd(), o.out) || "."} (code only: each language's own build makes the package)`);
  }
}

main();
