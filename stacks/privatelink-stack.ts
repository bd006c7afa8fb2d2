import { TerraformElement, TerraformOutput, TerraformProvider, TerraformResource, TerraformStack } from "cdktf";
import { deepMerge } from "cdktf/lib/util";
import { Construct } from "constructs";
import { accountProvider } from "./aws-provider";
import { resolveFast } from "../synth/fast/resolve";
import { CollectingSynthesizer } from "../synth/stack-output";
import type { AccountConfig } from "../config/load";
import { StackContext, configureBackend } from "./state";

/**
 * Resource types that retiring a stack forgets instead of destroying: destroying an accepter
 * rejects a live endpoint, and destroying a private DNS switch turns private DNS off.
 */
export const FORGET_ON_RETIRE = ["aws_vpc_endpoint_connection_accepter", "aws_vpc_endpoint_private_dns"];

/**
 * cdktf's deepMerge for a freshly resolved source (holding no tokens and no undefined, shared with
 * nothing): where the target has no object under a key, the source's object is taken as it is
 * instead of being copied key by key into a new one.
 */
function mergeResolved(target: Record<string, unknown>, source: unknown): void {
  if (!plain(source)) return void deepMerge(target, source);
  for (const key of Object.keys(source)) {
    const value = source[key];
    const existing = target[key];
    if (plain(value) && (existing === undefined || typeof existing !== "object")) target[key] = value;
    else if (plain(value) && plain(existing)) mergeResolved(existing, value);
    else deepMerge(target, { [key]: value });
  }
}

function plain(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** A stack of the flow: its own backend and the AWS provider of the account it deploys to. */
export abstract class PrivateLinkStack extends TerraformStack {
  /**
   * Stacks of the flow pass values only through remote state outputs, never through cdktf's
   * cross-stack references, so cdktf's preparing pass (a resolve of every resource, looking for
   * such references to wire up) is skipped: it was a third of the synth time. A value taken from
   * another stack by mistake then shows as an undeclared reference in `terraform validate`,
   * instead of a hidden output and remote state the design does not know.
   */
  override prepareStack(): void {
    this.ensureBackendExists();
  }

  /**
   * The stack's Terraform JSON, as cdktf builds it, with one resolve of each element (by
   * resolveFast, which hands every token to cdktf's resolve) and none of the merged whole: cdktf
   * resolves the merged document a second time although every part of it is already resolved
   * (only the stack's own overrides may still hold tokens, and they are resolved here). The
   * output is byte for byte what cdktf writes (__tests__/synth/fast/shortcuts.test.ts).
   */
  override toTerraform(): any {
    const elements: TerraformElement[] = [];
    const visit = (node: Construct): void => {
      if (TerraformElement.isTerraformElement(node)) elements.push(node);
      for (const child of node.node.children) if (!TerraformStack.isStack(child)) visit(child);
    };
    visit(this);
    // cdktf keeps these two private; they are read as its own toTerraform reads them.
    const { rawOverrides: overrides, cdktfVersion } = this as unknown as { rawOverrides: Record<string, unknown>; cdktfVersion: string };
    const metadata: Record<string, unknown> = {
      version: cdktfVersion,
      stackName: this.node.id,
      backend: "local",
      cloud: undefined,
      ...(Object.keys(overrides).length > 0 ? { overrides: { stack: Object.keys(overrides) } } : {}),
    };
    for (const e of elements) deepMerge(metadata, resolveFast(this, e.toMetadata()));
    const outputs: Record<string, unknown> = {};
    for (const e of elements) {
      if (!TerraformOutput.isTerraformOutput(e)) continue;
      deepMerge(
        outputs,
        e.node.path.split("/").reduceRight<Record<string, unknown>>((inner, part) => ({ [part]: Object.keys(inner).length === 0 ? e.friendlyUniqueId : inner }), {}),
      );
    }
    const tf: Record<string, unknown> = { "//": { metadata, outputs } };
    for (const e of elements) mergeResolved(tf, resolveFast(this, e.toTerraform()));
    deepMerge(tf, resolveFast(this, overrides));
    return tf;
  }

  /** The accounts this stack's providers deploy to: "default", and one per aliased provider. */
  readonly accounts: Record<string, AccountConfig>;

  protected constructor(
    scope: Construct,
    name: string,
    account: AccountConfig,
    protected readonly context: StackContext,
  ) {
    super(scope, name);
    this.synthesizer = new CollectingSynthesizer(this, this.synthesizer);
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

