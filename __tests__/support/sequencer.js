// The emulator flows wait on Terraform's waiters for minutes: start them first, longest first, so
// that the quick suites fill the workers while they wait and the whole run is as long as the
// longest flow, not the sum of them. Every sandbox file is among them: support/setup.ts lowers a
// worker's CPU priority for anything else, for good.
const Sequencer = require("@jest/test-sequencer").default;

const FIRST = ["flow-day2", "workflow-run", "flow-local", "registry-example", "aws-access", "emulator"];
const rank = (test) => {
  const i = FIRST.findIndex((name) => test.path.includes(`/sandbox/${name}.test.`));
  return i === -1 ? FIRST.length : i;
};

class LongestFirst extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  }
}

module.exports = LongestFirst;
