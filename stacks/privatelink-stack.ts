import { TerraformOutput, TerraformProvider, TerraformResource, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { accountProvider } from "./aws-provider";
import type { AccountConfig } from "../config/schema";
import { StackContext, configureBackend } from "./state";

/**
 * Resource types that retiring a stack forgets instead of destroying: destroying an accepter
 * rejects a live endpoint, and destroying a private DNS switch turns private DNS off.
 */
export const FORGET_ON_RETIRE = ["aws_vpc_endpoint_connection_accepter", "aws_vpc_endpoint_private_dns"];

/** A stack of the flow: its own backend and the AWS provider of the account it deploys to. */
export abstract class PrivateLinkStack extends TerraformStack {
  /** The accounts this stack's providers deploy to: "default", and one per aliased provider. */
  readonly accounts: Record<string, AccountConfig>;

  protected constructor(
    scope: Construct,
    name: string,
    account: AccountConfig,
    protected readonly context: StackContext,
  ) {
    super(scope, name);
    configureBackend(this, name, context);
    this.accounts = {};
    this.providerFor(account);
  }

  /** A second AWS provider in this stack, for another account (such as the DNS account). */
  protected aliasedProvider(alias: string, account: AccountConfig): TerraformProvider {
    return this.providerFor(account, alias);
  }

  /** The AWS provider of one account, recorded in `accounts` ("default" without an alias). */
  private providerFor(account: AccountConfig, alias?: string): TerraformProvider {
    this.accounts[alias ?? "default"] = account;
    const { tags, sandboxEndpoint, awsProviderVersion: providerVersion } = this.context;
    return accountProvider(this, { account, alias, tags, sandboxEndpoint, providerVersion });
  }

  /** Addresses of this stack's resources that retiring it must forget, not destroy. */
  forgetOnRetire(): string[] {
    return this.node
      .findAll()
      .filter((c): c is TerraformResource => TerraformResource.isTerraformResource(c) && FORGET_ON_RETIRE.includes(c.terraformResourceType))
      .map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`);
  }

  /** Terraform outputs under their contract names. */
  protected output(values: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(values)) new TerraformOutput(this, name, { value });
  }
}

