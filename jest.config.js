// @swc/jest strips types without type-checking: `npm run build` is the type check, so the
// provider's large declaration files are not read on every test run.
const path = require("path");
const { FLAVOURS, DEFAULT_FLAVOUR, flavourDir } = require("./scripts/flavours");

const base = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  setupFilesAfterEnv: ["<rootDir>/__tests__/support/setup.ts"],
};

/**
 * The constructs' unit tests again under each other flavour (scripts/flavours.js): every import
 * of the cdktf family - in the tests, in our code and inside the family's own packages - is
 * mapped to the flavour's installed packages (installed by the global setup).
 */
const flavourProject = (name) => {
  const { core, provider } = FLAVOURS[name];
  const modules = path.join(flavourDir(name), "node_modules");
  return {
    ...base,
    displayName: name,
    globals: { PRIVATELINK_FLAVOUR: name },
    testMatch: ["**/__tests__/modules/*.test.ts", "**/__tests__/synth/fast/resolve.test.ts"],
    testPathIgnorePatterns: ["/node_modules/", "terraform-validate"],
    moduleNameMapper: {
      "^cdktf$": path.join(modules, core),
      "^cdktf/(.*)$": path.join(modules, core, "$1"),
      "^@cdktf/provider-aws/(.*)$": path.join(modules, provider, "$1"),
      "^constructs$": path.join(modules, "constructs"),
    },
  };
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [{ ...base, displayName: DEFAULT_FLAVOUR, globals: { PRIVATELINK_FLAVOUR: DEFAULT_FLAVOUR } }, ...Object.keys(FLAVOURS).filter((f) => f !== DEFAULT_FLAVOUR).map(flavourProject)],
  globalSetup: "<rootDir>/__tests__/support/flavours-setup.js",
  // The sandbox flows mostly wait (on Terraform's waiters), so more workers than cores pays off:
  // the whole suite takes about as long as its longest flow.
  maxWorkers: Number(process.env.JEST_MAX_WORKERS ?? 4),
  testSequencer: "<rootDir>/__tests__/support/sequencer.js",
};
