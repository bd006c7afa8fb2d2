/**
 * HCP Terraform: the stacks' cloud blocks and remote reads, and the workspace set synth writes to
 * cdktf.out/pipelines/hcp-terraform/, checked against the stacks themselves: one workspace per
 * stack, the run triggers equal to the stack dependencies reduced transitively, each state shared
 * only with the stacks that read it, every workspace's roles those of its stack's account.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError, parseConfig } from "../../../config/load";
import { synthesize } from "../../../synth/synth";
import { recordPathFor } from "../../../synth/stack-record";
import { HcpTerraformError, RUN_TRIGGER_SOURCE_LIMIT } from "../../../synth/pipelines/hcp-terraform";
import { tempDirs } from "../../support/synth";
import { consumer, pipelineConfig } from "../../support/pipelines";

const tempDir = tempDirs("pl-hcp-");

/** The pipelines' example (provider in 111…, consumers in 222… and 333…) with HCP Terraform state and the workspace set. */
function hcpConfig(): Record<string, any> {
  const c = pipelineConfig();
  c.state = { backend: "hcp-terraform", organization: "acme", project: "privatelink" };
  c.service.endpointService.allowedPrincipals.push("arn:aws:iam::555555555555:root");
  c.pipelines = { hcpTerraform: {} };
  return c;
}

/** Synthesizes into a project folder (config file, stack record, cdktf.out); returns the folder. */
function synth(config: unknown, dir = tempDir()): string {
  const configFile = path.join(dir, "privatelink.config.json");
  synthesize(parseConfig(config), path.join(dir, "cdktf.out"), { configFile, recordFile: recordPathFor(configFile) });
  return dir;
}

const stackJson = (dir: string, stack: string) => JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8"));
const workspaceSet = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out", "pipelines", "hcp-terraform", "main.tf.json"), "utf8"));
const stacksOf = (dir: string) => fs.readdirSync(path.join(dir, "cdktf.out", "stacks")).sort();
/** `${tfe_workspace.workspace-<stack>.id}` -> <stack> */
const stackOfRef = (ref: string) => /^\$\{tfe_workspace\.workspace-(.+)\.id\}$/.exec(ref)![1];

describe("stacks with HCP Terraform state", () => {
  const dir = synth(hcpConfig());

  test("every stack has a cloud block naming its own workspace, <name>-<stack>, in the project", () => {
    for (const stack of stacksOf(dir)) {
      const json = stackJson(dir, stack);
      expect({ stack, cloud: json.terraform.cloud, backend: json.terraform.backend }).toEqual({
        stack,
        cloud: { hostname: "app.terraform.io", organization: "acme", workspaces: { name: `demo-${stack}`, project: "privatelink" } },
        backend: undefined,
      });
    }
  });

  test("a stack reads another's outputs with terraform_remote_state and the remote backend, from that stack's workspace", () => {
    const reads = stackJson(dir, "acceptance").data.terraform_remote_state;
    expect(Object.keys(reads).sort()).toEqual(["consumer-app", "consumer-reports", "provider"]);
    expect(reads.provider).toMatchObject({ backend: "remote", config: { hostname: "app.terraform.io", organization: "acme", workspaces: { name: "demo-provider" } } });
    expect(reads.provider.lifecycle.postcondition[0].error_message).toMatch(/apply stack provider first/);
  });

  test("with readOutputsWith tfe_outputs: the tfe provider's tfe_outputs data source and its provider on the same host", () => {
    const c = hcpConfig();
    c.state = { ...c.state, workspacePrefix: "pl-", hostname: "tfe.example.com", readOutputsWith: "tfe_outputs" };
    const json = stackJson(synth(c), "consumer-app");
    expect(json.data.terraform_remote_state).toBeUndefined();
    expect(json.data.tfe_outputs.provider).toMatchObject({ organization: "acme", workspace: "pl-provider" });
    expect(json.data.tfe_outputs.provider.lifecycle.postcondition[0].condition).toBe('${length(setsubtract(["service_name"], keys(self.nonsensitive_values))) == 0}');
    expect(json.provider.tfe).toEqual([{ hostname: "tfe.example.com" }]);
    expect(json.terraform.required_providers.tfe).toEqual({ source: "hashicorp/tfe", version: "~> 0.71" });
    expect(json.data.aws_vpc_endpoint_service.Endpoint_Service_26239C64.service_name).toBe("${data.tfe_outputs.provider.nonsensitive_values.service_name}");
  });
});

describe("the workspace set", () => {
  const dir = synth(hcpConfig());
  const set = workspaceSet(dir);
  const order = JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out", "deploy-order.json"), "utf8"));
  const workspaces = set.resource.tfe_workspace as Record<string, any>;

  test("one workspace per stack, named as the stack's cloud block names it, in the project", () => {
    expect(Object.keys(workspaces).map((k) => k.replace(/^workspace-/, "")).sort()).toEqual(stacksOf(dir));
    for (const stack of stacksOf(dir)) expect({ stack, name: workspaces[`workspace-${stack}`].name }).toEqual({ stack, name: stackJson(dir, stack).terraform.cloud.workspaces.name });
    expect(Object.values(workspaces).map((w) => w.project_id)).toEqual(Object.keys(workspaces).map(() => "${data.tfe_project.project.id}"));
    expect(set.data.tfe_project.project).toMatchObject({ name: "privatelink", organization: "acme" });
    expect(set.terraform.required_providers.tfe).toEqual({ source: "hashicorp/tfe", version: "~> 0.71" });
    expect(set.terraform.backend).toEqual({ local: { path: "terraform.tfstate" } });
  });

  test("the run triggers are the stack dependencies with every edge another path implies removed", () => {
    // Reduced independently: u -> v stays unless v reaches u through another dependency.
    const deps: Record<string, string[]> = Object.fromEntries(order.apply.map((s: any) => [s.name, s.dependsOn]));
    const reaches = (from: string, to: string): boolean => deps[from].some((d) => d === to || reaches(d, to));
    const expected = Object.entries(deps)
      .flatMap(([v, us]) => us.filter((u) => !us.some((w) => w !== u && reaches(w, u))).map((u) => `${u} -> ${v}`))
      .sort();
    const triggers = Object.values(set.resource.tfe_run_trigger as Record<string, any>).map((t) => `${stackOfRef(t.sourceable_id)} -> ${stackOfRef(t.workspace_id)}`).sort();
    expect(triggers).toEqual(expected);
    // acceptance reads provider too, but waits for it through the consumers: no trigger from provider
    expect(deps.acceptance).toContain("provider");
    expect(triggers).not.toContain("provider -> acceptance");
  });

  test("each state is shared only with the workspaces whose stacks read it, never globally", () => {
    const settings = set.resource.tfe_workspace_settings as Record<string, any>;
    for (const stack of stacksOf(dir)) {
      const readers = stacksOf(dir).filter((r) => Object.keys(stackJson(dir, r).data?.terraform_remote_state ?? {}).includes(stack));
      const s = settings[`settings-${stack}`];
      expect({ stack, global: s.global_remote_state, shared: s.remote_state_consumer_ids.map(stackOfRef).sort() }).toEqual({ stack, global: false, shared: readers.sort() });
    }
  });

  test("each workspace assumes the plan and apply roles of its stack's account through dynamic credentials", () => {
    const accountOf: Record<string, string> = { provider: "111111111111", "dns-verification": "111111111111", acceptance: "111111111111", "consumer-app": "222222222222", "consumer-app-private-dns": "222222222222", "consumer-reports": "333333333333" };
    const variables = Object.values(set.resource.tfe_variable as Record<string, any>);
    for (const stack of stacksOf(dir)) {
      const of = Object.fromEntries(variables.filter((v) => v.workspace_id === `\${tfe_workspace.workspace-${stack}.id}`).map((v) => [v.key, { value: v.value, category: v.category }]));
      expect({ stack, of }).toEqual({
        stack,
        of: {
          TFC_AWS_PROVIDER_AUTH: { value: "true", category: "env" },
          TFC_AWS_PLAN_ROLE_ARN: { value: `arn:aws:iam::${accountOf[stack]}:role/privatelink-hcp-plan`, category: "env" },
          TFC_AWS_APPLY_ROLE_ARN: { value: `arn:aws:iam::${accountOf[stack]}:role/privatelink-hcp-apply`, category: "env" },
        },
      });
    }
  });

  test("one role of the team's own for plans and applies: TFC_AWS_RUN_ROLE_ARN alone", () => {
    const c = hcpConfig();
    const own = "arn:aws:iam::222222222222:role/hcp-terraform";
    c.pipelines.hcpTerraform = { roles: { "222222222222": { plan: own, apply: own } } };
    const variables = Object.values(workspaceSet(synth(c)).resource.tfe_variable as Record<string, any>).filter((v) => v.workspace_id === "${tfe_workspace.workspace-consumer-app.id}");
    expect(Object.fromEntries(variables.map((v) => [v.key, v.value]))).toEqual({ TFC_AWS_PROVIDER_AUTH: "true", TFC_AWS_RUN_ROLE_ARN: own });
  });

  test("VCS-driven, agent execution and auto-apply of triggered runs, as configured", () => {
    const c = hcpConfig();
    c.pipelines.hcpTerraform = { vcs: { identifier: "acme/infra", branch: "main", githubAppInstallationId: "ghain-abc123", projectDirectory: "privatelink" }, executionMode: "agent", agentPoolId: "apool-xyz789", autoApplyRunTriggers: true };
    const other = workspaceSet(synth(c));
    expect(other.resource.tfe_workspace["workspace-consumer-app"]).toMatchObject({
      working_directory: "privatelink/cdktf.out/stacks/consumer-app",
      trigger_patterns: ["privatelink/cdktf.out/stacks/consumer-app/**/*"],
      vcs_repo: { identifier: "acme/infra", branch: "main", github_app_installation_id: "ghain-abc123" },
      auto_apply: false,
      auto_apply_run_trigger: true,
    });
    expect(other.resource.tfe_workspace_settings["settings-consumer-app"]).toMatchObject({ execution_mode: "agent", agent_pool_id: "apool-xyz789" });
    // CLI-driven by default: no VCS connection, no working directory
    expect(workspaces["workspace-consumer-app"].vcs_repo).toBeUndefined();
    expect(workspaces["workspace-consumer-app"].working_directory).toBeUndefined();
  });

  test("a consumer that leaves keeps its workspace, tagged retire, with no trigger and no reader", () => {
    const c = hcpConfig();
    const project = synth(c);
    c.consumers = c.consumers.filter((x: any) => x.name !== "reports");
    synth(c, project);
    const after = workspaceSet(project);
    expect(after.resource.tfe_workspace["workspace-consumer-reports"]).toMatchObject({ name: "demo-consumer-reports", tag_names: ["privatelink", "demo", "retire"] });
    expect(Object.values(after.resource.tfe_run_trigger as Record<string, any>).filter((t) => [t.workspace_id, t.sourceable_id].includes("${tfe_workspace.workspace-consumer-reports.id}"))).toEqual([]);
    expect(after.resource.tfe_workspace_settings["settings-consumer-reports"].remote_state_consumer_ids).toEqual([]);
  });

  test(`more than ${RUN_TRIGGER_SOURCE_LIMIT} run trigger sources for one workspace: refused, naming it`, () => {
    const c = hcpConfig();
    for (let i = 0; i < RUN_TRIGGER_SOURCE_LIMIT; i++) c.consumers.push({ ...consumer(`c${i}`, "444444444444", `10.${10 + i}.0.0/16`), privateDns: false });
    expect(() => synth(c)).toThrow(HcpTerraformError);
    expect(() => synth(c)).toThrow(/consumers: received "22 run trigger sources for workspace demo-acceptance"; expected at most 20: HCP Terraform starts a workspace's runs from at most 20 other workspaces/);
  });
});

describe("config checks", () => {
  const problems = (mutate: (c: Record<string, any>) => void): string => {
    const c = hcpConfig();
    mutate(c);
    try {
      parseConfig(c);
    } catch (e) {
      if (e instanceof ConfigError) return e.message;
      throw e;
    }
    return "";
  };

  test("names HCP Terraform accepts, every problem at once", () => {
    const message = problems((c) => (c.state = { backend: "hcp-terraform", organization: "acme corp", project: "pl", hostname: "https://app.terraform.io", workspacePrefix: "a/b" }));
    expect(message).toContain('state.organization: received "acme corp"; expected an HCP Terraform organization name');
    expect(message).toContain('state.project: received "pl"; expected an HCP Terraform project name: 3 to 40');
    expect(message).toContain('state.hostname: received "https://app.terraform.io"; expected a host name such as app.terraform.io');
    expect(message).toContain('state.workspacePrefix: received "a/b"; expected a workspace name prefix of letters, digits, - and _');
  });

  test("the workspace set needs HCP Terraform state; the GitHub workflow needs S3 state; VCS needs one connection; agents need a pool", () => {
    expect(problems((c) => (c.state = { backend: "s3", bucket: "tf-state", region: "us-west-2" }))).toContain('state.backend: received "s3"; expected "hcp-terraform" (with organization and project)');
    expect(problems((c) => (c.pipelines.githubActions = { repository: "acme/privatelink" }))).toContain('state.backend: received "hcp-terraform"; expected "s3" (with bucket and region): pipelines.githubActions runs terraform on GitHub\'s runners');
    expect(problems((c) => (c.pipelines.hcpTerraform = { vcs: { identifier: "acme/infra" } }))).toContain("pipelines.hcpTerraform.vcs: received");
    expect(problems((c) => (c.pipelines.hcpTerraform = { executionMode: "agent" }))).toContain('pipelines.hcpTerraform.agentPoolId: received nothing; expected the agent pool (apool-...)');
    expect(problems((c) => (c.pipelines.hcpTerraform = { agentPoolId: "apool-abc" }))).toContain('pipelines.hcpTerraform.executionMode: received "remote"; expected "agent"');
  });

  test("every stack's account must be known: the workspace's roles are in it", () => {
    expect(problems((c) => (c.consumers[0].account = { region: "us-west-2" }))).toContain("consumers[0].account.id: received nothing; expected the 12-digit id of the account (or a roleArn in it): every workspace's runs assume a role");
  });

  test("not in the sandbox: the emulator has no workspaces", () => {
    expect(problems((c) => (c.sandbox = { endpoint: "http://127.0.0.1:4566" }))).toContain('state.backend: received "hcp-terraform"; expected "local" or "s3": the sandbox keeps state');
  });
});
