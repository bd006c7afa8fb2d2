import type { GithubActionsConfig, PrivateLinkConfig } from "../../config/schema";
import { SANDBOX_ACCOUNT_ID } from "../../config/schema";
import { Problem, formatProblem } from "../../modules/validation";
import { ACCEPTANCE_STACK } from "../../stacks/acceptance-stack";
import { DNS_VERIFICATION_STACK } from "../../stacks/dns-verification-stack";
import { PROVIDER_STACK } from "../../stacks/provider-stack";
import { GithubRoleKind, KnownAccount, accountIdOf, githubRoleArn, partitionOf } from "./github-roles";
import { Commented, YamlValue, yamlDocument } from "./yaml";

/*
 * The GitHub Actions workflow (cdktf.out/pipelines/github-actions.yml). Its jobs are fixed: one
 * per kind of stack, each a matrix whose stacks, accounts and roles a first job reads from
 * cdktf.out/pipelines/github-actions.stacks.json, written by the same synth. Consumers may come
 * and go, and acceptance or private DNS be turned on or off, without a change to the committed
 * workflow; the pull-request job still fails when the committed copy differs from this output
 * (a setting changed, or a new version of this project), naming the command that updates it.
 */

/** GitHub runs at most this many jobs of one matrix. */
export const GITHUB_MATRIX_LIMIT = 256;

/** The workflow and its stacks file, by path under cdktf.out/pipelines/. */
export const WORKFLOW_FILE = "github-actions.yml";
export const STACKS_FILE = "github-actions.stacks.json";

/** Every action the workflow uses, pinned to the commit of a release (its tag in a comment beside it). */
export const PINNED_ACTIONS = {
  checkout: { action: "actions/checkout", version: "v7.0.1", commit: "3d3c42e5aac5ba805825da76410c181273ba90b1" },
  setupNode: { action: "actions/setup-node", version: "v7.0.0", commit: "820762786026740c76f36085b0efc47a31fe5020" },
  setupTerraform: { action: "hashicorp/setup-terraform", version: "v4.0.1", commit: "dfe3c3f87815947d99a8997f908cb6525fc44e9e" },
  awsCredentials: { action: "aws-actions/configure-aws-credentials", version: "v6.2.3", commit: "e6de054238d6b7531b4efff3b6587d9aade6a06c" },
  uploadArtifact: { action: "actions/upload-artifact", version: "v7.0.0", commit: "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f" },
  downloadArtifact: { action: "actions/download-artifact", version: "v8.0.1", commit: "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c" },
} as const;

const uses = (a: keyof typeof PINNED_ACTIONS) => new Commented(`${PINNED_ACTIONS[a].action}@${PINNED_ACTIONS[a].commit}`, PINNED_ACTIONS[a].version);

/** A stack as the workflow runs it: in its account's region, with that account's role. */
export interface WorkflowStack {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  /** The apply role (the jobs in the environment assume it). */
  readonly role: string;
}

/** One account's stacks, planned (and checked for drift) together with its plan role. */
export interface WorkflowAccount {
  readonly id: string;
  readonly region: string;
  readonly planRole: string;
  /** Stack names separated by spaces, in deploy order (a shell loops over them). */
  readonly stacks: string;
}

/** One apply job: a matrix of the stacks of one kind, after the jobs its stacks depend on. */
interface ApplyJob {
  readonly id: string;
  /** Its key in the stacks file and in the first job's outputs. */
  readonly key: string;
  readonly needs: readonly string[];
  readonly holds: (stack: { name: string; dependsOn: readonly string[]; retire: boolean }) => boolean;
}

const isConsumer = (name: string) => name.startsWith("consumer-") && !name.endsWith("-private-dns");

/**
 * The apply jobs and what each needs, as the stacks depend on each other (stacks/app.ts); synth
 * checks that every stack falls in exactly one and that the jobs order the stacks exactly as
 * their dependencies do (`jobsMatchDependencies`).
 */
const APPLY_JOBS: readonly ApplyJob[] = [
  { id: "provider", key: "provider", needs: [], holds: (s) => !s.retire && s.name === PROVIDER_STACK },
  { id: "dns-verification", key: "dnsVerification", needs: ["provider"], holds: (s) => !s.retire && s.name === DNS_VERIFICATION_STACK },
  { id: "consumers", key: "consumers", needs: ["provider"], holds: (s) => !s.retire && isConsumer(s.name) && !s.dependsOn.includes(DNS_VERIFICATION_STACK) },
  // Without acceptance, an endpoint that gets private DNS at creation waits for the verified domain.
  { id: "consumers-verified", key: "consumersVerified", needs: ["provider", "dns-verification"], holds: (s) => !s.retire && isConsumer(s.name) && s.dependsOn.includes(DNS_VERIFICATION_STACK) },
  { id: "acceptance", key: "acceptance", needs: ["provider", "consumers"], holds: (s) => !s.retire && s.name === ACCEPTANCE_STACK },
  { id: "private-dns", key: "privateDns", needs: ["consumers", "acceptance", "dns-verification"], holds: (s) => !s.retire && s.name.startsWith("consumer-") && s.name.endsWith("-private-dns") },
  { id: "retire", key: "retire", needs: ["provider", "dns-verification", "consumers", "consumers-verified", "acceptance", "private-dns"], holds: (s) => s.retire },
];

/** Raised when the workflow cannot be written; lists every problem. cdktf.out is left as it was. */
export class PipelineError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(`pipelines.githubActions: the workflow cannot be written, ${problems.length} problem(s):\n${problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}`);
    this.name = "PipelineError";
  }
}

/** What the workflow is made from. */
export interface GithubActionsInput {
  readonly config: PrivateLinkConfig;
  /** deploy-order.json: the stacks in apply order with their dependencies, and the retire stacks. */
  readonly order: { readonly apply: readonly { readonly name: string; readonly dependsOn: readonly string[] }[]; readonly retire: readonly { readonly name: string }[] };
  /** Stack name -> the account its own provider deploys to (from the stack record, retire stacks included). */
  readonly accounts: Readonly<Record<string, KnownAccount & { readonly region: string }>>;
  /** The config file, relative to the project folder (where npm run synth runs). @default privatelink.config.json */
  readonly configFile?: string;
  /** The stack record, relative to the project folder. @default - none: the built-in example */
  readonly recordFile?: string;
}

/** The stacks of every apply job and the accounts to plan, as the stacks file holds them. */
export interface WorkflowStacks {
  readonly accounts: WorkflowAccount[];
  readonly [job: string]: WorkflowStack[] | WorkflowAccount[];
}

/** Which stacks each job runs: the stacks file's content. Throws PipelineError. */
export function workflowStacks(input: GithubActionsInput): WorkflowStacks {
  const g = input.config.pipelines?.githubActions;
  if (!g) throw new Error("no pipelines.githubActions in the config");
  const problems: Problem[] = [];
  const record = input.recordFile ?? "the stack record";
  const stacks = [...input.order.apply.map((s) => ({ ...s, retire: false })), ...input.order.retire.map((s) => ({ name: s.name, dependsOn: input.order.apply.map((a) => a.name), retire: true }))];
  const accountOf = (name: string) => {
    const account = input.accounts[name];
    const id = input.config.sandbox ? SANDBOX_ACCOUNT_ID : accountIdOf(account ?? {});
    if (id === undefined) {
      // The config's accounts are checked with the config: only a retire stack's can be unknown here.
      problems.push({ path: `${record}: stacks.${name}.accounts.default`, received: account, expected: `an account with "id" (12 digits) or a "roleArn": retire stack ${name} runs in a job that assumes a role in its account; add its "id" there` });
    }
    return { id: id ?? "unknown", region: account?.region ?? "unknown", partition: partitionOf(account ?? {}) };
  };
  const roleOf = (a: { id: string; partition: string }, kind: GithubRoleKind) => g.roles[a.id]?.[kind] ?? githubRoleArn(a.id, kind, g, a.partition);

  const byJob: Record<string, WorkflowStack[]> = Object.fromEntries(APPLY_JOBS.map((j) => [j.key, []]));
  const accounts = new Map<string, { region: string; planRole: string; stacks: string[] }>();
  for (const s of stacks) {
    const jobs = APPLY_JOBS.filter((j) => j.holds(s));
    if (jobs.length !== 1) throw new Error(`stack ${s.name} belongs to ${jobs.length} jobs of the workflow (${jobs.map((j) => j.id).join(", ")}); expected exactly one`);
    const a = accountOf(s.name);
    byJob[jobs[0].key].push({ name: s.name, account: a.id, region: a.region, role: roleOf(a, "apply") });
    if (!accounts.has(a.id)) accounts.set(a.id, { region: a.region, planRole: roleOf(a, "plan"), stacks: [] });
    accounts.get(a.id)!.stacks.push(s.name);
  }
  for (const j of APPLY_JOBS) {
    const n = byJob[j.key].length;
    if (n > GITHUB_MATRIX_LIMIT) {
      problems.push({
        path: j.id === "retire" ? `${record}: stacks` : "consumers",
        received: `${n} stacks in job ${j.id}`,
        expected: `at most ${GITHUB_MATRIX_LIMIT}: GitHub runs at most ${GITHUB_MATRIX_LIMIT} jobs of one matrix, and job ${j.id} runs one per stack${j.id === "retire" ? " (apply the retire stacks, npm run forget the emptied ones, then synth again)" : " (split the consumers over two configs)"}`,
      });
    }
  }
  if (accounts.size > GITHUB_MATRIX_LIMIT) problems.push({ path: "consumers", received: `${accounts.size} accounts`, expected: `at most ${GITHUB_MATRIX_LIMIT} accounts: the plan and drift jobs run one per account` });
  if (problems.length > 0) throw new PipelineError(problems);
  const mismatch = jobsMatchDependencies(stacks, byJob);
  if (mismatch) throw new Error(`the workflow's jobs do not order the stacks as they depend on each other: ${mismatch}`);
  return {
    accounts: [...accounts].map(([id, a]) => ({ id, region: a.region, planRole: a.planRole, stacks: a.stacks.join(" ") })),
    ...byJob,
  };
}

/**
 * Whether the jobs run every stack after exactly the stacks it depends on, directly or not (a
 * matrix job waits for every stack of the jobs it needs): undefined when they do, else the first
 * stack where they differ.
 */
function jobsMatchDependencies(stacks: readonly { name: string; dependsOn: readonly string[] }[], byJob: Record<string, readonly WorkflowStack[]>): string | undefined {
  const closure = (start: readonly string[], next: (n: string) => readonly string[]): Set<string> => {
    const seen = new Set<string>();
    const walk = (n: string) => next(n).forEach((m) => !seen.has(m) && (seen.add(m), walk(m)));
    start.forEach((n) => (seen.add(n), walk(n)));
    return seen;
  };
  const deps = new Map(stacks.map((s) => [s.name, s.dependsOn]));
  const jobOf = new Map(APPLY_JOBS.flatMap((j) => byJob[j.key].map((s) => [s.name, j] as const)));
  for (const s of stacks) {
    const before = [...closure(deps.get(s.name) ?? [], (n) => deps.get(n) ?? [])].sort();
    const neededJobs = closure(jobOf.get(s.name)!.needs, (id) => APPLY_JOBS.find((j) => j.id === id)!.needs);
    const waitsFor = APPLY_JOBS.filter((j) => neededJobs.has(j.id)).flatMap((j) => byJob[j.key].map((x) => x.name)).sort();
    if (before.join() !== waitsFor.join()) return `${s.name} depends on ${before.join(", ") || "nothing"}, but its job waits for ${waitsFor.join(", ") || "nothing"}`;
  }
  return undefined;
}

/** The workflow and its stacks file, by file name under cdktf.out/pipelines/. Throws PipelineError. */
export function githubActionsFiles(input: GithubActionsInput): Record<string, string> {
  const stacks = workflowStacks(input);
  return {
    [WORKFLOW_FILE]: githubActionsWorkflow(input.config.pipelines!.githubActions!, input.config, input.configFile, input.recordFile),
    [STACKS_FILE]: `${JSON.stringify(stacks, null, 2)}\n`,
  };
}

const summaryBlock = (title: string, log: string) => `{ echo "### ${title}"; echo; echo '\`\`\`'; cat "${log}"; echo '\`\`\`'; } >> "$GITHUB_STEP_SUMMARY"`;

/**
 * The workflow text. It depends on the settings and the config's name and path only, never on
 * the stacks: those come from the stacks file at run time.
 */
export function githubActionsWorkflow(g: GithubActionsConfig, config: PrivateLinkConfig, configFile = "privatelink.config.json", recordFile?: string): string {
  const dir = g.projectDirectory.replace(/\/+$/, "") || ".";
  const inDir = (p: string) => (dir === "." ? p : `${dir}/${p}`);
  const outputs = ["mode", "accounts", ...APPLY_JOBS.map((j) => j.key)];
  const checkout = { name: "check out", uses: uses("checkout"), with: { "persist-credentials": false } };
  const setupNode = { name: "set up Node.js", uses: uses("setupNode"), with: { "node-version": g.nodeVersion, cache: "npm", "cache-dependency-path": inDir("package-lock.json") } };
  const install = { name: "install", run: "npm ci" };
  const setupTerraform = { name: "set up Terraform", uses: uses("setupTerraform"), with: { terraform_version: g.terraformVersion, terraform_wrapper: false } };
  const download = { name: "download cdktf.out", uses: uses("downloadArtifact"), with: { name: "cdktf.out", path: inDir("cdktf.out") } };
  const credentials = (role: string, region: string, session: string) => ({
    name: "AWS credentials (OIDC)",
    uses: uses("awsCredentials"),
    with: { "role-to-assume": role, "aws-region": region, "role-session-name": session },
  });
  const applyIf = (key: string) => `\${{ !cancelled() && !failure() && needs.synth.outputs.mode == 'apply' && needs.synth.outputs.${key} != '[]' }}`;

  const updateCommand = `npm run synth && cp ${inDir("cdktf.out/pipelines/github-actions.yml")} ${g.workflowFile}`;
  const committedCheck = [
    "stale=0",
    'if ! cmp -s cdktf.out/pipelines/github-actions.yml "$GITHUB_WORKSPACE/$WORKFLOW_FILE"; then',
    '  echo "::error file=$WORKFLOW_FILE::$WORKFLOW_FILE is not the workflow this config synthesizes. Update it (from the repository root): $UPDATE_COMMAND, then commit it"',
    "  stale=1",
    "fi",
    ...(recordFile
      ? [
          'if [ -n "$(git status --porcelain -- "$RECORD_FILE")" ]; then',
          '  echo "::error file=$RECORD_FILE::synth changed $RECORD_FILE: run npm run synth and commit $RECORD_FILE with the config (it keeps stacks that leave the config retired, never orphaned)"',
          '  git diff -- "$RECORD_FILE" || true',
          "  stale=1",
          "fi",
        ]
      : []),
    'exit "$stale"',
  ].join("\n");

  const synth = {
    name: "synth and security rules",
    "runs-on": g.runsOn,
    outputs: Object.fromEntries(outputs.map((o) => [o, o === "mode" ? "${{ steps.mode.outputs.mode }}" : `\${{ steps.stacks.outputs.${o} }}`])),
    steps: [
      {
        name: "what this run does",
        id: "mode",
        env: { BRANCH: g.branch },
        run: [
          'case "$GITHUB_EVENT_NAME" in',
          "  pull_request) mode=plan ;;",
          "  schedule) mode=drift ;;",
          '  push | workflow_dispatch) if [ "$GITHUB_REF" = "refs/heads/$BRANCH" ]; then mode=apply; else mode=none; fi ;;',
          "  *) mode=none ;;",
          "esac",
          'echo "mode=$mode" >> "$GITHUB_OUTPUT"',
          'echo "this run: $mode"',
        ].join("\n"),
      },
      checkout,
      setupNode,
      install,
      {
        name: "synth, security rules",
        run: ["set +e", 'npm run --silent synth > "$RUNNER_TEMP/synth.log" 2>&1', "code=$?", "set -e", 'cat "$RUNNER_TEMP/synth.log"', summaryBlock("Synth and security rules", "$RUNNER_TEMP/synth.log"), 'exit "$code"'].join("\n"),
      },
      {
        name: "committed workflow and stack record are up to date",
        if: "steps.mode.outputs.mode == 'plan'",
        env: { WORKFLOW_FILE: g.workflowFile, UPDATE_COMMAND: updateCommand, ...(recordFile ? { RECORD_FILE: recordFile } : {}) },
        run: committedCheck,
      },
      {
        name: "stacks of each job",
        id: "stacks",
        run: `jq -r 'to_entries[] | "\\(.key)=\\(.value | tojson)"' cdktf.out/pipelines/${STACKS_FILE} >> "$GITHUB_OUTPUT"`,
      },
      { name: "upload cdktf.out", uses: uses("uploadArtifact"), with: { name: "cdktf.out", path: inDir("cdktf.out"), "include-hidden-files": true, "if-no-files-found": "error", "retention-days": 7 } },
    ],
  };

  const accountMatrix = { "fail-fast": false, matrix: { account: "${{ fromJSON(needs.synth.outputs.accounts) }}" } };
  const plan = {
    name: "plan account ${{ matrix.account.id }}",
    needs: ["synth"],
    if: "needs.synth.outputs.mode == 'plan'",
    "runs-on": g.runsOn,
    strategy: accountMatrix,
    steps: [
      checkout,
      setupNode,
      install,
      setupTerraform,
      download,
      credentials("${{ matrix.account.planRole }}", "${{ matrix.account.region }}", "privatelink-plan"),
      {
        name: "plan",
        env: { ACCOUNT: "${{ matrix.account.id }}", STACKS: "${{ matrix.account.stacks }}", TF_CLI_ARGS_plan: "-lock=false" },
        run: [
          "set +e",
          'npm run --silent plan -- --no-synth --stacks "$STACKS" > "$RUNNER_TEMP/plan.log" 2>&1',
          "code=$?",
          "set -e",
          'cat "$RUNNER_TEMP/plan.log"',
          summaryBlock("Plan: account $ACCOUNT", "$RUNNER_TEMP/plan.log"),
          "# npm run plan: 0 no changes; 2 changes, or stacks planned after others are applied; 1 a stack could not be planned",
          'test "$code" -ne 1',
        ].join("\n"),
      },
    ],
  };

  const drift = {
    name: "drift check account ${{ matrix.account.id }}",
    needs: ["synth"],
    if: "needs.synth.outputs.mode == 'drift'",
    "runs-on": g.runsOn,
    strategy: accountMatrix,
    steps: [
      setupTerraform,
      download,
      credentials("${{ matrix.account.planRole }}", "${{ matrix.account.region }}", "privatelink-drift"),
      {
        name: "terraform plan -detailed-exitcode of every stack",
        env: { ACCOUNT: "${{ matrix.account.id }}", STACKS: "${{ matrix.account.stacks }}" },
        run: [
          'echo "### Drift check: account $ACCOUNT" >> "$GITHUB_STEP_SUMMARY"',
          "bad=0",
          "for stack in $STACKS; do",
          '  echo "::group::$stack"',
          "  set +e",
          '  (cd "cdktf.out/stacks/$stack" && terraform init -input=false -no-color && terraform plan -input=false -no-color -lock=false -detailed-exitcode)',
          "  code=$?",
          "  set -e",
          '  echo "::endgroup::"',
          '  case "$code" in',
          '    0) echo "- $stack: no drift" >> "$GITHUB_STEP_SUMMARY" ;;',
          '    2) echo "::error::$stack drifted: terraform plan shows changes"; echo "- $stack: **drift**" >> "$GITHUB_STEP_SUMMARY"; bad=1 ;;',
          '    *) echo "::error::$stack: terraform failed (exit $code)"; echo "- $stack: **failed** (exit $code)" >> "$GITHUB_STEP_SUMMARY"; bad=1 ;;',
          "  esac",
          "done",
          'exit "$bad"',
        ].join("\n"),
      },
    ],
  };

  const approve = g.approvalEnvironment
    ? {
        approve: {
          name: "approve the apply",
          needs: ["synth"],
          if: "needs.synth.outputs.mode == 'apply'",
          "runs-on": g.runsOn,
          environment: g.approvalEnvironment,
          steps: [{ name: "approved", run: 'echo "apply of $GITHUB_SHA approved"' }],
        },
      }
    : {};

  const applyJobs = Object.fromEntries(
    APPLY_JOBS.map((j) => [
      j.id,
      {
        name: "apply ${{ matrix.stack.name }}",
        needs: ["synth", ...(j.needs.length === 0 && g.approvalEnvironment ? ["approve"] : []), ...j.needs],
        if: applyIf(j.key),
        "runs-on": g.runsOn,
        environment: g.environment,
        strategy: { "fail-fast": false, matrix: { stack: `\${{ fromJSON(needs.synth.outputs.${j.key}) }}` } },
        steps: [
          setupTerraform,
          download,
          credentials("${{ matrix.stack.role }}", "${{ matrix.stack.region }}", "privatelink-apply"),
          {
            name: "terraform apply",
            env: { STACK: "${{ matrix.stack.name }}" },
            run: [
              'cd "cdktf.out/stacks/$STACK"',
              "terraform init -input=false -no-color",
              'terraform apply -input=false -auto-approve -no-color | tee "$RUNNER_TEMP/apply.log"',
              '{ echo "### $STACK"; grep -E "^(Apply complete|No changes)" "$RUNNER_TEMP/apply.log" || true; } >> "$GITHUB_STEP_SUMMARY"',
            ].join("\n"),
          },
        ],
      },
    ]),
  );

  const env: Record<string, string> = { CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
  if (configFile !== "privatelink.config.json") env.PRIVATELINK_CONFIG = configFile;
  const workflow: Record<string, YamlValue | undefined> = {
    name: `privatelink ${config.name}`,
    on: {
      pull_request: { branches: [g.branch] },
      push: { branches: [g.branch] },
      workflow_dispatch: null,
      schedule: g.driftSchedule === false ? undefined : [{ cron: g.driftSchedule }],
    },
    permissions: { "id-token": "write", contents: "read" },
    concurrency: {
      group: `\${{ github.event_name == 'pull_request' && format('privatelink-${config.name}-plan-{0}', github.ref) || 'privatelink-${config.name}-apply' }}`,
      "cancel-in-progress": "${{ github.event_name == 'pull_request' }}",
    },
    defaults: { run: { shell: "bash", ...(dir === "." ? {} : { "working-directory": dir }) } },
    env,
    jobs: { synth, plan, drift, ...approve, ...applyJobs } as YamlValue,
  };
  const header = [
    `Written by npm run synth from ${configFile} (pipelines.githubActions). Commit it as ${g.workflowFile}, unchanged:`,
    "a pull request fails while the committed copy differs from what synth writes.",
    "",
    "pull_request: synth + security rules, then a plan of every stack, one job per account (plan role).",
    `push to ${g.branch}, workflow_dispatch: apply in dependency order, one job per stack, in environment ${g.environment} (apply role).`,
    g.driftSchedule === false ? "No drift check (driftSchedule: false)." : `schedule (${g.driftSchedule} UTC): drift check, terraform plan -detailed-exitcode of every stack (plan role).`,
    `Which stacks run, in which account, comes from cdktf.out/pipelines/${STACKS_FILE} at run time:`,
    "consumers may come and go without a change here.",
  ];
  return yamlDocument(workflow, header, ["jobs"]);
}
