/**
 * The GitHub Actions workflow as GitHub and actionlint read it, written by the real app, and the
 * shell of its run steps run as a runner would run them.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { parseConfig } from "../../../config/load";
import { recordPathFor } from "../../../synth/stack-record";
import { synthesize } from "../../../synth/synth";
import { digest, runApp } from "../../support/app";
import { tempDirs } from "../../support/synth";
import { consumer, pipelineConfig } from "../../support/pipelines";

jest.setTimeout(120_000);

const tempDir = tempDirs("pl-gha-app-");
const LINT = path.join(__dirname, "..", "..", "support", "workflow-lint.mjs");

interface Findings {
  readonly parser: string[];
  readonly actionlint: { line: number; column: number; kind: string; message: string }[];
}

/** GitHub's parser and actionlint on each file, in one child process (the parser is ESM, actionlint WebAssembly). */
function lint(files: readonly string[]): Record<string, Findings> {
  const r = spawnSync(process.execPath, [LINT, ...files], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`workflow-lint failed (exit ${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Synthesizes a config into a fresh project folder; returns the folder. */
function synth(config: unknown): string {
  const dir = tempDir();
  const configFile = path.join(dir, "privatelink.config.json");
  synthesize(parseConfig(config), path.join(dir, "cdktf.out"), { configFile, recordFile: recordPathFor(configFile) });
  return dir;
}

const workflowOf = (dir: string) => path.join(dir, "cdktf.out", "pipelines", "github-actions.yml");

/** Several consumers in several accounts, acceptance off (the consumers-verified job) and a retire stack. */
function severalAccounts(): string {
  const c = pipelineConfig();
  c.consumers.push(consumer("billing", "444444444444", "10.3.0.0/16"), consumer("search", "555555555555", "10.4.0.0/16"));
  c.service.endpointService.allowedPrincipals.push("arn:aws:iam::555555555555:root");
  const dir = synth(c);
  c.consumers = c.consumers.filter((x: any) => x.name !== "reports");
  c.service.endpointService.acceptanceRequired = false;
  c.pipelines.githubActions = { ...c.pipelines.githubActions, approvalEnvironment: "production-approval", projectDirectory: "infra", driftSchedule: "0 */6 * * 1-5" };
  const configFile = path.join(dir, "privatelink.config.json");
  synthesize(parseConfig(c), path.join(dir, "cdktf.out"), { configFile, recordFile: recordPathFor(configFile) });
  return dir;
}

describe("GitHub's parser and actionlint", () => {
  const example = synth(pipelineConfig());
  const several = severalAccounts();
  const brokenDir = tempDir();
  const text = fs.readFileSync(workflowOf(example), "utf8");
  // Two kinds of mistake: a job that needs one that does not exist, and a key a step cannot have.
  const unknownNeed = path.join(brokenDir, "unknown-need.yml");
  fs.writeFileSync(unknownNeed, text.replace("    needs:\n      - synth\n      - provider\n      - consumers\n", "    needs:\n      - synth\n      - provder\n      - consumers\n"));
  const unknownKey = path.join(brokenDir, "unknown-key.yml");
  fs.writeFileSync(unknownKey, text.replace("        id: stacks\n", "        id: stacks\n        timeout: 5\n"));
  let findings: Record<string, Findings>;
  beforeAll(() => {
    findings = lint([workflowOf(example), workflowOf(several), unknownNeed, unknownKey]);
  });

  test("find nothing in the workflow of the example with S3 state", () => {
    expect(findings[workflowOf(example)]).toEqual({ parser: [], actionlint: [] });
  });

  test("find nothing in the workflow of several consumers in several accounts, with an approval environment, a project folder and a retire stack", () => {
    expect(fs.readFileSync(workflowOf(several), "utf8")).toContain("environment: production-approval");
    expect(findings[workflowOf(several)]).toEqual({ parser: [], actionlint: [] });
  });

  test("each finds a broken workflow: the checks can fail", () => {
    expect(text).toContain("      - provider\n      - consumers\n");
    expect(findings[unknownNeed].parser).toContainEqual(expect.stringMatching(/Job 'acceptance' depends on unknown job 'provder'/));
    expect(findings[unknownNeed].actionlint).toContainEqual(expect.objectContaining({ kind: "job-needs", message: expect.stringMatching(/needs job "provder" which does not exist/) }));
    expect(findings[unknownKey].parser).toContainEqual(expect.stringMatching(/Unexpected value 'timeout'/));
    expect(findings[unknownKey].actionlint).toContainEqual(expect.objectContaining({ kind: "syntax-check", message: expect.stringMatching(/unexpected key "timeout"/) }));
  });
});

describe("the run steps, as a runner runs them (bash -e -o pipefail, values in the environment)", () => {
  const dir = synth(pipelineConfig());
  const workflow = parseYaml(fs.readFileSync(workflowOf(dir), "utf8"));
  const step = (job: string, name: string) => workflow.jobs[job].steps.find((s: any) => s.name === name);
  const bash = (script: string, cwd: string, env: Record<string, string>) => spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, encoding: "utf8" });

  test("the first step says what the run does: plan, apply (on the branch only), drift check", () => {
    const s = step("synth", "what this run does");
    const mode = (event: string, ref: string) => {
      const out = path.join(tempDir(), "output");
      fs.writeFileSync(out, "");
      const r = bash(s.run, dir, { ...s.env, GITHUB_EVENT_NAME: event, GITHUB_REF: ref, GITHUB_OUTPUT: out });
      expect(r.status).toBe(0);
      return fs.readFileSync(out, "utf8");
    };
    expect(mode("pull_request", "refs/pull/7/merge")).toBe("mode=plan\n");
    expect(mode("push", "refs/heads/main")).toBe("mode=apply\n");
    expect(mode("workflow_dispatch", "refs/heads/main")).toBe("mode=apply\n");
    expect(mode("workflow_dispatch", "refs/heads/feature")).toBe("mode=none\n");
    expect(mode("schedule", "refs/heads/main")).toBe("mode=drift\n");
  });

  test("the stacks of each job become the synth job's outputs, one line of JSON each", () => {
    const s = step("synth", "stacks of each job");
    const out = path.join(tempDir(), "output");
    fs.writeFileSync(out, "");
    expect(bash(s.run, dir, { GITHUB_OUTPUT: out }).status).toBe(0);
    const lines = fs.readFileSync(out, "utf8").trimEnd().split("\n");
    const stacks = JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out", "pipelines", "github-actions.stacks.json"), "utf8"));
    expect(Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf("=")), JSON.parse(l.slice(l.indexOf("=") + 1))]))).toEqual(stacks);
  });

  describe("a pull request whose committed workflow or stack record is stale fails, naming the command that updates it", () => {
    const s = step("synth", "committed workflow and stack record are up to date");
    const repo = tempDir();
    const git = (...args: string[]) => spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: repo, encoding: "utf8" });
    beforeAll(() => {
      fs.cpSync(dir, repo, { recursive: true });
      fs.mkdirSync(path.join(repo, ".github", "workflows"), { recursive: true });
      fs.copyFileSync(workflowOf(repo), path.join(repo, ".github", "workflows", "privatelink.yml"));
      fs.writeFileSync(path.join(repo, ".gitignore"), "cdktf.out/\n");
      git("init", "-q");
      git("add", ".");
      git("commit", "-qm", "init");
    });
    const run = () => bash(s.run, repo, { ...s.env, GITHUB_WORKSPACE: repo });

    test("passes when both are as synth writes them", () => {
      const r = run();
      expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: "" });
    });

    test("fails when the committed workflow differs", () => {
      fs.appendFileSync(path.join(repo, ".github", "workflows", "privatelink.yml"), "# edited by hand\n");
      const r = run();
      git("checkout", "--", ".github/workflows/privatelink.yml");
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(
        "::error file=.github/workflows/privatelink.yml::.github/workflows/privatelink.yml is not the workflow this config synthesizes. Update it (from the repository root): npm run synth && cp cdktf.out/pipelines/github-actions.yml .github/workflows/privatelink.yml, then commit it",
      );
    });

    test("fails when synth changed the stack record", () => {
      fs.appendFileSync(path.join(repo, "privatelink.stacks.json"), "\n");
      const r = run();
      git("checkout", "--", "privatelink.stacks.json");
      expect(r.status).toBe(1);
      expect(r.stdout).toContain("::error file=privatelink.stacks.json::synth changed privatelink.stacks.json: run npm run synth and commit privatelink.stacks.json with the config");
      expect(run().status).toBe(0);
    });
  });
});

describe("the app (npm run synth)", () => {
  test("writes the workflow beside the stacks, as the in-process synth does", () => {
    const outdir = path.join(tempDir(), "cdktf.out");
    const r = runApp(pipelineConfig(), outdir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(outdir, "pipelines", "github-actions.yml"), "utf8")).toBe(fs.readFileSync(workflowOf(synth(pipelineConfig())), "utf8"));
  });

  test("refuses local state with pipelines.githubActions, exit 1, cdktf.out left as it was", () => {
    const outdir = path.join(tempDir(), "cdktf.out");
    expect(runApp(pipelineConfig(), outdir).status).toBe(0);
    const before = digest(outdir);
    const c = pipelineConfig();
    c.state = { backend: "local", directory: "terraform-state" };
    c.pipelines.githubActions.repository = "acme";
    const r = runApp(c, outdir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/privatelink\.config\.json: 2 problem\(s\) in the config:\n/);
    expect(r.stderr).toContain('  - pipelines.githubActions.repository: received "acme"; expected <owner>/<name> of a GitHub repository');
    expect(r.stderr).toContain('  - state.backend: received "local"; expected "s3" (with bucket and region)');
    expect(digest(outdir)).toBe(before);
  });
});
