/**
 * What each synthesized stack needs from AWS, read from cdktf.out alone (manifest.json,
 * deploy-order.json, each stack's cdk.tf.json): the accounts its providers deploy to and the
 * role each assumes, the resource types each manages, its state key and the keys it reads.
 */
import * as fs from "fs";
import * as path from "path";
import { ResourceUse } from "./permissions";

/** Where a stack's state lives (S3 backend), and what other state it reads. */
export interface StackState {
  readonly bucket: string;
  readonly region: string;
  readonly key: string;
  /** S3-native locking: `<key>.tflock` objects. */
  readonly lockfile: boolean;
  readonly dynamodbTable?: string;
  readonly kmsKeyId?: string;
  /** A role the backend assumes for the state (the config's state.roleArn). */
  readonly roleArn?: string;
  /** @default "env:" */
  readonly workspaceKeyPrefix: string;
  /** Keys of the other stacks' state it reads (terraform_remote_state), in the same bucket. */
  readonly reads: readonly string[];
}

/** One AWS provider of a stack: the account it deploys to and what it manages there. */
export interface ProviderAccess {
  /** @default - the stack's default provider */
  readonly alias?: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** The role Terraform assumes for this provider (the config's roleArn). @default - none: the job's own credentials */
  readonly roleArn?: string;
  readonly externalId?: string;
  readonly resources: readonly ResourceUse[];
  readonly dataSources: readonly ResourceUse[];
}

export interface StackAccess {
  readonly name: string;
  /** A retire stack: it destroys what its state holds, of the types its kind can create. */
  readonly retire: boolean;
  /** The account whose pipeline roles the stack's jobs assume: its default provider's. */
  readonly jobAccountId: string;
  readonly partition: string;
  /** @default - none: state that is not in S3 (HCP Terraform keeps its own) */
  readonly state?: StackState;
  readonly providers: readonly ProviderAccess[];
}

/** Accounts of providers that assume no role (they run with the job's credentials). */
export interface AccountHints {
  /** Stack name -> account id. */
  readonly stacks?: Readonly<Record<string, string>>;
  /** Every other stack. */
  readonly default?: string;
}

/** Raised when cdktf.out cannot give the pipeline access: what is wrong and what to change. */
export class AwsAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AwsAccessError";
  }
}

/**
 * Resource types a retire stack may still hold, by stack kind and provider ("default" or an
 * alias): its Terraform JSON has no resources, its state has those of the live stack it was.
 * A test checks that every live stack's types are in its kind's list.
 */
const NETWORK = ["aws_vpc", "aws_subnet", "aws_internet_gateway", "aws_route", "aws_route_table", "aws_route_table_association", "aws_default_security_group", "aws_flow_log", "aws_cloudwatch_log_group", "aws_iam_role", "aws_iam_role_policy"];
const SECURITY_GROUP = ["aws_security_group", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"];
export const STACK_KIND_TYPES: readonly { readonly kind: string; readonly pattern: RegExp; readonly types: Readonly<Record<string, readonly string[]>> }[] = [
  { kind: "consumer private DNS", pattern: /^consumer-.+-private-dns$/, types: { default: ["aws_vpc_endpoint_private_dns"] } },
  { kind: "consumer", pattern: /^consumer-.+$/, types: { default: [...NETWORK, ...SECURITY_GROUP, "aws_vpc_endpoint"] } },
  { kind: "acceptance", pattern: /^acceptance$/, types: { default: ["aws_vpc_endpoint_connection_accepter"] } },
  { kind: "DNS verification", pattern: /^dns-verification$/, types: { default: ["aws_route53_record", "aws_vpc_endpoint_service_private_dns_verification", "terraform_data"], dns: ["aws_route53_record"] } },
  {
    kind: "provider",
    pattern: /^provider$/,
    types: {
      default: [
        ...NETWORK,
        ...SECURITY_GROUP,
        "aws_instance",
        "aws_lb",
        "aws_lb_listener",
        "aws_lb_target_group",
        "aws_lb_target_group_attachment",
        "aws_vpc_endpoint_service",
        "aws_vpc_endpoint_service_allowed_principal",
        "aws_vpc_endpoint_connection_notification",
        "terraform_data",
      ],
    },
  },
];

/** The types a stack of this name can hold, per provider; throws for a name of no known kind. */
export function kindTypes(stack: string): Readonly<Record<string, readonly string[]>> {
  const kind = STACK_KIND_TYPES.find((k) => k.pattern.test(stack));
  if (!kind) throw new AwsAccessError(`retire stack ${stack}: its name is of no stack kind synth/pipelines/stack-access.ts knows (STACK_KIND_TYPES), so the resources its state holds are unknown`);
  return kind.types;
}

/** The account of an IAM ARN (arn:<partition>:iam::<account>:...). */
export function arnAccount(arn: string): string | undefined {
  return /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];
}

export function arnPartition(arn: string): string | undefined {
  return /^arn:([^:]+):/.exec(arn)?.[1];
}

/** The partition of a region: aws-cn for China, aws-us-gov for GovCloud, else aws. */
export function regionPartition(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

type Json = Record<string, any>;

function s3State(name: string, backend: Json | undefined, remote: Json): StackState | undefined {
  if (backend?.local) throw new AwsAccessError(`stack ${name} keeps its state in a local file: a pipeline needs shared state; set state.backend to "s3" in the config`);
  const s3 = backend?.s3;
  if (!s3) return undefined;
  const reads = Object.entries<Json>(remote).map(([reader, r]) => {
    if (r.backend !== "s3") throw new AwsAccessError(`stack ${name} reads the state of ${reader} from a ${r.backend} backend, not from its own S3 bucket`);
    if (r.config.bucket !== s3.bucket) throw new AwsAccessError(`stack ${name} reads the state of ${reader} from bucket ${r.config.bucket}, not from its own (${s3.bucket}): one state bucket per config`);
    return r.config.key as string;
  });
  return {
    bucket: s3.bucket,
    region: s3.region,
    key: s3.key,
    lockfile: s3.use_lockfile === true,
    dynamodbTable: s3.dynamodb_table,
    kmsKeyId: s3.kms_key_id,
    roleArn: s3.assume_role?.role_arn ?? s3.role_arn,
    workspaceKeyPrefix: s3.workspace_key_prefix ?? "env:",
    reads: [...new Set(reads)].sort(),
  };
}

/** Resources or data sources (type -> id -> attributes) by the provider they use: "default" or an alias. */
function byProvider(blocks: Json | undefined): Map<string, ResourceUse[]> {
  const found = new Map<string, ResourceUse[]>();
  for (const [type, instances] of Object.entries<Json>(blocks ?? {})) {
    for (const attributes of Object.values<Json>(instances)) {
      // Terraform's own types (terraform_data, terraform_remote_state) use no AWS provider.
      const key = typeof attributes.provider === "string" && attributes.provider.startsWith("aws.") ? attributes.provider.slice(4) : "default";
      found.set(key, [...(found.get(key) ?? []), { type, attributes, stackResources: blocks ?? {} }]);
    }
  }
  return found;
}

function providerAccess(stack: string, provider: Json, hints: AccountHints, jobAccountId: string | undefined, uses: { resources: ResourceUse[]; dataSources: ResourceUse[] }): ProviderAccess {
  const role = provider.assume_role?.[0];
  const roleArn: string | undefined = role?.role_arn;
  const alias: string | undefined = provider.alias;
  let accountId = roleArn ? arnAccount(roleArn) : (jobAccountId ?? hints.stacks?.[stack] ?? hints.default);
  if (roleArn && !accountId) throw new AwsAccessError(`stack ${stack}: the provider${alias ? ` ${alias}` : ""} assumes ${roleArn}, which is not an IAM role ARN`);
  if (!accountId) {
    throw new AwsAccessError(
      `stack ${stack}: its AWS provider assumes no role, so its account is the credentials' own, which cdktf.out does not name: give the account's id (account.id in the config, or accounts.stacks / accounts.default of the aws-access settings), or a roleArn`,
    );
  }
  accountId = String(accountId);
  return {
    ...(alias ? { alias } : {}),
    accountId,
    region: provider.region,
    partition: (roleArn && arnPartition(roleArn)) ?? regionPartition(provider.region),
    ...(roleArn ? { roleArn } : {}),
    ...(role?.external_id ? { externalId: role.external_id } : {}),
    ...uses,
  };
}

/** One stack's access from its Terraform JSON. */
export function stackAccess(name: string, json: Json, retire: boolean, hints: AccountHints): StackAccess {
  const state = s3State(name, json.terraform?.backend, json.data?.terraform_remote_state ?? {});
  const providers: Json[] = json.provider?.aws ?? [];
  const main = providers.find((p) => !p.alias);
  if (!main) throw new AwsAccessError(`stack ${name} has no default AWS provider`);
  const resources = byProvider(json.resource);
  const data = byProvider(json.data);
  const retired = retire ? kindTypes(name) : undefined;
  const aliases = providers.filter((p) => p.alias).map((p) => p.alias as string);
  const usesOf = (key: string) => {
    if (!retired) return { resources: resources.get(key) ?? [], dataSources: data.get(key) ?? [] };
    // A retire stack's types: its kind's, for this provider; the default provider's list holds
    // every type, less those an alias the stack has manages (the DNS account's record).
    const types = key === "default" ? retired.default.filter((t) => !aliases.some((a) => (retired[a] ?? []).includes(t))) : (retired[key] ?? []);
    return { resources: types.map((type) => ({ type, attributes: {}, stackResources: {} })), dataSources: [] };
  };
  const mainAccess = providerAccess(name, main, hints, undefined, usesOf("default"));
  // A provider that assumes no role runs with the job's credentials: the job account's.
  const others = providers.filter((p) => p.alias).map((p) => providerAccess(name, p, hints, p.assume_role ? undefined : mainAccess.accountId, usesOf(p.alias)));
  const unknown = [...resources.keys(), ...data.keys()].filter((k) => k !== "default" && !aliases.includes(k));
  if (unknown.length > 0) throw new AwsAccessError(`stack ${name} uses AWS provider alias(es) ${unknown.join(", ")} that it does not configure`);
  return {
    name,
    retire,
    jobAccountId: mainAccess.accountId,
    partition: mainAccess.partition,
    state,
    providers: [mainAccess, ...others],
  };
}

/** The synthesized stacks: each stack's Terraform JSON by name, and which of them are retire stacks. */
export interface SynthesizedStacks {
  readonly stacks: Readonly<Record<string, Record<string, any>>>;
  readonly retire: readonly string[];
}

/** The synthesized stacks of a cdktf.out folder: manifest.json, each stack's cdk.tf.json, deploy-order.json's retire stacks. */
export function readSynthesized(outdir: string): SynthesizedStacks {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  const orderFile = path.join(outdir, "deploy-order.json");
  const retire = fs.existsSync(orderFile) ? JSON.parse(fs.readFileSync(orderFile, "utf8")).retire.map((r: { name: string }) => r.name) : [];
  const stacks = Object.fromEntries(Object.entries<Json>(manifest.stacks).map(([name, s]) => [name, JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), "utf8"))]));
  return { stacks, retire };
}

/** What the synthesized stacks say for the pipeline access: every stack (by name), and the AWS provider version they require. */
export interface SynthesizedAccess {
  readonly stacks: StackAccess[];
  /** @default - none found: the access directories then require any version */
  readonly awsProviderVersion?: string;
}

export function readStacks(synthesized: SynthesizedStacks, hints: AccountHints = {}): SynthesizedAccess {
  const names = Object.keys(synthesized.stacks).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const stacks = names.map((name) => stackAccess(name, synthesized.stacks[name], synthesized.retire.includes(name), hints));
  const awsProviderVersion = names.map((name) => synthesized.stacks[name].terraform?.required_providers?.aws?.version).find((v) => v !== undefined);
  return { stacks, ...(awsProviderVersion ? { awsProviderVersion } : {}) };
}
