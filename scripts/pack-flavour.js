#!/usr/bin/env node
/**
 * `npm run pack:cdktn`: the package of the cdktn flavour, `privatelink-as-code-cdktn`, from the
 * same compiled library as the default package (npm run build:dist): the cdktf family's imports
 * in dist/ (JavaScript and declarations) are rewritten to CDK Terrain's (scripts/flavours.js),
 * and the package declares cdktn's peers. Writes the tarball to --pack-destination (default .pack/).
 *
 *   node scripts/pack-flavour.js cdktn [--pack-destination <dir>] [--json]
 */
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const { FLAVOURS, rewriteImports } = require("./flavours");

const ROOT = path.join(__dirname, "..");

/** The packages each flavour publishes, and their peers. */
const PACKAGES = {
  cdktn: {
    name: "privatelink-as-code-cdktn",
    peerDependencies: { cdktn: "^0.24.0", "@cdktn/provider-aws": ">=25.0.0 <26.0.0", constructs: ">=10.6.0 <10.8.0" },
    keywords: ["cdktn", "cdk-terrain"],
  },
};

function main(argv) {
  const flavour = argv[0];
  const spec = PACKAGES[flavour];
  if (!spec) throw new Error(`no package for flavour "${flavour}": packaged flavours are ${Object.keys(PACKAGES).join(", ")} (cdktf-aws5 and cdktf-aws6 share the default package)`);
  const at = argv.indexOf("--pack-destination");
  const destination = path.resolve(at >= 0 ? argv[at + 1] : path.join(ROOT, ".pack"));
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

  execFileSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(ROOT, "tsconfig.build.json")], { cwd: ROOT, stdio: "inherit" });
  const stage = path.join(ROOT, ".pack", `stage-${flavour}`);
  fs.rmSync(stage, { recursive: true, force: true });
  // (not the jsii assembly: it describes the constructs on cdktf, and the packages for other
  // languages are generated from the default package only)
  const files = pkg.files.filter((f) => f !== ".jsii");
  for (const entry of [...files, "README.md", "LICENSE"]) {
    const from = path.join(ROOT, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(stage, entry), { recursive: true });
  }
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      // Compiled code and its declarations (.js, .d.ts).
      else if (file.endsWith(".js") || file.endsWith(".ts")) fs.writeFileSync(file, rewriteImports(fs.readFileSync(file, "utf8"), flavour));
    }
  };
  walk(path.join(stage, "dist"));
  const { devDependencies, scripts, allowScripts, jsii, ...published } = pkg;
  void devDependencies;
  void scripts;
  void allowScripts;
  void jsii;
  fs.writeFileSync(
    path.join(stage, "package.json"),
    `${JSON.stringify({ ...published, files, name: spec.name, keywords: [...(pkg.keywords ?? []), ...spec.keywords], peerDependencies: spec.peerDependencies }, null, 2)}\n`,
  );
  fs.mkdirSync(destination, { recursive: true });
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", destination], { cwd: stage, encoding: "utf8" });
  if (argv.includes("--json")) process.stdout.write(out);
  else console.log(`packed ${spec.name}: ${path.join(destination, JSON.parse(out)[0].filename)}`);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
