// After every test: the run's shared applied baseline (support/baseline.ts) is removed.
const fs = require("fs");

module.exports = async () => {
  const dir = process.env.PRIVATELINK_TEST_BASELINE;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};
