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
 * The tiers, each a jest project chosen by folder or file suffix, never by a list of names:
 * - unit: everything not below (synthesized properties, config checks, rules, docs), in-process;
 * - validate: `*.validate.test.ts`, terraform validate on synthesized stacks;
 * - app: `*.app.test.ts` and the package/, flavours/ and scripts/ folders: the compiled app, the
 *   cdktf CLI, the packed packages, run as users run them;
 * - sandbox: the sandbox/ folder, the emulator and the flows applied on it.
 */
const TIERS = {
  unit: { testMatch: ["**/__tests__/**/*.test.ts"], testPathIgnorePatterns: ["/node_modules/", "\\.(validate|app)\\.test\\.ts$", "/__tests__/(sandbox|package|flavours|scripts)/"] },
  validate: { testMatch: ["**/__tests__/**/*.validate.test.ts"] },
  app: { testMatch: ["**/__tests__/**/*.app.test.ts", "**/__tests__/{package,flavours,scripts}/**/*.test.ts"] },
  sandbox: { testMatch: ["**/__tests__/sandbox/**/*.test.ts"] },
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
    displayName: `unit:${name}`,
    globals: { PRIVATELINK_FLAVOUR: name },
    setupFiles: ["<rootDir>/__tests__/support/flavour-ready.js"],
    testMatch: ["**/__tests__/modules/*.test.ts", "**/__tests__/synth/fast/resolve.test.ts"],
    testPathIgnorePatterns: ["/node_modules/", "\\.validate\\.test\\.ts$"],
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
  projects: [
    ...Object.entries(TIERS).map(([tier, match]) => ({ ...base, ...match, displayName: tier, globals: { PRIVATELINK_FLAVOUR: DEFAULT_FLAVOUR } })),
    ...Object.keys(FLAVOURS)
      .filter((f) => f !== DEFAULT_FLAVOUR)
      .map(flavourProject),
  ],
  globalSetup: "<rootDir>/__tests__/support/global-setup.js",
  globalTeardown: "<rootDir>/__tests__/support/global-teardown.js",
  // The sandbox flows mostly wait (on the AWS provider's fixed waiter delays: 10 s after a VPC,
  // 30 s twice after a load balancer...), so more workers than cores pays off: the six emulator
  // files at once, and two workers for the CPU-bound suites beside them; the whole run takes
  // about as long as its longest flow.
  maxWorkers: Number(process.env.JEST_MAX_WORKERS ?? 8),
  // Everything but the flows runs at a lower CPU priority (support/setup.ts): a quick test may
  // wait a while for the processor, so no test is cut off after jest's default 5 s.
  testTimeout: 60_000,
  testSequencer: "<rootDir>/__tests__/support/sequencer.js",
};
