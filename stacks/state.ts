import * as path from "path";
import { DataTerraformRemoteStateLocal, DataTerraformRemoteStateS3, LocalBackend, S3Backend, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import type { StateConfig } from "../config/schema";

/** Settings every stack needs to place its own state and to read other stacks' state. */
export interface StateSettings {
  readonly state: StateConfig;
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
export function readRemoteState(
  scope: Construct,
  stack: string,
  settings: StateSettings,
  requiredOutputs: string[],
): DataTerraformRemoteStateLocal | DataTerraformRemoteStateS3 {
  const state =
    settings.state.backend === "local"
      ? new DataTerraformRemoteStateLocal(scope, stack, { path: localStatePath(settings.state.directory, stack) })
      : new DataTerraformRemoteStateS3(scope, stack, s3Settings(settings, stack));
  const reader = TerraformStack.of(scope).node.id;
  const wanted = `[${requiredOutputs.map((o) => JSON.stringify(o)).join(", ")}]`;
  state.addOverride("lifecycle.postcondition", [
    {
      condition: `\${length(setsubtract(${wanted}, keys(self.outputs))) == 0}`,
      error_message: `Stack ${reader} reads outputs ${requiredOutputs.join(", ")} from the state of stack ${stack}, which does not have them yet: apply stack ${stack} first (the order is in cdktf.out/manifest.json).`,
    },
  ]);
  return state;
}
