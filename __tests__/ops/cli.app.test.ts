/** A bad command line for npm run plan / deploy / destroy: one line that says what is wrong, no stack trace, nothing run. */
import { runNode } from "../support/app";

describe("a bad command line", () => {
  test.each([
    ["ops/deploy.ts", ["--parallelism", "0"], /^--parallelism: received "0"; expected a whole number of at least 1, such as 4\n$/],
    ["ops/plan.ts", ["--parallelism", "two"], /^--parallelism: received "two"; expected a whole number of at least 1, such as 4\n$/],
    ["ops/destroy.ts", ["--auto-aprove"], /^Unknown option '--auto-aprove'.*\n$/],
    ["ops/forget.ts", [], /^name the retire stacks to forget, such as: npm run forget -- consumer-b\n$/],
  ])("%s %s: exit 1 with the problem alone", async (script, args, message) => {
    const r = await runNode([script, ...args], { PRIVATELINK_CONFIG: "/nonexistent/privatelink.config.json" });
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 1, stdout: "", stderr: expect.stringMatching(message) });
    expect(r.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);
});
