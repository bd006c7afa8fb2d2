/** The GitHub Actions workflow synth writes with pipelines.githubActions: its shape, its jobs, its refusals. */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { ConfigError, parseConfig } from "../../../config/load";
import { GITHUB_MATRIX_LIMIT, PINNED_ACTIONS, PipelineError } from "../../../synth/pipelines/github-actions";
import { DEFAULT_APPLY_ROLE_NAME, DEFAULT_PLAN_ROLE_NAME, githubRoleArn } from "../../../synth/pipelines/github-roles";
import { recordPathFor } from "../../../synth/stack-record";
import { synthesize } from "../../../synth/synth";
import { consumer, pipelineConfig } from "../../support/pipelines";
import { tempDirs } from "../../support/synth";

const tempDir = tempDirs("pl-gha-");

/** A project folder: config file, its stack record, cdktf.out. */
function project() {
  const dir = tempDir();
  const configFile = path.join(dir, "privatelink.config.json");
  const outdir = path.join(dir, "cdktf.out");
  const recordFile = recordPathFor(configFile);
  const synth = (json: unknown) => synthesize(parseConfig(json), outdir, { recordFile, configFile });
  const read = (file: string) => fs.readFileSync(path.join(outdir, file), "utf8");
  return { dir, outdir, recordFile, synth, read, workflow: () => read("pipelines/github-actions.yml"), stacks: () => JSON.parse(read("pipelines/github-actions.stacks.json")) };
}

const problemsOf = (json: unknown): string => {
  try {
    parseConfig(json);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error("the config was accepted");
};

/** The apply jobs with their matrices expanded from the stacks file: stack -> the stacks of the jobs it needs. */
function expandedJobs(workflow: any, stacksFile: Record<string, any[]>): Map<string, { job: string; needs: string[] }> {
  const stacksOf = (job: string): string[] => {
    const key = /fromJSON\(needs\.synth\.outputs\.(\w+)\)/.exec(workflow.jobs[job]?.strategy?.matrix?.stack ?? "")?.[1];
    return key ? stacksFile[key].map((s) => s.name) : [];
  };
  const expanded = new Map<string, { job: string; needs: string[] }>();
  for (const [id, job] of Object.entries<any>(workflow.jobs)) {
    for (const stack of stacksOf(id)) {
      expect(expanded.has(stack)).toBe(false);
      expanded.set(stack, { job: id, needs: [...(job.needs ?? [])].flatMap(stacksOf).sort() });
    }
  }
  return expanded;
}

/** Every stack a stack waits for, directly or not. */
function closure(direct: Map<string, readonly string[]>, stack: string): string[] {
  const seen = new Set<string>();
  const walk = (s: string) => (direct.get(s) ?? []).forEach((d) => !seen.has(d) && (seen.add(d), walk(d)));
  walk(stack);
  return [...seen].sort();
}

/** The jobs order the stacks exactly as the manifest's dependencies do; retire stacks after every other. */
function expectJobsToMatchManifest(p: ReturnType<typeof project>): void {
  const workflow = parseYaml(p.workflow());
  const manifest = JSON.parse(p.read("manifest.json"));
  const order = JSON.parse(p.read("deploy-order.json"));
  const jobs = expandedJobs(workflow, p.stacks());
  expect([...jobs.keys()].sort()).toEqual(Object.keys(manifest.stacks).sort());
  const deps = new Map<string, string[]>(Object.entries<any>(manifest.stacks).map(([name, s]) => [name, s.dependencies]));
  const needs = new Map([...jobs].map(([stack, j]) => [stack, j.needs]));
  for (const [stack, dependencies] of deps) {
    // every dependency is a stack of a job it needs, and nothing more is waited for, directly or not
    for (const d of dependencies) expect({ stack, needs: jobs.get(stack)!.needs }).toEqual({ stack, needs: expect.arrayContaining([d]) });
    expect({ stack, waitsFor: closure(needs, stack) }).toEqual({ stack, waitsFor: closure(deps, stack) });
  }
  const live = order.apply.map((s: any) => s.name).sort();
  for (const r of order.retire) expect(jobs.get(r.name)!.needs).toEqual(live);
}

describe("the workflow of the example with S3 state and three accounts", () => {
  const p = project();
  beforeAll(() => p.synth(pipelineConfig()));

  test("is written beside the stacks, with the stacks file its jobs read at run time and the access its roles need", () => {
    expect(fs.readdirSync(path.join(p.outdir, "pipelines")).sort()).toEqual(["aws-access", "github-actions.stacks.json", "github-actions.yml"]);
    expect(p.workflow()).toMatch(/^# Written by npm run synth from privatelink\.config\.json \(pipelines\.githubActions\)\. Commit it as \.github\/workflows\/privatelink\.yml/);
  });

  test("plans on pull requests to the branch, applies on pushes to it and on demand, checks drift daily", () => {
    const w = parseYaml(p.workflow());
    expect(w.on).toEqual({ pull_request: { branches: ["main"] }, push: { branches: ["main"] }, workflow_dispatch: null, schedule: [{ cron: "17 5 * * *" }] });
    expect(w.jobs.plan.if).toBe("needs.synth.outputs.mode == 'plan'");
    expect(w.jobs.drift.if).toBe("needs.synth.outputs.mode == 'drift'");
    expect(w.jobs.provider.if).toMatch(/needs\.synth\.outputs\.mode == 'apply'/);
    expect(w.jobs.synth.steps[0].run).toMatch(/pull_request\) mode=plan ;;\n {2}schedule\) mode=drift ;;\n {2}push \| workflow_dispatch\) if \[ "\$GITHUB_REF" = "refs\/heads\/\$BRANCH" \]; then mode=apply; else mode=none; fi ;;/);
    expect(w.jobs.synth.steps[0].env).toEqual({ BRANCH: "main" });
  });

  test("OIDC only, least permissions; no access keys anywhere", () => {
    const text = p.workflow();
    const w = parseYaml(text);
    expect(w.permissions).toEqual({ "id-token": "write", contents: "read" });
    for (const job of Object.values<any>(w.jobs)) expect(job.permissions).toBeUndefined();
    expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|secrets\./);
    const credentialSteps = Object.values<any>(w.jobs).flatMap((j) => j.steps.filter((s: any) => String(s.uses).startsWith("aws-actions/configure-aws-credentials@")));
    expect(credentialSteps.length).toBeGreaterThan(0);
    for (const s of credentialSteps) expect(Object.keys(s.with).sort()).toEqual(["aws-region", "role-session-name", "role-to-assume"]);
  });

  test("every action is pinned to a release's commit, its tag beside it; Terraform 1.11.x without the wrapper, Node from setup-node", () => {
    const text = p.workflow();
    const uses = [...text.matchAll(/uses: (\S+)@(\S+)( # (\S+))?/g)];
    expect(uses.length).toBeGreaterThan(10);
    for (const [, action, ref, , tag] of uses) {
      const pinned = Object.values(PINNED_ACTIONS).find((a) => a.action === action)!;
      expect({ action, ref, tag }).toEqual({ action: pinned.action, ref: expect.stringMatching(/^[0-9a-f]{40}$/), tag: expect.stringMatching(/^v\d+\.\d+\.\d+$/) });
      expect(ref).toBe(pinned.commit);
    }
    expect(new Set(uses.map((u) => u[1]))).toEqual(new Set(["actions/checkout", "actions/setup-node", "hashicorp/setup-terraform", "aws-actions/configure-aws-credentials", "actions/upload-artifact", "actions/download-artifact"]));
    const w = parseYaml(text);
    const steps = Object.values<any>(w.jobs).flatMap((j) => j.steps);
    for (const s of steps.filter((x: any) => String(x.uses).startsWith("hashicorp/setup-terraform@"))) expect(s.with).toEqual({ terraform_version: "1.11.4", terraform_wrapper: false });
    for (const s of steps.filter((x: any) => String(x.uses).startsWith("actions/setup-node@"))) expect(s.with).toMatchObject({ "node-version": "20", cache: "npm" });
  });

  test("the plan and drift jobs assume each account's plan role; only the apply jobs, in the environment, its apply role", () => {
    const w = parseYaml(p.workflow());
    const stacks = p.stacks();
    const role = (job: any) => job.steps.find((s: any) => s.with?.["role-to-assume"])?.with["role-to-assume"];
    expect(role(w.jobs.plan)).toBe("${{ matrix.account.planRole }}");
    expect(role(w.jobs.drift)).toBe("${{ matrix.account.planRole }}");
    expect(stacks.accounts).toEqual([
      { id: "111111111111", region: "us-west-2", planRole: "arn:aws:iam::111111111111:role/privatelink-github-plan", stacks: "provider dns-verification acceptance" },
      { id: "222222222222", region: "us-west-2", planRole: "arn:aws:iam::222222222222:role/privatelink-github-plan", stacks: "consumer-app consumer-app-private-dns" },
      { id: "333333333333", region: "us-west-2", planRole: "arn:aws:iam::333333333333:role/privatelink-github-plan", stacks: "consumer-reports" },
    ]);
    const applyJobs = Object.entries<any>(w.jobs).filter(([id]) => !["synth", "plan", "drift"].includes(id));
    expect(applyJobs.map(([id]) => id)).toEqual(["provider", "dns-verification", "consumers", "consumers-verified", "acceptance", "private-dns", "retire"]);
    for (const [, job] of applyJobs) {
      expect(job.environment).toBe("production");
      expect(role(job)).toBe("${{ matrix.stack.role }}");
    }
    for (const id of ["synth", "plan", "drift"]) expect(w.jobs[id].environment).toBeUndefined();
    for (const entries of Object.entries<any[]>(stacks).filter(([k]) => k !== "accounts").map(([, v]) => v)) {
      for (const s of entries) expect(s.role).toBe(githubRoleArn(s.account, "apply"));
    }
    expect(stacks.consumers.map((s: any) => [s.name, s.account])).toEqual([
      ["consumer-app", "222222222222"],
      ["consumer-reports", "333333333333"],
    ]);
  });

  test("the plan job runs npm run plan on its account's stacks, its table into the job summary, and fails only when a stack could not be planned", () => {
    const w = parseYaml(p.workflow());
    const plan = w.jobs.plan.steps.at(-1);
    expect(plan.env).toEqual({ ACCOUNT: "${{ matrix.account.id }}", STACKS: "${{ matrix.account.stacks }}", TF_CLI_ARGS_plan: "-lock=false" });
    expect(plan.run).toContain('npm run --silent plan -- --no-synth --stacks "$STACKS" > "$RUNNER_TEMP/plan.log" 2>&1');
    expect(plan.run).toContain('>> "$GITHUB_STEP_SUMMARY"');
    expect(plan.run).toMatch(/test "\$code" -ne 1$/);
    expect(w.jobs.plan.strategy).toEqual({ "fail-fast": false, matrix: { account: "${{ fromJSON(needs.synth.outputs.accounts) }}" } });
  });

  test("the synth job runs the security rules and fails a pull request whose committed workflow or stack record is stale", () => {
    const w = parseYaml(p.workflow());
    const names = w.jobs.synth.steps.map((s: any) => s.name);
    expect(names).toEqual(["what this run does", "check out", "set up Node.js", "install", "synth, security rules", "committed workflow and stack record are up to date", "stacks of each job", "upload cdktf.out"]);
    const check = w.jobs.synth.steps[5];
    expect(check.if).toBe("steps.mode.outputs.mode == 'plan'");
    expect(check.env).toEqual({ WORKFLOW_FILE: ".github/workflows/privatelink.yml", UPDATE_COMMAND: "npm run synth && cp cdktf.out/pipelines/github-actions.yml .github/workflows/privatelink.yml", RECORD_FILE: "privatelink.stacks.json" });
    expect(w.jobs.synth.steps[7].with).toEqual({ name: "cdktf.out", path: "cdktf.out", "include-hidden-files": true, "if-no-files-found": "error", "retention-days": 7 });
    // every key of the stacks file is an output of the synth job
    expect(Object.keys(w.jobs.synth.outputs).sort()).toEqual(["mode", ...Object.keys(p.stacks())].sort());
  });

  test("one concurrency group for every apply (and the drift check); pull requests cancel their own older runs", () => {
    const w = parseYaml(p.workflow());
    expect(w.concurrency).toEqual({
      group: "${{ github.event_name == 'pull_request' && format('privatelink-demo-plan-{0}', github.ref) || 'privatelink-demo-apply' }}",
      "cancel-in-progress": "${{ github.event_name == 'pull_request' }}",
    });
    for (const job of Object.values<any>(w.jobs)) expect(job.concurrency).toBeUndefined();
  });

  test("the jobs, their matrices expanded, and their needs equal the manifest's stack dependencies", () => {
    expectJobsToMatchManifest(p);
  });

  test("every run step is plain shell: values come in through env, never as ${{ }} inside the script", () => {
    const w = parseYaml(p.workflow());
    const runs = Object.values<any>(w.jobs).flatMap((j) => j.steps.filter((s: any) => s.run));
    expect(runs.length).toBeGreaterThan(10);
    for (const s of runs) expect(s.run).not.toContain("${{");
    expect(w.defaults).toEqual({ run: { shell: "bash" } });
  });
});

describe("the jobs follow the stacks", () => {
  test("with several consumers in several accounts, a consumer removed (a retire stack) and acceptance off", () => {
    const p = project();
    const c = pipelineConfig();
    c.consumers.push(consumer("billing", "444444444444", "10.3.0.0/16"), consumer("search", "444444444444", "10.4.0.0/16"));
    p.synth(c);
    expectJobsToMatchManifest(p);
    expect(p.stacks().accounts.map((a: any) => [a.id, a.stacks])).toEqual([
      ["111111111111", "provider dns-verification acceptance"],
      ["222222222222", "consumer-app consumer-app-private-dns"],
      ["444444444444", "consumer-billing consumer-search"],
      ["333333333333", "consumer-reports"],
    ]);

    // reports leaves: its stack retires, in the retire job, after every other job, with its recorded account
    c.consumers = c.consumers.filter((x: any) => x.name !== "reports");
    p.synth(c);
    expectJobsToMatchManifest(p);
    expect(p.stacks().retire).toEqual([{ name: "consumer-reports", account: "333333333333", region: "us-west-2", role: "arn:aws:iam::333333333333:role/privatelink-github-apply" }]);

    // without acceptance, an endpoint with private DNS waits for the verified domain: the consumers-verified job
    c.service.endpointService.acceptanceRequired = false;
    p.synth(c);
    expectJobsToMatchManifest(p);
    expect(p.stacks().consumersVerified.map((s: any) => s.name)).toEqual(["consumer-app"]);
    expect(p.stacks().consumers.map((s: any) => s.name)).toEqual(["consumer-billing", "consumer-search"]);
    expect(p.stacks().retire.map((s: any) => s.name)).toEqual(["acceptance", "consumer-app-private-dns", "consumer-reports"]);
  });

  test("the workflow is the same byte for byte when consumers come and go or acceptance is turned off: only the stacks file changes", () => {
    const p = project();
    const c = pipelineConfig();
    p.synth(c);
    const workflow = p.workflow();
    const stacks = p.stacks();
    c.consumers.push(consumer("billing", "444444444444", "10.3.0.0/16"));
    p.synth(c);
    expect(p.workflow()).toBe(workflow);
    expect(p.stacks()).not.toEqual(stacks);
    expect(p.stacks().consumers.map((s: any) => s.name)).toContain("consumer-billing");
    c.consumers = c.consumers.filter((x: any) => x.name !== "app");
    c.service.endpointService.acceptanceRequired = false;
    p.synth(c);
    expect(p.workflow()).toBe(workflow);
  });

  test("the pipelines folder goes when the config no longer has pipelines", () => {
    const p = project();
    const c = pipelineConfig();
    p.synth(c);
    delete c.pipelines;
    p.synth(c);
    expect(fs.existsSync(path.join(p.outdir, "pipelines"))).toBe(false);
  });
});

describe("settings", () => {
  test("branch, environment, an approval environment, schedule, versions, runner, folder and role names or ARNs are the config's", () => {
    const p = project();
    const c = pipelineConfig();
    c.pipelines.githubActions = {
      repository: "acme/privatelink",
      branch: "release",
      environment: "prod",
      approvalEnvironment: "prod-approval",
      workflowFile: ".github/workflows/pl.yaml",
      projectDirectory: "infra/privatelink",
      nodeVersion: "22",
      terraformVersion: "1.11.2",
      driftSchedule: false,
      runsOn: "ubuntu-22.04",
      planRoleName: "gh-plan",
      roles: { "333333333333": { apply: "arn:aws:iam::333333333333:role/own-apply" } },
    };
    p.synth(c);
    const text = p.workflow();
    const w = parseYaml(text);
    expect(w.on).toEqual({ pull_request: { branches: ["release"] }, push: { branches: ["release"] }, workflow_dispatch: null });
    expect(w.defaults).toEqual({ run: { shell: "bash", "working-directory": "infra/privatelink" } });
    expect(w.jobs.approve).toMatchObject({ needs: ["synth"], environment: "prod-approval", if: "needs.synth.outputs.mode == 'apply'" });
    expect(w.jobs.provider.needs).toEqual(["synth", "approve"]);
    expect(w.jobs.consumers.environment).toBe("prod");
    expect(w.jobs.synth.steps[0].env).toEqual({ BRANCH: "release" });
    expect(w.jobs.synth.steps[5].env.UPDATE_COMMAND).toBe("npm run synth && cp infra/privatelink/cdktf.out/pipelines/github-actions.yml .github/workflows/pl.yaml");
    expect(w.jobs.synth.steps.at(-1).with.path).toBe("infra/privatelink/cdktf.out");
    expect(text).toContain('terraform_version: "1.11.2"');
    expect(text).toContain('node-version: "22"');
    expect(text).toContain("cache-dependency-path: infra/privatelink/package-lock.json");
    expect(text).not.toContain("ubuntu-24.04");
    expect(text).toMatch(/No drift check/);
    const stacks = p.stacks();
    expect(stacks.accounts[0].planRole).toBe("arn:aws:iam::111111111111:role/gh-plan");
    expect(stacks.provider[0].role).toBe(`arn:aws:iam::111111111111:role/${DEFAULT_APPLY_ROLE_NAME}`);
    expect(stacks.consumers.find((s: any) => s.name === "consumer-reports").role).toBe("arn:aws:iam::333333333333:role/own-apply");
    expect(stacks.accounts[2].planRole).toBe("arn:aws:iam::333333333333:role/gh-plan");
    expectJobsToMatchManifest(p);
  });

  test("a config elsewhere than privatelink.config.json is named in PRIVATELINK_CONFIG", () => {
    const dir = tempDir();
    const configFile = path.join(dir, "configs", "prod.json");
    fs.mkdirSync(path.dirname(configFile));
    synthesize(parseConfig(pipelineConfig()), path.join(dir, "cdktf.out"), { configFile, recordFile: recordPathFor(configFile) });
    const w = parseYaml(fs.readFileSync(path.join(dir, "cdktf.out", "pipelines", "github-actions.yml"), "utf8"));
    expect(w.env).toEqual({ CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0", PRIVATELINK_CONFIG: "configs/prod.json" });
    expect(w.jobs.synth.steps[5].env.RECORD_FILE).toBe("configs/prod.stacks.json");
  });

  test("the role names the aws-access roles share", () => {
    expect(DEFAULT_PLAN_ROLE_NAME).toBe("privatelink-github-plan");
    expect(DEFAULT_APPLY_ROLE_NAME).toBe("privatelink-github-apply");
    expect(githubRoleArn("123456789012", "plan")).toBe("arn:aws:iam::123456789012:role/privatelink-github-plan");
    expect(githubRoleArn("123456789012", "apply", { applyRoleName: "ci-apply" }, "aws-cn")).toBe("arn:aws-cn:iam::123456789012:role/ci-apply");
  });
});

describe("refusals: each names the field, the value and what is valid", () => {
  test("local state: the jobs run on fresh runners and must share state", () => {
    const c = pipelineConfig();
    c.state = { backend: "local", directory: "terraform-state" };
    expect(problemsOf(c)).toContain('state.backend: received "local"; expected "s3" (with bucket and region): pipelines.githubActions runs every stack in a job of its own');
    delete c.state;
    expect(problemsOf(c)).toContain('state.backend: received "local"; expected "s3"');
  });

  test("a repository that is not <owner>/<name>", () => {
    for (const repository of ["acme", "acme/", "-acme/privatelink", "acme/private link", "acme/privatelink/extra", "acme--x/p", "acme/.."]) {
      const c = pipelineConfig();
      c.pipelines.githubActions.repository = repository;
      expect(problemsOf(c)).toContain(`pipelines.githubActions.repository: received ${JSON.stringify(repository)}; expected <owner>/<name> of a GitHub repository, such as acme/privatelink`);
    }
    const ok = pipelineConfig();
    ok.pipelines.githubActions.repository = "Acme-Corp/private_link.v2";
    expect(() => parseConfig(ok)).not.toThrow();
  });

  test("an account whose id cannot be known", () => {
    const c = pipelineConfig();
    c.service.account = { region: "us-west-2" };
    c.consumers[0].account = { region: "us-west-2" };
    const message = problemsOf(c);
    expect(message).toContain("service.account.id: received nothing; expected the 12-digit id of the account (or a roleArn in it): pipelines.githubActions assumes a role in every stack's account");
    expect(message).toContain("consumers[0].account.id: received nothing; expected the 12-digit id of the account (or a roleArn in it)");
    expect(message).not.toContain("consumers[1].account.id");
  });

  test("every problem at once: branch, environment, versions, schedule, workflow file, role names, unknown accounts in roles", () => {
    const c = pipelineConfig();
    c.state = { backend: "local", directory: "terraform-state" };
    c.pipelines.githubActions = {
      repository: "acme",
      branch: "feature/*",
      environment: "prod:eu",
      approvalEnvironment: "prod:eu",
      workflowFile: "workflows/pl.yml",
      projectDirectory: "../elsewhere",
      nodeVersion: "18",
      terraformVersion: "1.9.8",
      driftSchedule: "daily",
      runsOn: "ubuntu latest",
      applyRoleName: "role/with/slashes",
      roles: { "999999999999": { plan: "arn:aws:iam::111111111111:role/x" } },
    };
    const message = problemsOf(c);
    for (const field of ["repository", "branch", "environment", "approvalEnvironment", "workflowFile", "projectDirectory", "nodeVersion", "terraformVersion", "driftSchedule", "runsOn", "applyRoleName", "roles.999999999999", "roles.999999999999.plan"]) {
      expect(message).toContain(`  - pipelines.githubActions.${field}: received `);
    }
    expect(message).toContain("  - state.backend: received");
    expect(message).toContain('pipelines.githubActions.terraformVersion: received "1.9.8"; expected an exact Terraform version, 1.10.0 or later');
    expect(message).toContain('pipelines.githubActions.driftSchedule: received "daily"; expected five cron fields (UTC), such as "17 5 * * *"');
    expect(message).toContain('pipelines.githubActions.roles.999999999999: received "999999999999"; expected the id of an account the stacks deploy to (111111111111, 222222222222, 333333333333)');
  });

  test("more consumers than one GitHub matrix runs", () => {
    const c = pipelineConfig();
    c.consumers = Array.from({ length: GITHUB_MATRIX_LIMIT + 1 }, (_, i) => consumer(`c${i}`, "222222222222", "10.3.0.0/16"));
    expect(problemsOf(c)).toContain('consumers: received "257 consumers"; expected at most 256 with pipelines.githubActions: its consumers job runs one matrix job per consumer, and GitHub runs at most 256 jobs of one matrix');
  });

  test("more retire stacks than one GitHub matrix runs, or a retire stack of an unknown account: synth stops, cdktf.out untouched", () => {
    const p = project();
    p.synth(pipelineConfig());
    const before = fs.readFileSync(path.join(p.outdir, "deploy-order.json"), "utf8");
    const record = JSON.parse(fs.readFileSync(p.recordFile, "utf8"));
    for (let i = 0; i <= GITHUB_MATRIX_LIMIT; i++) record.stacks[`consumer-old${i}`] = { status: "retired", accounts: { default: { region: "us-west-2", id: "222222222222" } }, forget: [] };
    record.stacks["consumer-lost"] = { status: "retired", accounts: { default: { region: "us-west-2" } }, forget: [] };
    fs.writeFileSync(p.recordFile, JSON.stringify(record));
    let error: unknown;
    try {
      p.synth(pipelineConfig());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PipelineError);
    const message = (error as Error).message;
    expect(message).toMatch(/^pipelines\.githubActions: the workflow cannot be written, 2 problem\(s\):/);
    expect(message).toContain(`privatelink.stacks.json: stacks.consumer-lost.accounts.default: received {"region":"us-west-2"}; expected an account with "id" (12 digits) or a "roleArn"`);
    expect(message).toContain(`privatelink.stacks.json: stacks: received "258 stacks in job retire"; expected at most 256: GitHub runs at most 256 jobs of one matrix`);
    expect(fs.readFileSync(path.join(p.outdir, "deploy-order.json"), "utf8")).toBe(before);
  });
});

test("the stacks of the sandbox run in the emulator's account", () => {
  const c = pipelineConfig();
  c.service.account = { region: "us-west-2" };
  c.consumers.forEach((x: any) => (x.account = { region: "us-west-2" }));
  c.service.endpointService.allowedPrincipals = ["arn:aws:iam::123456789012:root"];
  c.sandbox = { endpoint: "http://127.0.0.1:4566" };
  const p = project();
  p.synth(c);
  expect(p.stacks().accounts.map((a: any) => a.id)).toEqual(["123456789012"]);
});
