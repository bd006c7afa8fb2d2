/** The one scheduler of npm run deploy, npm run destroy, npm run plan and the sandbox: its order, its failures, its report. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Job, checkJobs, runJobs } from "../../ops/scheduler";
import { StackOutcome, StackRunner, runExitCode, runReport } from "../../ops/runner";
import type { DeployOrder } from "../../synth/synth";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The sandbox's graph: acceptance reads the consumers, not dns-verification. */
const FLOW: Job[] = [
  { name: "provider", dependsOn: [] },
  { name: "consumer-app", dependsOn: ["provider"] },
  { name: "consumer-reports", dependsOn: ["provider"] },
  { name: "dns-verification", dependsOn: ["provider"] },
  { name: "acceptance", dependsOn: ["consumer-app", "consumer-reports", "provider"] },
  { name: "consumer-app-private-dns", dependsOn: ["acceptance", "consumer-app", "dns-verification"] },
];

/** Runs the jobs with the given durations (ms) and failures; records when each started and ended. */
async function timed(jobs: Job[], ms: Record<string, number>, fail: string[] = [], parallelism?: number) {
  const events: string[] = [];
  let running = 0;
  let most = 0;
  const outcomes = await runJobs(
    jobs,
    async (name) => {
      events.push(`start ${name}`);
      most = Math.max(most, ++running);
      await sleep(ms[name] ?? 5);
      running--;
      events.push(`end ${name}`);
      if (fail.includes(name)) throw new Error(`${name} broke`);
      return name.length;
    },
    { parallelism },
  );
  return { events, outcomes, most };
}

describe("runJobs", () => {
  test("starts each job as soon as the jobs it depends on succeeded, not wave by wave", async () => {
    // GIVEN a dns-verification that ends only once acceptance has ended (a scheduler that waited
    // for the whole wave before acceptance would never get there: the test would time out)
    let acceptanceEnded!: () => void;
    const afterAcceptance = new Promise<void>((r) => (acceptanceEnded = r));
    const events: string[] = [];
    const outcomes = await runJobs(FLOW, async (name) => {
      events.push(`start ${name}`);
      if (name === "dns-verification") await afterAcceptance;
      else await sleep(5);
      events.push(`end ${name}`);
      if (name === "acceptance") acceptanceEnded();
      return name.length;
    });
    // THEN acceptance, which does not read dns-verification, is done before it
    expect(events.indexOf("end acceptance")).toBeLessThan(events.indexOf("end dns-verification"));
    // AND the private DNS stack, which reads it, starts only after it
    expect(events.indexOf("start consumer-app-private-dns")).toBeGreaterThan(events.indexOf("end dns-verification"));
    expect(outcomes.map((o) => [o.name, o.status])).toEqual(FLOW.map((j) => [j.name, "done"]));
    expect(outcomes[0]).toMatchObject({ status: "done", value: "provider".length, seconds: expect.any(Number) });
  });

  test("a failed job skips every job that depends on it, naming it; the others go on", async () => {
    const { events, outcomes } = await timed(FLOW, { "dns-verification": 50 }, ["consumer-reports"]);
    expect(outcomes.map((o) => [o.name, o.status, o.status === "skipped" ? o.blockedBy : ""])).toEqual([
      ["provider", "done", ""],
      ["consumer-app", "done", ""],
      ["consumer-reports", "failed", ""],
      ["dns-verification", "done", ""],
      ["acceptance", "skipped", "consumer-reports"],
      ["consumer-app-private-dns", "skipped", "consumer-reports"],
    ]);
    expect(events).not.toContain("start acceptance");
    expect(events).not.toContain("start consumer-app-private-dns");
    const failed = outcomes[2];
    expect(failed.status === "failed" && (failed.error as Error).message).toBe("consumer-reports broke");
  });

  test("runs at most `parallelism` jobs at once", async () => {
    const wide: Job[] = ["a", "b", "c", "d", "e"].map((name) => ({ name, dependsOn: [] }));
    expect((await timed(wide, {}, [], 2)).most).toBe(2);
    expect((await timed(wide, {}, [], 4)).most).toBe(4);
    await expect(runJobs(wide, async () => 1, { parallelism: 0 })).rejects.toThrow(/parallelism: received 0; expected a whole number of at least 1/);
  });

  test("refuses a dependency that is not a job and a cycle, naming them", () => {
    expect(() => checkJobs([{ name: "a", dependsOn: ["b"] }])).toThrow("a depends on b, which is not among the jobs (a)");
    expect(() =>
      checkJobs([
        { name: "a", dependsOn: ["b"] },
        { name: "b", dependsOn: ["c"] },
        { name: "c", dependsOn: ["a"] },
      ]),
    ).toThrow("dependency cycle: a -> b -> c -> a");
  });
});

describe("the runner's graphs, from deploy-order.json", () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-scheduler-"));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  const order: DeployOrder = {
    apply: FLOW.map((j, i) => ({ name: j.name, wave: i === 0 ? 0 : i < 4 ? 1 : i - 2, dependsOn: [...j.dependsOn], workingDirectory: `stacks/${j.name}` })),
    retire: [{ name: "consumer-old", workingDirectory: "stacks/consumer-old" }],
    destroy: ["consumer-old", "consumer-app-private-dns", "acceptance", "dns-verification", "consumer-reports", "consumer-app", "provider"],
  };
  fs.writeFileSync(path.join(outdir, "deploy-order.json"), JSON.stringify(order));
  const runner = new StackRunner(outdir);

  test("apply: each stack after the stacks it depends on; retire stacks after every other stack", () => {
    const jobs = runner.applyJobs();
    expect(jobs.slice(0, 6)).toEqual(FLOW);
    expect(jobs[6]).toEqual({ name: "consumer-old", dependsOn: FLOW.map((j) => j.name) });
  });

  test("destroy: retire stacks first, then each stack after every stack that depends on it", () => {
    const live = ["consumer-old"];
    expect(runner.destroyJobs()).toEqual([
      { name: "consumer-old", dependsOn: [] },
      { name: "consumer-app-private-dns", dependsOn: live },
      { name: "acceptance", dependsOn: [...live, "consumer-app-private-dns"] },
      { name: "dns-verification", dependsOn: [...live, "consumer-app-private-dns"] },
      { name: "consumer-reports", dependsOn: [...live, "acceptance"] },
      { name: "consumer-app", dependsOn: [...live, "acceptance", "consumer-app-private-dns"] },
      { name: "provider", dependsOn: [...live, "consumer-app", "consumer-reports", "dns-verification", "acceptance"] },
    ]);
  });
});

describe("the run report", () => {
  const outcomes: StackOutcome[] = [
    { stack: "provider", retire: false, result: "applied", seconds: 157.04, changes: "no changes" },
    { stack: "consumer-reports", retire: false, result: "failed", seconds: 20.5, error: "consumer-reports: terraform apply failed (exit 1):\nError: creating EC2 VPC Endpoint: InjectedFault" },
    { stack: "acceptance", retire: false, result: "skipped", blockedBy: "consumer-reports" },
    { stack: "consumer-old", retire: true, result: "skipped", blockedBy: "consumer-reports" },
  ];

  test("one row per stack, each failure in full below, the counts last; exit code 1 unless every stack succeeded", () => {
    expect(runReport(outcomes, "applied").split("\n")).toEqual([
      "stack             result   seconds",
      "----------------  -------  -------  -----------------------------------------",
      "provider          applied    157.0  no changes",
      "consumer-reports  FAILED      20.5  see below",
      "acceptance        skipped        -  blocked by consumer-reports",
      "consumer-old      skipped        -  blocked by consumer-reports; retire stack",
      "",
      "consumer-reports: terraform apply failed (exit 1):",
      "Error: creating EC2 VPC Endpoint: InjectedFault",
      "",
      "1 applied, 1 failed, 2 skipped",
    ]);
    expect(runExitCode(outcomes)).toBe(1);
    expect(runExitCode([outcomes[0]])).toBe(0);
    expect(runExitCode([{ stack: "provider", retire: false, result: "destroyed", seconds: 1 }])).toBe(0);
  });
});
