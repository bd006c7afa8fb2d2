import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { accountProvider } from "./aws-provider";
import type { AccountConfig } from "./config";
import { StackContext, configureBackend } from "./state";

/** A stack of the flow: its own backend and the AWS provider of the account it deploys to. */
export abstract class PrivateLinkStack extends TerraformStack {
  protected constructor(scope: Construct, name: string, account: AccountConfig, context: StackContext) {
    super(scope, name);
    configureBackend(this, name, context);
    accountProvider(this, { account, tags: context.tags, sandboxEndpoint: context.sandboxEndpoint });
  }

  /** Terraform outputs under their contract names. */
  protected output(values: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(values)) new TerraformOutput(this, name, { value });
  }
}
