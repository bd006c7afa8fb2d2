import * as path from "path";
import { CloudBackend, DataTerraformRemoteStateLocal, DataTerraformRemoteState, DataTerraformRemoteStateS3, LocalBackend, NamedCloudWorkspace, NamedRemoteWorkspace, S3Backend, TerraformDataSource, TerraformProvider, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import type { HcpTerraformStateConfig, StateConfig } from "../config/schema";

/** Settings every stack needs to place its own state and to read other stacks' state. */
export interface StateSettings {
  readonly state: StateConfig;
  /** The config's name: the default prefix of HCP Terraform workspace names. */
  readonly configName: string;
  /** Local emulator endpoint, for the S3 backend in the sandbox. */
  readonly sandboxEndpoint?: string;
}

/**
 * Local state path as seen from a stack's working directory (cdktf.out/stacks/<stack>):
 * relative, so cdktf.out can be moved to another machine or pipeline with the state folder.
 */
export function localStatePath(directory: string, stack: string): string {
  return path.posix.join("..", "..", "..", directory.split(path.sep).join("/"), `${stack}.tfstate`);
}

export function s3StateKey(keyPrefix: string, stack: string): string {
  return `${keyPrefix}${stack}.tfstate`;
}

/** A stack's HCP Terraform workspace: <workspacePrefix><stack>, the prefix by default the config's name and a dash. */
export function workspaceName(state: HcpTerraformStateConfig, configName: string, stack: string): string {
  return `${state.workspacePrefix ?? `${configName}-`}${stack}`;
}

/** The tfe provider version the stacks that read outputs with tfe_outputs require. */
export const TFE_PROVIDER_VERSION = "~> 0.71";

function s3Settings(settings: StateSettings, stack: string) {
  const s = settings.state;
  if (s.backend !== "s3") throw new Error("not an S3 state config");
  const sandbox = settings.sandboxEndpoint;
  return {
    bucket: s.bucket,
    key: s3StateKey(s.keyPrefix, stack),
    region: s.region,
    encrypt: true,
    kmsKeyId: s.kmsKeyId,
    assumeRole: s.roleArn ? { roleArn: s.roleArn } : undefined,
    ...(sandbox
      ? {
          endpoints: { s3: sandbox, sts: sandbox, iam: sandbox },
          usePathStyle: true,
          accessKey: "test",
          secretKey: "test",
          skipCredentialsValidation: true,
          skipRegionValidation: true,
          skipRequestingAccountId: true,
          skipMetadataApiCheck: true,
        }
      : {}),
  };
}

/** What every stack of one config shares: state settings, default tags, sandbox endpoint. */
export interface StackContext extends StateSettings {
  /** Default tags of every AWS provider. */
  readonly tags: Record<string, string>;
  /** The AWS provider version every stack requires. @default - the provider classes' own */
  readonly awsProviderVersion?: string;
}

/** Gives a stack its own backend: a local file under the state directory, or an S3 key. */
export function configureBackend(stack: TerraformStack, name: string, settings: StateSettings): void {
  if (settings.state.backend === "local") {
    new LocalBackend(stack, { path: localStatePath(settings.state.directory, name) });
    return;
  }
  if (settings.state.backend === "hcp-terraform") {
    const s = settings.state;
    new CloudBackend(stack, { organization: s.organization, hostname: s.hostname, workspaces: new NamedCloudWorkspace(workspaceName(s, settings.configName, name), s.project) });
    return;
  }
  new S3Backend(stack, s3Settings(settings, name));
  // S3-native locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no property for it yet.
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}

/**
 * Reads another stack's outputs from the same backend settings that stack writes with, as
 * data.terraform_remote_state.<stack name> so Terraform's own errors name the stack. A
 * postcondition names the outputs this stack needs, so applying out of order fails with a
 * message that says which stack to apply first, not with a missing attribute.
 */
export function readRemoteState(scope: Construct, stack: string, settings: StateSettings, requiredOutputs: string[]): RemoteOutputs {
  const s = settings.state;
  const reader = TerraformStack.of(scope).node.id;
  const wanted = `[${requiredOutputs.map((o) => JSON.stringify(o)).join(", ")}]`;
  const postcondition = (outputs: string) => [
    {
      condition: `\${length(setsubtract(${wanted}, keys(self.${outputs}))) == 0}`,
      error_message: `Stack ${reader} reads outputs ${requiredOutputs.join(", ")} from the state of stack ${stack}, which does not have them yet: apply stack ${stack} first (the order is in cdktf.out/manifest.json).`,
    },
  ];
  if (s.backend === "hcp-terraform" && s.readOutputsWith === "tfe_outputs") {
    tfeProviderOf(TerraformStack.of(scope), s);
    const outputs = new TerraformDataSource(scope, stack, { terraformResourceType: "tfe_outputs", terraformGeneratorMetadata: { providerName: "tfe", providerVersionConstraint: TFE_PROVIDER_VERSION } });
    outputs.addOverride("organization", s.organization);
    outputs.addOverride("workspace", workspaceName(s, settings.configName, stack));
    outputs.addOverride("lifecycle.postcondition", postcondition("nonsensitive_values"));
    return { getString: (output) => outputs.getStringAttribute(`nonsensitive_values.${output}`) };
  }
  const state =
    s.backend === "local"
      ? new DataTerraformRemoteStateLocal(scope, stack, { path: localStatePath(s.directory, stack) })
      : s.backend === "hcp-terraform"
        ? new DataTerraformRemoteState(scope, stack, { organization: s.organization, hostname: s.hostname, workspaces: new NamedRemoteWorkspace(workspaceName(s, settings.configName, stack)) })
        : new DataTerraformRemoteStateS3(scope, stack, s3Settings(settings, stack));
  state.addOverride("lifecycle.postcondition", postcondition("outputs"));
  return state;
}

/** Another stack's outputs, as a stack reads them. */
export interface RemoteOutputs {
  getString(output: string): string;
}

/** The tfe provider of a stack that reads outputs with tfe_outputs: one per stack, on the organization's host. */
class TfeProvider extends TerraformProvider {
  constructor(
    scope: Construct,
    private readonly hostname: string,
  ) {
    super(scope, "tfe", { terraformResourceType: "tfe", terraformGeneratorMetadata: { providerName: "tfe", providerVersionConstraint: TFE_PROVIDER_VERSION }, terraformProviderSource: "hashicorp/tfe" });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { hostname: this.hostname };
  }
}

function tfeProviderOf(stack: TerraformStack, s: HcpTerraformStateConfig): void {
  if (!stack.node.tryFindChild("tfe")) new TfeProvider(stack, s.hostname);
}
