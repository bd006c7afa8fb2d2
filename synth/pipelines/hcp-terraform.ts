/**
 * `cdktf.out/pipelines/hcp-terraform/`: the HCP Terraform workspace set, a plain Terraform working
 * directory an administrator applies (the tfe provider, with an HCP Terraform token that may
 * manage the organization's workspaces). One workspace per stack, named as the stack's cloud
 * block names it; a run trigger from each stack a workspace's stack reads, reduced to the edges no
 * other path implies; each state shared only with the workspaces that read it; and per workspace
 * the dynamic AWS credentials of its stack's account (plan and apply roles). Retire stacks keep
 * their workspace until `npm run forget`; the next apply of this directory then deletes it.
 *
 * The workspaces come from the stacks synth just wrote (deploy order and stack record), so the
 * set follows the consumers as they come and go. It is built with @cdktf/provider-tfe, loaded
 * only when the config asks for it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { HcpTerraformConfig, HcpTerraformStateConfig, PrivateLinkConfig } from "../../config/schema";
import { SANDBOX_ACCOUNT_ID } from "../../config/schema";
import { Problem, formatProblem } from "../../modules/validation";
import { TFE_PROVIDER_VERSION, workspaceName } from "../../stacks/state";
import { KnownAccount, accountIdOf, githubRoleArn, partitionOf } from "./github-roles";
import type { PipelineAccess, PipelineIdentity } from "./access-input";
// Types only (erased at run time): every resource's settings are checked against the tfe
// provider's classes by the type checker; the classes themselves are loaded when needed.
import type { DataTfeProject, DataTfeProjectConfig } from "@cdktf/provider-tfe/lib/data-tfe-project";
import type { TfeProvider, TfeProviderConfig } from "@cdktf/provider-tfe/lib/provider";
import type { RunTrigger, RunTriggerConfig } from "@cdktf/provider-tfe/lib/run-trigger";
import type { Variable, VariableConfig } from "@cdktf/provider-tfe/lib/variable";
import type { Workspace, WorkspaceConfig } from "@cdktf/provider-tfe/lib/workspace";
import type { WorkspaceSettings, WorkspaceSettingsConfig } from "@cdktf/provider-tfe/lib/workspace-settings";

/** The folder under cdktf.out/pipelines/ that holds the workspace set. */
export const HCP_TERRAFORM_FOLDER = "hcp-terraform";

/** HCP Terraform allows at most this many run-trigger sources per workspace. */
export const RUN_TRIGGER_SOURCE_LIMIT = 20;

export const DEFAULT_HCP_PLAN_ROLE_NAME = "privatelink-hcp-plan";
export const DEFAULT_HCP_APPLY_ROLE_NAME = "privatelink-hcp-apply";

/** Raised when the workspace set cannot be written; lists every problem. cdktf.out is left as it was. */
export class HcpTerraformError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(`pipelines.hcpTerraform: the workspace set cannot be written, ${problems.length} problem(s):\n${problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}`);
    this.name = "HcpTerraformError";
  }
}

/** What the workspace set is made from. */
export interface HcpTerraformInput {
  readonly config: PrivateLinkConfig;
  /** deploy-order.json: the stacks in apply order with the stacks each reads, and the retire stacks. */
  readonly order: { readonly apply: readonly { readonly name: string; readonly dependsOn: readonly string[] }[]; readonly retire: readonly { readonly name: string }[] };
  /** Stack name -> the account its own provider deploys to (from the stack record, retire stacks included). */
  readonly accounts: Readonly<Record<string, KnownAccount & { readonly region: string }>>;
  /** Stack name -> the stacks whose outputs it reads (its remote state data sources). */
  readonly reads: Readonly<Record<string, readonly string[]>>;
  /** The stack record, for messages. @default "the stack record" */
  readonly recordFile?: string;
}

/** One stack's workspace, as the set configures it. */
export interface HcpWorkspace {
  readonly stack: string;
  readonly workspace: string;
  readonly retire: boolean;
  readonly accountId: string;
  readonly planRole: string;
  readonly applyRole: string;
  /** The stacks whose applies start a run here: what this stack reads, minus what another path already implies. */
  readonly triggeredBy: readonly string[];
  /** The stacks that read this stack's state: the only workspaces it is shared with. */
  readonly readBy: readonly string[];
  /** The folder a VCS-driven workspace runs in, relative to the repository root. @default - CLI-driven: none */
  readonly workingDirectory?: string;
}

/** The stacks a synthesized stack reads outputs from: its terraform_remote_state or tfe_outputs data sources. */
export function stateReads(stack: Record<string, any>): string[] {
  return Object.keys({ ...stack.data?.terraform_remote_state, ...stack.data?.tfe_outputs }).sort();
}

/** The workspaces, with their triggers, readers and roles. Throws HcpTerraformError. */
export function hcpWorkspaces(input: HcpTerraformInput): HcpWorkspace[] {
  const h = input.config.pipelines?.hcpTerraform;
  const state = input.config.state;
  if (!h || state.backend !== "hcp-terraform") throw new Error("no pipelines.hcpTerraform with hcp-terraform state in the config");
  const problems: Problem[] = [];
  const record = input.recordFile ?? "the stack record";
  const deps = new Map(input.order.apply.map((s) => [s.name, s.dependsOn]));
  const reach = (from: string, seen = new Set<string>()): Set<string> => {
    for (const d of deps.get(from) ?? []) if (!seen.has(d)) (seen.add(d), reach(d, seen));
    return seen;
  };
  const stacks = [...input.order.apply.map((s) => ({ name: s.name, retire: false })), ...input.order.retire.map((s) => ({ name: s.name, retire: true }))];
  const identity = hcpTerraformIdentity(input.config, stacks.map((s) => s.name));
  const workspaces = stacks.map(({ name, retire }): HcpWorkspace => {
    const account = input.accounts[name];
    const accountId = input.config.sandbox ? SANDBOX_ACCOUNT_ID : accountIdOf(account ?? {});
    if (accountId === undefined) {
      problems.push({ path: `${record}: stacks.${name}.accounts.default`, received: account, expected: `an account with "id" (12 digits) or a "roleArn": the workspace of ${name} assumes a role in its account; add its "id" there` });
    }
    const partition = partitionOf(account ?? {});
    const id = accountId ?? "unknown";
    const direct = deps.get(name) ?? [];
    // A trigger from d is implied when another stack this one reads already waits for d.
    const triggeredBy = direct.filter((d) => !direct.some((other) => other !== d && reach(other).has(d)));
    if (triggeredBy.length > RUN_TRIGGER_SOURCE_LIMIT) {
      problems.push({
        path: "consumers",
        received: `${triggeredBy.length} run trigger sources for workspace ${workspaceName(state, input.config.name, name)}`,
        expected: `at most ${RUN_TRIGGER_SOURCE_LIMIT}: HCP Terraform starts a workspace's runs from at most ${RUN_TRIGGER_SOURCE_LIMIT} other workspaces, and stack ${name} reads ${triggeredBy.join(", ")} (split the consumers over two configs)`,
      });
    }
    return {
      stack: name,
      workspace: workspaceName(state, input.config.name, name),
      retire,
      accountId: id,
      planRole: identity.roleOf(id, partition, "plan").arn,
      applyRole: identity.roleOf(id, partition, "apply").arn,
      triggeredBy,
      readBy: input.order.apply.filter((s) => (input.reads[s.name] ?? []).includes(name)).map((s) => s.name),
      ...(h.vcs ? { workingDirectory: path.posix.join(h.vcs.projectDirectory, "cdktf.out", "stacks", name) } : {}),
    };
  });
  if (problems.length > 0) throw new HcpTerraformError(problems);
  return workspaces;
}

/** The audience of HCP Terraform's workload identity tokens for AWS (TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE's default). */
export const HCP_TERRAFORM_AUDIENCE = "aws.workload.identity";

/**
 * HCP Terraform as the engine of the aws-access folders: its issuer (the organization's host),
 * and per account the subjects of the plan and apply phases of the workspaces whose stacks deploy
 * there, nothing wider.
 */
export function hcpTerraformIdentity(config: PrivateLinkConfig, stacks: readonly string[]): PipelineIdentity {
  const h = config.pipelines?.hcpTerraform;
  const state = config.state;
  if (!h || state.backend !== "hcp-terraform") throw new Error("no pipelines.hcpTerraform with hcp-terraform state in the config");
  const subject = (stack: string, phase: PipelineAccess) => `organization:${state.organization}:project:${state.project}:workspace:${workspaceName(state, config.name, stack)}:run_phase:${phase}`;
  return {
    key: "hcp_terraform",
    name: "HCP Terraform",
    issuer: state.hostname,
    audience: HCP_TERRAFORM_AUDIENCE,
    subjects: Object.fromEntries(stacks.flatMap((s) => [[subject(s, "plan"), `plans of workspace ${workspaceName(state, config.name, s)}`], [subject(s, "apply"), `applies of workspace ${workspaceName(state, config.name, s)}`]])),
    subjectsFor: (jobStacks) => ({ plan: jobStacks.map((s) => subject(s, "plan")), apply: jobStacks.map((s) => subject(s, "apply")) }),
    roleOf: (accountId, partition, access) => {
      const own = h.roles[accountId]?.[access];
      if (own !== undefined) return { arn: own, own: true };
      return { arn: githubRoleArn(accountId, access, { planRoleName: h.planRoleName ?? DEFAULT_HCP_PLAN_ROLE_NAME, applyRoleName: h.applyRoleName ?? DEFAULT_HCP_APPLY_ROLE_NAME }, partition), own: false };
    },
  };
}

/** The classes the workspace set is built from. */
interface TfeClasses {
  readonly TfeProvider: typeof TfeProvider;
  readonly DataTfeProject: typeof DataTfeProject;
  readonly Workspace: typeof Workspace;
  readonly WorkspaceSettings: typeof WorkspaceSettings;
  readonly Variable: typeof Variable;
  readonly RunTrigger: typeof RunTrigger;
}

/** @cdktf/provider-tfe's classes (and the cdktf core they are built on), or a clear error. */
function loadTfe(): { core: Record<string, any>; tfe: TfeClasses } {
  let base: string;
  try {
    base = path.dirname(require.resolve("@cdktf/provider-tfe/package.json"));
  } catch {
    throw new HcpTerraformError([{ path: "pipelines.hcpTerraform", received: "@cdktf/provider-tfe is not installed", expected: "npm install --save-dev @cdktf/provider-tfe@12: the workspace set is built with the tfe provider's classes" }]);
  }
  // The core the classes extend, wherever this project's own cdktf family comes from.
  const { createRequire } = require("module") as typeof import("module");
  const fromTfe = createRequire(path.join(base, "package.json"));
  const lib = (name: string) => fromTfe(path.join(base, "lib", name));
  return {
    core: fromTfe(["cdk", "tf"].join("")),
    tfe: {
      TfeProvider: lib("provider").TfeProvider,
      DataTfeProject: lib("data-tfe-project").DataTfeProject,
      Workspace: lib("workspace").Workspace,
      WorkspaceSettings: lib("workspace-settings").WorkspaceSettings,
      Variable: lib("variable").Variable,
      RunTrigger: lib("run-trigger").RunTrigger,
    },
  };
}

/** The workspace set's Terraform JSON, built with @cdktf/provider-tfe. */
export function hcpTerraformJson(input: HcpTerraformInput, workspaces = hcpWorkspaces(input)): Record<string, any> {
  const h = input.config.pipelines!.hcpTerraform!;
  const state = input.config.state as HcpTerraformStateConfig;
  const { core, tfe } = loadTfe();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-hcp-terraform-"));
  try {
    const app = new core.App({ outdir, skipValidation: true });
    const stack = new core.TerraformStack(app, HCP_TERRAFORM_FOLDER);
    // Its own state beside it, until the administrator gives it a backend of their choice.
    new core.LocalBackend(stack, { path: "terraform.tfstate" });
    const provider: TfeProviderConfig = { hostname: state.hostname, organization: state.organization };
    new tfe.TfeProvider(stack, "tfe", provider);
    const projectConfig: DataTfeProjectConfig = { name: state.project, organization: state.organization };
    const project = new tfe.DataTfeProject(stack, "project", projectConfig);
    const ids = new Map<string, string>();
    for (const w of workspaces) {
      const config: WorkspaceConfig = {
        name: w.workspace,
        organization: state.organization,
        projectId: project.id,
        description: `PrivateLink stack ${w.stack} of ${input.config.name}${w.retire ? " (retire stack: apply it, then npm run forget)" : ""}; written by npm run synth`,
        tagNames: ["privatelink", input.config.name.toLowerCase().replace(/[^a-z0-9:_-]/g, "-"), ...(w.retire ? ["retire"] : [])],
        terraformVersion: h.terraformVersion,
        autoApply: h.autoApply,
        autoApplyRunTrigger: h.autoApplyRunTriggers,
        queueAllRuns: false,
        ...(h.vcs
          ? {
              workingDirectory: w.workingDirectory,
              triggerPatterns: [`${w.workingDirectory}/**/*`],
              vcsRepo: {
                identifier: h.vcs.identifier,
                ...(h.vcs.branch ? { branch: h.vcs.branch } : {}),
                ...(h.vcs.oauthTokenId ? { oauthTokenId: h.vcs.oauthTokenId } : { githubAppInstallationId: h.vcs.githubAppInstallationId }),
              },
            }
          : {}),
      };
      const workspace = new tfe.Workspace(stack, `workspace-${w.stack}`, config);
      ids.set(w.stack, workspace.id);
    }
    for (const w of workspaces) {
      const settings: WorkspaceSettingsConfig = {
        workspaceId: ids.get(w.stack)!,
        executionMode: h.executionMode,
        ...(h.agentPoolId ? { agentPoolId: h.agentPoolId } : {}),
        globalRemoteState: false,
        remoteStateConsumerIds: w.readBy.map((r) => ids.get(r)!),
      };
      new tfe.WorkspaceSettings(stack, `settings-${w.stack}`, settings);
      const variable = (key: string, value: string, description: string) => {
        const config: VariableConfig = { workspaceId: ids.get(w.stack)!, key, value, category: "env", description };
        new tfe.Variable(stack, `${w.stack}-${key}`, config);
      };
      variable("TFC_AWS_PROVIDER_AUTH", "true", "dynamic AWS credentials: each run assumes its role through HCP Terraform's OIDC token");
      if (w.planRole === w.applyRole) {
        variable("TFC_AWS_RUN_ROLE_ARN", w.applyRole, `role of account ${w.accountId}, for plans and applies`);
      } else {
        variable("TFC_AWS_PLAN_ROLE_ARN", w.planRole, `read-only role of account ${w.accountId}, for plans`);
        variable("TFC_AWS_APPLY_ROLE_ARN", w.applyRole, `role of account ${w.accountId}, for applies`);
      }
      for (const source of w.triggeredBy) {
        const trigger: RunTriggerConfig = { workspaceId: ids.get(w.stack)!, sourceableId: ids.get(source)! };
        new tfe.RunTrigger(stack, `trigger-${source}-to-${w.stack}`, trigger);
      }
    }
    // The same tfe provider as the stacks that read outputs with tfe_outputs (@cdktf/provider-tfe 12.x is generated from 0.71).
    stack.addOverride("terraform.required_providers.tfe.version", TFE_PROVIDER_VERSION);
    app.synth();
    return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", HCP_TERRAFORM_FOLDER, "cdk.tf.json"), "utf8"));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The workspace set's files, by path under cdktf.out/pipelines/. Throws HcpTerraformError. */
export function hcpTerraformFiles(input: HcpTerraformInput): Record<string, string> {
  const workspaces = hcpWorkspaces(input);
  return {
    [path.posix.join(HCP_TERRAFORM_FOLDER, "main.tf.json")]: `${JSON.stringify(hcpTerraformJson(input, workspaces), null, 2)}\n`,
    [path.posix.join(HCP_TERRAFORM_FOLDER, "workspaces.json")]: `${JSON.stringify(workspaces, null, 2)}\n`,
  };
}

export type { HcpTerraformConfig };
