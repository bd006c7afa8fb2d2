// @swc/jest strips types without type-checking: `npm run build` is the type check, so the
// provider's large declaration files are not read on every test run.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  setupFilesAfterEnv: ["<rootDir>/__tests__/support/setup.ts"],
  // The sandbox flows mostly wait (on Terraform's waiters), so more workers than cores pays off:
  // the whole suite takes about as long as its longest flow.
  maxWorkers: Number(process.env.JEST_MAX_WORKERS ?? 4),
  testSequencer: "<rootDir>/__tests__/support/sequencer.js",
};
