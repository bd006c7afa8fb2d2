// Before any test: the non-default flavours' packages installing (npm ci from
// flavours/<name>/package-lock.json, never into the root node_modules; the flavour projects of
// jest.config.js map the cdktf family's imports into them), the environment every test process
// inherits, and the folder of the run's shared applied baseline (support/baseline.ts).
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawn } = require("child_process");
const { DEFAULT_FLAVOUR, FLAVOURS } = require("../../scripts/flavours");

module.exports = async () => {
  // Terraform and the AWS provider are Go programs that spend about a third of their CPU time in
  // the garbage collector while the provider loads its schema, which every terraform command does
  // two or three times. Collecting less often (a larger heap, about 1 GB per plan instead of
  // 650 MB) cuts a plan's CPU time by about a third, and the suite is CPU-bound on 2 cores. Every
  // terraform the tests start inherits it; a GOGC set by the caller wins.
  process.env.GOGC ??= "400";
  process.env.PRIVATELINK_TEST_BASELINE = fs.mkdtempSync(path.join(os.tmpdir(), "pl-baseline-"));
  // The other flavours' packages install in the background (about 20 s), while the flows, which
  // need none of them, start; whatever needs them waits for that install (ensureFlavourInstalled
  // takes turns), the flavour projects in their setup file.
  const others = Object.keys(FLAVOURS).filter((name) => name !== DEFAULT_FLAVOUR);
  const install = spawn(process.execPath, ["-e", `const f = require(${JSON.stringify(require.resolve("../../scripts/flavours"))}); for (const n of ${JSON.stringify(others)}) f.ensureFlavourInstalled(n);`], { stdio: ["ignore", "ignore", "inherit"] });
  install.unref();
};
