/**
 * The GitHub Actions workflow, run: a repository with the sandbox config (S3 state on the
 * emulator) and the committed workflow, its events played one after the other by
 * support/workflow-run.mjs (jobs in `needs` order, run steps in fresh clones, uses: steps stood
 * in for locally, OIDC trust checked against the roles the account's aws-access folder created):
 * a push applies everything; a pull request that removes a consumer plans its retire stack; the
 * push after it retires the consumer; the drift check is clean; a destroy leaves nothing.
 * Trimmed to what it proves: no private DNS name (the DNS stages are the local flows' part), so
 * the stacks are provider, two consumers and acceptance.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Emulator, emulatorCall, seedEmulator, startEmulator } from "../../sandbox/emulator";
import { SANDBOX_BUCKET, SANDBOX_ZONE, sandboxConfigJson } from "../../sandbox/flow";
import { requireTerraform, terraform, terraformEnv, terraformError } from "../../ops/terraform";
import { DEFAULT_APPLY_ROLE_NAME, DEFAULT_PLAN_ROLE_NAME } from "../../synth/pipelines/github-roles";
import { SANDBOX_ACCOUNT_ID } from "../../config/schema";
import { emulatorProviderOverride } from "../support/emulator";

jest.setTimeout(900_000);

const ROOT = path.join(__dirname, "..", "..");
const RUNNER = path.join(__dirname, "..", "support", "workflow-run.mjs");
const REPOSITORY = "acme/privatelink";
const WORKFLOW = ".github/workflows/privatelink.yml";
const PLAN_ROLE = `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:role/${DEFAULT_PLAN_ROLE_NAME}`;
const APPLY_ROLE = `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:role/${DEFAULT_APPLY_ROLE_NAME}`;

interface StepRun {
  name: string;
  outcome: string;
  standIn?: string;
  log: string;
}
interface JobRun {
  name: string;
  matrix: Record<string, any>;
  environment?: string;
  result: string;
  steps: StepRun[];
  summary: string;
  credentials?: { role: string; sub: string; allowed: boolean };
}
interface Job {
  id: string;
  result: string;
  began?: number;
  ended?: number;
  error?: string;
  runs: JobRun[];
}
interface WorkflowRun {
  result: string;
  started: string[];
  jobs: Job[];
}

/** The sandbox config with S3 state and the workflow, without the DNS stages. */
function config(endpoint: string, consumers: readonly string[]): Record<string, any> {
  const c = sandboxConfigJson(endpoint, "s3") as Record<string, any>;
  delete c.service.endpointService.privateDnsName;
  delete c.dns;
  c.consumers = c.consumers.filter((x: any) => consumers.includes(x.name)).map((x: any) => ({ ...x, privateDns: false }));
  c.pipelines = { githubActions: { repository: REPOSITORY } };
  return c;
}

describe("the GitHub Actions workflow, run on the emulator with S3 state", () => {
  let emulator: Emulator;
  let work: string;
  let repo: string;
  let runs = 0;
  const git = (...args: string[]) => {
    const r = spawnSync("git", ["-c", "user.name=platform", "-c", "user.email=platform@example.com", ...args], { cwd: repo, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
    return r.stdout.trim();
  };
  /** `npm run synth` in the repository, as the team does before committing a config change. */
  const synth = () => {
    const r = spawnSync("npm", ["run", "--silent", "synth"], { cwd: repo, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
    if (r.status !== 0) throw new Error(`npm run synth failed:\n${r.stdout}${r.stderr}`);
  };
  const commit = (message: string, consumers: readonly string[]) => {
    fs.writeFileSync(path.join(repo, "privatelink.config.json"), `${JSON.stringify(config(emulator.endpoint, consumers), null, 2)}\n`);
    synth();
    fs.mkdirSync(path.join(repo, ".github", "workflows"), { recursive: true });
    fs.copyFileSync(path.join(repo, "cdktf.out", "pipelines", "github-actions.yml"), path.join(repo, WORKFLOW));
    git("add", "-A");
    git("commit", "-qm", message);
    return git("rev-parse", "HEAD");
  };
  /** One event, every job of the workflow committed at `sha`. */
  const run = (event: string, ref: string, sha: string): WorkflowRun => {
    const runDir = path.join(work, `run-${++runs}-${event}`);
    fs.mkdirSync(runDir);
    const tf = terraformEnv();
    const spec = {
      workflow: path.join(repo, WORKFLOW),
      repository: repo,
      repositoryName: REPOSITORY,
      sha,
      event,
      ref,
      runDir,
      projectRoot: ROOT,
      emulator: emulator.endpoint,
      env: { TF_CLI_CONFIG_FILE: tf.TF_CLI_CONFIG_FILE, CHECKPOINT_DISABLE: "1", ...(process.env.GOGC ? { GOGC: process.env.GOGC } : {}) },
      parallel: 2,
    };
    fs.writeFileSync(path.join(runDir, "spec.json"), JSON.stringify(spec));
    const r = spawnSync(process.execPath, [RUNNER, path.join(runDir, "spec.json")], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`workflow-run failed (exit ${r.status}):\n${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const job = (r: WorkflowRun, id: string) => r.jobs.find((j) => j.id === id)!;
  const results = (r: WorkflowRun) => Object.fromEntries(r.jobs.map((j) => [j.id, j.result]));
  const matrixStacks = (r: WorkflowRun, id: string) => job(r, id).runs.map((x) => x.matrix.stack.name).sort();
  const failures = (r: WorkflowRun) =>
    r.jobs.flatMap((j) => (j.error ? [`${j.id}: ${j.error}`] : j.runs.filter((x) => x.result !== "success").map((x) => `${x.name}: ${x.steps.filter((s) => s.outcome === "failure").map((s) => `${s.name}\n${s.log}`).join("\n")}`)));
  const endpoints = () => emulatorCall(emulator.endpoint, "us-west-2", "ec2", "describe_vpc_endpoints").VpcEndpoints.filter((e: any) => e.State !== "deleted");
  const stateKeys = () => (emulatorCall(emulator.endpoint, "us-west-2", "s3", "list_objects_v2", { Bucket: SANDBOX_BUCKET }).Contents ?? []).map((o: any) => o.Key).sort();
  /** A stack's outputs as its state in the emulator's bucket holds them. */
  const outputsInState = (stack: string): Record<string, any> => {
    const script = `import boto3, sys\nbody = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-west-2", aws_access_key_id="test", aws_secret_access_key="test").get_object(Bucket=sys.argv[2], Key=sys.argv[3])["Body"]\nprint(body.read().decode())`;
    const r = spawnSync("python3", ["-c", script, emulator.endpoint, SANDBOX_BUCKET, `privatelink/${stack}.tfstate`], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr);
    return Object.fromEntries(Object.entries(JSON.parse(r.stdout).outputs).map(([k, v]: [string, any]) => [k, v.value]));
  };
  /** Every job that ran started after the jobs it needs had ended. */
  const inNeedsOrder = (r: WorkflowRun, workflow: any) =>
    r.jobs
      .filter((j) => j.began !== undefined)
      .flatMap((j) => [].concat(workflow.jobs[j.id].needs ?? []).map((n: string) => ({ job: j.id, need: n, ok: job(r, n).ended === undefined || job(r, n).ended! < j.began! })))
      .filter((x) => !x.ok);

  let main: string;
  let removeReports: string;
  let workflow: any;

  beforeAll(async () => {
    requireTerraform();
    emulator = await startEmulator();
    seedEmulator(emulator.endpoint, { region: "us-west-2", zoneName: SANDBOX_ZONE, bucket: SANDBOX_BUCKET });
    work = fs.mkdtempSync(path.join(os.tmpdir(), "pl-workflow-run-"));
    // The team's repository: this project, its config, the stack record and the workflow synth wrote.
    repo = path.join(work, "repository");
    const files = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" }).stdout.split("\0").filter((f) => f && fs.existsSync(path.join(ROOT, f)));
    for (const f of files) {
      try {
        fs.cpSync(path.join(ROOT, f), path.join(repo, f), { recursive: true });
      } catch (e) {
        // an untracked file another suite removed meanwhile is not part of the project
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      }
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(repo, "node_modules"));
    git("init", "-q", "-b", "main");
    main = commit("privatelink: the sandbox service with consumers app and reports", ["app", "reports"]);
    workflow = require("yaml").parse(fs.readFileSync(path.join(repo, WORKFLOW), "utf8"));
    // An administrator applies the account's aws-access folder once: the OIDC provider and the roles.
    const access = path.join(work, "aws-access");
    fs.cpSync(path.join(repo, "cdktf.out", "pipelines", "aws-access", SANDBOX_ACCOUNT_ID), access, { recursive: true });
    emulatorProviderOverride(access, emulator.endpoint);
    for (const args of [["init", "-input=false", "-no-color"], ["apply", "-auto-approve", "-input=false", "-no-color"]]) {
      const r = await terraform(access, args);
      if (r.code !== 0) throw new Error(`terraform ${args[0]} in aws-access failed:\n${terraformError(r)}`);
    }
    git("checkout", "-q", "-b", "remove-reports");
    removeReports = commit("privatelink: consumer reports leaves", ["app"]);
    git("checkout", "-q", "main");
  });
  afterAll(async () => {
    await emulator?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test("a push to main applies every stack, each job after the jobs it needs, with the apply role in environment production", () => {
    const r = run("push", "refs/heads/main", main);
    expect(failures(r)).toEqual([]);
    expect(results(r)).toEqual({
      synth: "success",
      plan: "skipped",
      drift: "skipped",
      provider: "success",
      "dns-verification": "skipped",
      consumers: "success",
      "consumers-verified": "skipped",
      acceptance: "success",
      "private-dns": "skipped",
      retire: "skipped",
    });
    expect(inNeedsOrder(r, workflow)).toEqual([]);
    expect(r.started).toEqual(["synth", "provider", "consumers", "acceptance"]);
    expect(matrixStacks(r, "consumers")).toEqual(["consumer-app", "consumer-reports"]);
    // The apply jobs ran in the environment, with the apply role, which trusts only that environment's token.
    const applyRuns = ["provider", "consumers", "acceptance"].flatMap((id) => job(r, id).runs);
    expect(applyRuns.map((x) => ({ environment: x.environment, credentials: x.credentials }))).toEqual(
      applyRuns.map(() => ({ environment: "production", credentials: { role: APPLY_ROLE, sub: `repo:${REPOSITORY}:environment:production`, allowed: true } })),
    );
    expect(job(r, "acceptance").runs[0].summary).toMatch(/### acceptance\nApply complete! Resources: \d+ added, 0 changed, 0 destroyed\./);
    // The state is in the emulator's bucket, a key per stack, and the endpoints are accepted.
    expect(stateKeys()).toEqual(["privatelink/acceptance.tfstate", "privatelink/consumer-app.tfstate", "privatelink/consumer-reports.tfstate", "privatelink/provider.tfstate"]);
    expect(endpoints().map((e: any) => e.State)).toEqual(["available", "available"]);
    // AND the values crossed through it (each job had only its own checkout and cdktf.out), none on disk
    const [provider, app, reports, acceptance] = ["provider", "consumer-app", "consumer-reports", "acceptance"].map(outputsInState);
    expect([app.service_name, reports.service_name]).toEqual([provider.service_name, provider.service_name]);
    expect(acceptance.accepted_endpoints).toEqual({ app: app.endpoint_id, reports: reports.endpoint_id });
    const workspaces = job(r, "provider").runs.length + job(r, "consumers").runs.length + job(r, "acceptance").runs.length;
    const stateOnDisk = fs.readdirSync(path.join(work, "run-1-push")).filter((d) => fs.existsSync(path.join(work, "run-1-push", d, "workspace", "terraform-state")));
    expect({ workspaces, stateOnDisk }).toEqual({ workspaces: 4, stateOnDisk: [] });
  });

  test("a pull request that removes a consumer plans its retire stack with the plan role, and applies nothing", () => {
    const before = endpoints().map((e: any) => e.VpcEndpointId);
    const r = run("pull_request", "refs/pull/1/merge", removeReports);
    expect(failures(r)).toEqual([]);
    expect(r.started).toEqual(["synth", "plan"]);
    const steps = job(r, "synth").runs[0].steps;
    expect(steps.find((s) => s.name === "committed workflow and stack record are up to date")?.outcome).toBe("success");
    const plan = job(r, "plan").runs[0];
    expect(plan.credentials).toEqual({ role: PLAN_ROLE, sub: `repo:${REPOSITORY}:pull_request`, allowed: true });
    // The plan table: the retired consumer's resources go, and with them its accepted connection.
    expect(plan.summary).toContain(`### Plan: account ${SANDBOX_ACCOUNT_ID}`);
    const row = (stack: string) => plan.summary.split("\n").find((l) => l.startsWith(`${stack} `))?.trim().split(/\s{2,}/);
    expect(row("provider")).toEqual(["provider", "0", "0", "0", "0", "0", "0", "0", "no changes"]);
    expect(row("consumer-app")).toEqual(["consumer-app", "0", "0", "0", "0", "0", "0", "0", "no changes"]);
    expect(row("acceptance")?.slice(0, 4)).toEqual(["acceptance", "0", "0", "1"]);
    expect(row("consumer-reports")?.slice(0, 3)).toEqual(["consumer-reports", "0", "0"]);
    expect(row("consumer-reports")?.at(-1)).toBe("retire stack");
    expect(plan.summary).toMatch(/!! RETIRE consumer-reports: left the config; applying it destroys [1-9]\d* and forgets 0 resource\(s\)/);
    expect(endpoints().map((e: any) => e.VpcEndpointId)).toEqual(before);
  });

  test("the push after it retires the consumer: its endpoint is gone, the other stacks unchanged", () => {
    git("merge", "-q", "--ff-only", "remove-reports");
    const r = run("push", "refs/heads/main", removeReports);
    expect(failures(r)).toEqual([]);
    expect(r.started).toEqual(["synth", "provider", "consumers", "acceptance", "retire"]);
    expect(matrixStacks(r, "retire")).toEqual(["consumer-reports"]);
    expect(job(r, "retire").runs[0].summary).toMatch(/### consumer-reports\nApply complete! Resources: 0 added, 0 changed, [1-9]\d* destroyed\./);
    expect(job(r, "acceptance").runs[0].summary).toMatch(/Apply complete! Resources: 0 added, 0 changed, 1 destroyed\./);
    for (const id of ["provider", "consumers"]) for (const x of job(r, id).runs) expect(x.summary).toMatch(/No changes\./);
    expect(endpoints().map((e: any) => e.Tags?.find((t: any) => t.Key === "Name")?.Value ?? e.VpcEndpointId)).toHaveLength(1);
  });

  test("the scheduled drift check plans every stack with the plan role and finds no drift", () => {
    const r = run("schedule", "refs/heads/main", removeReports);
    expect(failures(r)).toEqual([]);
    expect(r.started).toEqual(["synth", "drift"]);
    const drift = job(r, "drift").runs[0];
    expect(drift.credentials).toEqual({ role: PLAN_ROLE, sub: `repo:${REPOSITORY}:ref:refs/heads/main`, allowed: true });
    expect(drift.summary.trim().split("\n").slice(1)).toEqual(["- provider: no drift", "- consumer-app: no drift", "- acceptance: no drift", "- consumer-reports: no drift"]);
  });

  test("npm run destroy leaves nothing: no endpoint, no resource in any state", () => {
    const checkout = path.join(work, "destroy");
    spawnSync("git", ["clone", "-q", repo, checkout]);
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(checkout, "node_modules"));
    const r = spawnSync("npm", ["run", "--silent", "destroy", "--", "--auto-approve"], { cwd: checkout, encoding: "utf8", env: { ...terraformEnv(), GOGC: process.env.GOGC ?? "" } });
    expect({ code: r.status, err: r.status === 0 ? "" : r.stdout + r.stderr }).toEqual({ code: 0, err: "" });
    expect(endpoints()).toEqual([]);
    expect(emulatorCall(emulator.endpoint, "us-west-2", "elbv2", "describe_load_balancers").LoadBalancers).toEqual([]);
    for (const stack of ["provider", "consumer-app", "acceptance", "consumer-reports"]) {
      const list = spawnSync("terraform", ["state", "list", "-no-color"], { cwd: path.join(checkout, "cdktf.out", "stacks", stack), encoding: "utf8", env: terraformEnv() });
      expect({ stack, left: list.stdout.trim(), code: list.status }).toEqual({ stack, left: "", code: 0 });
    }
  });
});
