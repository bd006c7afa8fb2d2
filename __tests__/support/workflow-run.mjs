// Runs a GitHub Actions workflow on this machine, for one event, as a runner would: the jobs in
// `needs` order (jobs whose needs are done run side by side, as do a matrix's entries), each job
// in a fresh clone of the repository, its `run:` steps in bash with GitHub's environment files,
// its expressions evaluated by GitHub's own expression engine (@actions/expressions). The
// `uses:` steps are stood in for by their local equivalents:
// - actions/checkout: a clone of the repository at the event's commit;
// - actions/setup-node, hashicorp/setup-terraform: the Node.js and Terraform on the PATH, checked
//   against the versions the step asks for;
// - aws-actions/configure-aws-credentials: the job's OIDC token is made from the event (its `sub`
//   as GitHub writes it), the role must exist on the emulator and its trust policy must allow that
//   token; then sts:AssumeRoleWithWebIdentity on the emulator, the credentials in the environment;
// - actions/upload-artifact, actions/download-artifact: a folder per artifact.
// One `run:` step is stood in for too: `npm ci` links the project's installed node_modules (the
// same package-lock.json) instead of downloading every package again.
//
// Usage: node workflow-run.mjs <spec.json>; prints the run as JSON. The spec:
//   { workflow, repository (a git folder), sha, event, ref, runDir, owner/name (repositoryName),
//     projectRoot (its node_modules stand in for npm ci), emulator (endpoint), env, parallel }
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Evaluator, Lexer, Parser, data } from "@actions/expressions";
import { parse as parseYaml } from "yaml";

const spec = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const workflow = parseYaml(fs.readFileSync(spec.workflow, "utf8"));
const ISSUER = "token.actions.githubusercontent.com";

// ---- expressions -----------------------------------------------------------------------------

const toData = (value) => JSON.parse(JSON.stringify(value ?? null), data.reviver);
const fromData = (value) => JSON.parse(JSON.stringify(value, data.replacer));
const STATUS_FUNCTIONS = ["success", "failure", "cancelled", "always"];

function evaluate(expression, contexts, status) {
  const tokens = new Lexer(expression).lex().tokens;
  const statusInfo = STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 }));
  const tree = new Parser(tokens, Object.keys(contexts), statusInfo).parse();
  const functions = new Map(STATUS_FUNCTIONS.map((name) => [name, { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(status[name]()) }]));
  return fromData(new Evaluator(tree, toData(contexts), functions).evaluate());
}

const truthy = (v) => !(v === false || v === 0 || v === "" || v === null || v === undefined || Number.isNaN(v));
const asText = (v) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

/** A value with `${{ }}` in it, evaluated: a whole-expression value keeps its type, text is joined. */
function interpolate(value, contexts, status) {
  if (typeof value !== "string") return value;
  const whole = value.match(/^\$\{\{([\s\S]*?)\}\}$/);
  if (whole) return evaluate(whole[1], contexts, status);
  return value.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, e) => asText(evaluate(e, contexts, status)));
}

/** An `if:` as GitHub reads it: with `${{ }}` or without, `success() &&` when no status function is named. */
function condition(text, contexts, status) {
  if (text === undefined) return status.success();
  const expression = String(text).replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, "$1");
  const named = STATUS_FUNCTIONS.some((f) => new RegExp(`\\b${f}\\s*\\(`, "i").test(expression));
  return truthy(evaluate(named ? expression : `success() && (${expression})`, contexts, status));
}

// ---- the run ---------------------------------------------------------------------------------

const jobs = workflow.jobs;
const needsOf = (id) => [].concat(jobs[id].needs ?? []);
const ancestors = (id, seen = new Set()) => (needsOf(id).forEach((n) => !seen.has(n) && (seen.add(n), ancestors(n, seen))), seen);
const results = {}; // job id -> { result, outputs }
let tick = 0; // orders the jobs' starts and ends
const report = { event: spec.event, ref: spec.ref, sha: spec.sha, started: [], jobs: [] };
const artifacts = path.join(spec.runDir, "artifacts");
fs.mkdirSync(artifacts, { recursive: true });
const github = {
  event_name: spec.event,
  ref: spec.ref,
  sha: spec.sha,
  repository: spec.repositoryName,
  repository_owner: spec.repositoryName.split("/")[0],
  workspace: "",
  run_id: "1",
  event: {},
};

function jobStatus(id) {
  const before = [...ancestors(id)].map((n) => results[n].result);
  return {
    success: () => before.every((r) => r === "success"),
    failure: () => before.some((r) => r === "failure"),
    cancelled: () => false,
    always: () => true,
  };
}

/** At most spec.parallel job runs at once (the machine's cores, not GitHub's runners, are the limit). */
let running = 0;
const queue = [];
async function slot(task) {
  if (running >= (spec.parallel ?? 2)) await new Promise((resolve) => queue.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    queue.shift()?.();
  }
}

async function runJob(id) {
  const job = jobs[id];
  const needs = Object.fromEntries(needsOf(id).map((n) => [n, results[n]]));
  const contexts = { github, needs, env: { ...workflow.env }, vars: {}, inputs: {} };
  const status = jobStatus(id);
  if (!condition(job.if, contexts, status)) {
    results[id] = { result: "skipped", outputs: {} };
    report.jobs.push({ id, result: "skipped", runs: [] });
    return;
  }
  let matrices = [undefined];
  if (job.strategy?.matrix) {
    const [key, ...more] = Object.keys(job.strategy.matrix);
    if (more.length > 0) throw new Error(`job ${id}: only a one-key matrix is run here`);
    const values = interpolate(job.strategy.matrix[key], contexts, status);
    if (!Array.isArray(values) || values.length === 0) {
      // As GitHub does: a matrix must have values.
      results[id] = { result: "failure", outputs: {} };
      report.jobs.push({ id, result: "failure", error: `Matrix vector '${key}' does not contain any values`, runs: [] });
      return;
    }
    matrices = values.map((v) => ({ [key]: v }));
  }
  report.started.push(id);
  const began = tick++;
  const runs = await Promise.all(matrices.map((matrix, i) => slot(() => runOne(id, job, { ...contexts, matrix: matrix ?? {} }, matrix === undefined ? "" : `-${i}`))));
  const result = runs.every((r) => r.result === "success") ? "success" : "failure";
  results[id] = { result, outputs: runs.length === 1 ? runs[0].outputs : {} };
  report.jobs.push({ id, result, began, ended: tick++, runs });
}

function environmentName(job, contexts) {
  const e = job.environment;
  if (e === undefined) return undefined;
  return interpolate(typeof e === "string" ? e : e.name, contexts, { success: () => true, failure: () => false, cancelled: () => false, always: () => true });
}

async function runOne(id, job, contexts, suffix) {
  const always = { success: () => true, failure: () => false, cancelled: () => false, always: () => true };
  const name = interpolate(job.name ?? id, contexts, always);
  const dir = path.join(spec.runDir, `${id}${suffix}`);
  const workspace = path.join(dir, "workspace");
  const temp = path.join(dir, "temp");
  fs.mkdirSync(workspace, { recursive: true });
  fs.mkdirSync(temp, { recursive: true });
  const environment = environmentName(job, contexts);
  const run = { name, matrix: contexts.matrix, environment, result: "success", steps: [], outputs: {}, summary: "", credentials: undefined };
  const jobEnv = { ...workflow.env, ...Object.fromEntries(Object.entries(job.env ?? {}).map(([k, v]) => [k, asText(interpolate(v, contexts, always))])) };
  const exported = {}; // GITHUB_ENV and the credentials action's variables
  const paths = [];
  const steps = {};
  let failed = false;
  const defaults = { ...workflow.defaults?.run, ...job.defaults?.run };
  const ctx = () => ({ ...contexts, github: { ...github, workspace }, env: { ...jobEnv, ...exported }, steps, job: { status: failed ? "failure" : "success" }, runner: { temp, os: "Linux" } });
  const stepStatus = { success: () => !failed, failure: () => failed, cancelled: () => false, always: () => true };

  for (const [index, step] of job.steps.entries()) {
    const label = step.name ?? step.uses ?? step.run.split("\n")[0];
    if (!condition(step.if, ctx(), stepStatus)) {
      run.steps.push({ name: label, outcome: "skipped" });
      if (step.id) steps[step.id] = { outputs: {}, outcome: "skipped", conclusion: "skipped" };
      continue;
    }
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, asText(interpolate(v, ctx(), stepStatus))]));
    const files = { output: path.join(temp, `output-${index}`), summary: path.join(temp, `summary-${index}`), env: path.join(temp, `env-${index}`), path: path.join(temp, `path-${index}`) };
    for (const f of Object.values(files)) fs.writeFileSync(f, "");
    const env = {
      PATH: [...paths, process.env.PATH].join(":"),
      HOME: process.env.HOME,
      LANG: "C.UTF-8",
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_EVENT_NAME: spec.event,
      GITHUB_REF: spec.ref,
      GITHUB_SHA: spec.sha,
      GITHUB_REPOSITORY: spec.repositoryName,
      GITHUB_WORKSPACE: workspace,
      GITHUB_JOB: id,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      RUNNER_TEMP: temp,
      RUNNER_OS: "Linux",
      ...spec.env,
      ...jobEnv,
      ...exported,
      ...stepEnv,
    };
    let outcome;
    let log = "";
    let standIn;
    try {
      if (step.uses) {
        const w = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(v, ctx(), stepStatus)]));
        ({ standIn, log } = await useAction(step.uses, w, { workspace, environment, exported, run, id }));
        outcome = "success";
      } else {
        const cwd = path.join(workspace, step["working-directory"] ?? defaults["working-directory"] ?? ".");
        const script = interpolate(step.run, ctx(), stepStatus);
        if (script.trim() === "npm ci") {
          standIn = "node_modules linked from the project's install (same package-lock.json)";
          linkInstall(cwd);
          outcome = "success";
        } else {
          const shell = step.shell ?? defaults.shell ?? "bash";
          if (shell !== "bash") throw new Error(`step ${label}: only bash is run here, not ${shell}`);
          const file = path.join(temp, `step-${index}.sh`);
          fs.writeFileSync(file, script);
          const r = await exec("bash", ["--noprofile", "--norc", "-eo", "pipefail", file], { cwd, env });
          log = r.output;
          outcome = r.code === 0 ? "success" : "failure";
        }
      }
    } catch (e) {
      log += `${e.stack ?? e}`;
      outcome = "failure";
    }
    const outputs = readKeyValues(files.output);
    Object.assign(exported, readKeyValues(files.env));
    paths.unshift(...fs.readFileSync(files.path, "utf8").split("\n").filter(Boolean));
    run.summary += fs.readFileSync(files.summary, "utf8");
    if (step.id) steps[step.id] = { outputs, outcome, conclusion: outcome };
    run.steps.push({ name: label, outcome, ...(standIn ? { standIn } : {}), log: tail(log) });
    if (outcome !== "success") failed = true;
  }
  run.result = failed ? "failure" : "success";
  run.outputs = Object.fromEntries(Object.entries(job.outputs ?? {}).map(([k, v]) => [k, asText(interpolate(v, ctx(), always))]));
  return run;
}

const tail = (text) => (text.length > 6000 ? `...${text.slice(-6000)}` : text);

/** GITHUB_OUTPUT / GITHUB_ENV: `name=value` lines and `name<<DELIMITER` blocks. */
function readKeyValues(file) {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const out = {};
  for (let i = 0; i < lines.length; i++) {
    const heredoc = lines[i].match(/^([^=]+)<<(.+)$/);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      out[heredoc[1]] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (lines[i].includes("=")) {
      out[lines[i].slice(0, lines[i].indexOf("="))] = lines[i].slice(lines[i].indexOf("=") + 1);
    }
  }
  return out;
}

function exec(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

function git(args, cwd) {
  const r = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** `npm ci`'s stand-in: the project's node_modules (and each flavour's) linked into the checkout. */
function linkInstall(cwd) {
  const link = (from, to) => fs.existsSync(from) && !fs.existsSync(to) && fs.symlinkSync(from, to);
  link(path.join(spec.projectRoot, "node_modules"), path.join(cwd, "node_modules"));
  const flavours = path.join(spec.projectRoot, "flavours");
  for (const f of fs.existsSync(flavours) ? fs.readdirSync(flavours) : []) {
    if (fs.existsSync(path.join(cwd, "flavours", f))) link(path.join(flavours, f, "node_modules"), path.join(cwd, "flavours", f, "node_modules"));
  }
}

const majorOf = (version) => String(version).replace(/^v/, "").split(".")[0];

async function useAction(uses, w, job) {
  const action = uses.replace(/@.*$/, "");
  if (!/@[0-9a-f]{40}$/.test(uses)) throw new Error(`${uses}: not pinned to a commit`);
  switch (action) {
    case "actions/checkout":
      git(["clone", "-q", "--no-checkout", spec.repository, job.workspace]);
      git(["-c", "advice.detachedHead=false", "checkout", "-q", spec.sha], job.workspace);
      return { standIn: `clone of the repository at ${spec.sha.slice(0, 12)}`, log: "" };
    case "actions/setup-node": {
      const have = process.versions.node;
      if (majorOf(have) !== majorOf(w["node-version"])) throw new Error(`node-version ${w["node-version"]} asked for, this machine has ${have}`);
      return { standIn: `Node.js ${have} from the PATH`, log: "" };
    }
    case "hashicorp/setup-terraform": {
      const have = JSON.parse(spawnSync("terraform", ["version", "-json"], { encoding: "utf8", env: { ...process.env, ...spec.env } }).stdout).terraform_version;
      if (w.terraform_version && have !== String(w.terraform_version)) throw new Error(`terraform_version ${w.terraform_version} asked for, this machine has ${have}`);
      if (w.terraform_wrapper !== false) throw new Error("terraform_wrapper is on: the run steps read terraform's own exit codes and output");
      return { standIn: `Terraform ${have} from the PATH`, log: "" };
    }
    case "aws-actions/configure-aws-credentials":
      return assumeRole(w, job);
    case "actions/upload-artifact": {
      const from = path.join(job.workspace, w.path);
      if (!fs.existsSync(from)) throw new Error(`upload-artifact: ${w.path} does not exist`);
      fs.cpSync(from, path.join(artifacts, w.name), { recursive: true, filter: (src) => w["include-hidden-files"] === true || !path.basename(src).startsWith(".") || src === from });
      return { standIn: `copied to the run's artifact folder ${w.name}`, log: "" };
    }
    case "actions/download-artifact":
      fs.cpSync(path.join(artifacts, w.name), path.join(job.workspace, w.path), { recursive: true });
      return { standIn: `copied from the run's artifact folder ${w.name}`, log: "" };
    default:
      throw new Error(`no stand-in for ${uses}`);
  }
}

// ---- OIDC credentials --------------------------------------------------------------------------

/** The claims of the token GitHub gives this job (https://docs.github.com/actions/reference/openid-connect-reference). */
function tokenClaims(job) {
  const repo = `repo:${spec.repositoryName}`;
  const sub = job.environment ? `${repo}:environment:${job.environment}` : spec.event === "pull_request" ? `${repo}:pull_request` : `${repo}:ref:${spec.ref}`;
  return { iss: `https://${ISSUER}`, aud: "sts.amazonaws.com", sub, repository: spec.repositoryName, ref: spec.ref, event_name: spec.event, ...(job.environment ? { environment: job.environment } : {}) };
}

async function emulatorQuery(service, params) {
  const body = new URLSearchParams(params).toString();
  const r = await fetch(spec.emulator, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body,
  });
  return { status: r.status, text: await r.text() };
}

const xmlValue = (xml, tag) => xml.match(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`))?.[1];
const xmlText = (s) => s?.replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#39;/g, "'").replace(/&amp;/g, "&");

/** Whether one statement's conditions hold for the claims (StringEquals / StringLike, the operators the roles use). */
function conditionsHold(conditions, claims) {
  for (const [operator, keys] of Object.entries(conditions ?? {})) {
    for (const [key, expected] of Object.entries(keys)) {
      const claim = claims[key.replace(`${ISSUER}:`, "")];
      const wanted = [].concat(expected);
      const like = (p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
      const ok =
        operator === "StringEquals" ? wanted.includes(claim) : operator === "StringLike" ? wanted.some((p) => like(p).test(claim ?? "")) : (() => { throw new Error(`trust condition ${operator} is not evaluated here`); })();
      if (!ok) return false;
    }
  }
  return true;
}

async function assumeRole(w, job) {
  const roleArn = w["role-to-assume"];
  const roleName = roleArn.split("/").pop();
  const claims = tokenClaims(job);
  const role = await emulatorQuery("iam", { Action: "GetRole", Version: "2010-05-08", RoleName: roleName });
  if (role.status !== 200) throw new Error(`role ${roleArn} does not exist on the emulator (apply the account's aws-access folder): ${role.status}`);
  const trust = JSON.parse(decodeURIComponent(xmlText(xmlValue(role.text, "AssumeRolePolicyDocument"))));
  const providerArn = (s) => [].concat(s.Principal?.Federated ?? []);
  const allowed = [].concat(trust.Statement).some(
    (s) => s.Effect === "Allow" && [].concat(s.Action).includes("sts:AssumeRoleWithWebIdentity") && providerArn(s).some((p) => p.endsWith(`oidc-provider/${ISSUER}`)) && conditionsHold(s.Condition, claims),
  );
  job.run.credentials = { role: roleArn, sub: claims.sub, allowed };
  if (!allowed) throw new Error(`role ${roleArn} does not trust this job's token (sub ${claims.sub}): Not authorized to perform sts:AssumeRoleWithWebIdentity`);
  const token = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const answer = await emulatorQuery("sts", { Action: "AssumeRoleWithWebIdentity", Version: "2011-06-15", RoleArn: roleArn, RoleSessionName: w["role-session-name"] ?? "GitHubActions", WebIdentityToken: `e30.${token}.sig` });
  if (answer.status !== 200) throw new Error(`sts:AssumeRoleWithWebIdentity ${roleArn}: ${answer.status} ${answer.text}`);
  Object.assign(job.exported, {
    AWS_ACCESS_KEY_ID: xmlValue(answer.text, "AccessKeyId"),
    AWS_SECRET_ACCESS_KEY: xmlValue(answer.text, "SecretAccessKey"),
    AWS_SESSION_TOKEN: xmlValue(answer.text, "SessionToken"),
    AWS_REGION: w["aws-region"],
    AWS_DEFAULT_REGION: w["aws-region"],
  });
  return { standIn: `${roleArn} assumed on the emulator with a token for ${claims.sub}`, log: "" };
}

// ---- main ------------------------------------------------------------------------------------

// Each job starts as soon as the jobs it needs are done, as on GitHub.
const started = {};
const start = (id) => (started[id] ??= Promise.all(needsOf(id).map(start)).then(() => runJob(id)));
await Promise.all(Object.keys(jobs).map(start));
report.result = Object.values(results).some((r) => r.result === "failure") ? "failure" : "success";
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
