import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { AccountConfig } from "../config/schema";


/** Services the stacks call, pointed at the emulator in the sandbox. */
export const SANDBOX_SERVICES = ["ec2", "elbv2", "route53", "s3", "sns", "ssm", "sts", "iam", "logs"] as const;

export interface AccountProviderProps {
  readonly account: AccountConfig;
  /** A second provider in the same stack, for another account. @default - the stack's default provider */
  readonly alias?: string;
  readonly tags: Record<string, string>;
  readonly sandboxEndpoint?: string;
  /**
   * The AWS provider version (or constraint) the stack requires.
   * @default - the version the provider classes were generated from (5.100.0 for @cdktf/provider-aws 20.1.0)
   */
  readonly providerVersion?: string;
}

/** The AWS provider of one stack: its account's region and role, default tags, sandbox endpoints. */
export function accountProvider(scope: Construct, props: AccountProviderProps): AwsProvider {
  const { account, tags, sandboxEndpoint, alias, providerVersion } = props;
  const provider = new AwsProvider(scope, alias ? `aws-${alias}` : "aws", {
    alias,
    region: account.region,
    assumeRole: account.roleArn ? [{ roleArn: account.roleArn, externalId: account.externalId, sessionName: "privatelink-as-code" }] : undefined,
    defaultTags: Object.keys(tags).length > 0 ? [{ tags }] : undefined,
    ...(sandboxEndpoint
      ? {
          accessKey: "test",
          secretKey: "test",
          endpoints: [Object.fromEntries(SANDBOX_SERVICES.map((s) => [s, sandboxEndpoint]))],
          s3UsePathStyle: true,
          skipCredentialsValidation: true,
          skipMetadataApiCheck: "true",
          skipRegionValidation: true,
          // Left false on purpose: with it set, security-group references drift on the emulator.
          skipRequestingAccountId: false,
        }
      : {}),
  });
  // required_providers takes the version from the generator's metadata (in JSON and in HCL alike).
  if (providerVersion !== undefined) {
    const generated = provider.terraformGeneratorMetadata;
    Object.assign(provider, { terraformGeneratorMetadata: { ...generated, providerName: generated?.providerName ?? "aws", providerVersion } });
  }
  return provider;
}
