import * as os from "os";
import { Testing } from "cdktf";
// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, ...).
import "cdktf/lib/testing/adapters/jest";

Testing.setupJest();

/**
 * CPU priority by test file. `npm test` is CPU-bound on 2 cores, and its long pole is the chain
 * of the day-2 flow (the applied baseline, then its change set), whose terraform runs alternate
 * with the AWS provider's fixed waiter delays: the flows run at the normal priority, the rest at
 * a lower one, so that it fills the gaps rather than stretch the chain. Every process a test
 * starts (terraform, the provider, the emulator) inherits it. Only ever lowered, as a process
 * may lower its own priority but not raise it again: the sequencer starts the flows first, so a
 * worker that runs them has not run anything else before.
 */
const PRIORITY: [RegExp, number][] = [
  [/\/sandbox\/flow-day2\.test\.ts$/, 0],
  [/\/sandbox\/(workflow-run|flow-local)\.test\.ts$/, 1],
  [/\/sandbox\//, 3],
];
const testPath = expect.getState().testPath ?? "";
const niceness = PRIORITY.find(([pattern]) => pattern.test(testPath))?.[1] ?? 8;
try {
  if (niceness > os.getPriority()) os.setPriority(niceness);
} catch {
  // (a platform without priorities: nothing to do)
}
