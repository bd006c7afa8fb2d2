/**
 * The access generator's input: the pipeline settings and what cdktf.out says of the stacks
 * (stack-access.ts), gathered per AWS account: which stacks' jobs run with the account's
 * pipeline roles, which of the config's roles Terraform assumes there, whether it owns the
 * state bucket.
 */
import { GITHUB_APPLY_ROLE_NAME, GITHUB_PLAN_ROLE_NAME } from "./github-roles";
import { sortedUnique } from "./iam-policy";
import { AccountHints, AwsAccessError, StackAccess, arnAccount, readStacks } from "./stack-access";

export const GITHUB_OIDC_ISSUER = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

export type PipelineAccess = "plan" | "apply";
export const PIPELINE_ACCESS: readonly PipelineAccess[] = ["plan", "apply"];

/** What the access needs beyond cdktf.out, whatever the engine that assumes the roles. */
export interface AccessOptions {
  /**
   * Accounts that have the engine's OIDC provider already (an account has at most one per URL):
   * account id -> the provider's ARN, or "existing" to look it up by its URL.
   * @default - the directory of each account creates it
   */
  readonly existingOidcProviders?: Readonly<Record<string, string>>;
  /** The accounts of stacks whose providers assume no role. @default - none: such a stack is an error */
  readonly accounts?: AccountHints;
  /** The account that owns the state bucket. @default - the account of the S3 backend's role, else unknown: no bucket policy */
  readonly stateBucketAccountId?: string;
  /**
   * Whether the bucket owner's directory manages the state bucket's policy. It replaces the
   * bucket's whole policy: turn it off to merge the statements (an output) by hand.
   * @default true
   */
  readonly manageBucketPolicy?: boolean;
}

/** GitHub Actions: the workflow's repository, branch and environment (the config's pipelines.githubActions). */
export interface AwsAccessSettings extends AccessOptions {
  /** The GitHub repository whose workflow assumes the roles, `<owner>/<name>`. */
  readonly repository: string;
  /** The branch applies run from and the scheduled drift check runs on. @default "main" */
  readonly branch?: string;
  /** The GitHub environment of the apply jobs. @default "production" */
  readonly environment?: string;
  /**
   * Whether the scheduled drift check (a plain plan on `branch`, outside any environment) may
   * assume the plan role: its token's subject is `repo:<owner>/<name>:ref:refs/heads/<branch>`.
   * @default true
   */
  readonly driftCheck?: boolean;
  /** @default - GITHUB_PLAN_ROLE_NAME and GITHUB_APPLY_ROLE_NAME */
  readonly roleNames?: { readonly plan?: string; readonly apply?: string };
}

/** The engine that assumes the roles: its OIDC issuer, and the token subjects each role trusts. */
export interface PipelineIdentity {
  /** Terraform name of the OIDC provider in the directories, such as "github". */
  readonly key: string;
  /** For people, such as "GitHub Actions". */
  readonly name: string;
  /** The issuer's host, such as token.actions.githubusercontent.com. */
  readonly issuer: string;
  readonly audience: string;
  readonly roleNames: Readonly<Record<PipelineAccess, string>>;
  /** Subject -> what it is, for the READMEs. */
  readonly subjects: Readonly<Record<string, string>>;
  /** The subjects each role of an account trusts, given the stacks whose jobs run there. */
  subjectsFor(stacks: readonly string[]): Record<PipelineAccess, string[]>;
}

export type OidcProviderChoice = { readonly create: true } | { readonly existingProviderArn: string } | { readonly existingByUrl: true };

/** A role of the config (`roleArn`) that Terraform assumes from the pipeline roles. */
export interface ConfigRoleAccess {
  readonly arn: string;
  /** The pipeline roles that assume it, in any account. */
  readonly assumedBy: readonly string[];
  /** The external ids the providers pass. */
  readonly externalIds: readonly string[];
  /** What assumes it: "<stack>" or "<stack> (<alias>)", or "state of <stacks>" for the S3 backend's role. */
  readonly usedBy: readonly string[];
}

export interface AccountAccess {
  readonly accountId: string;
  readonly partition: string;
  /** The region of the directory's provider: the state bucket's where it owns it, else its first stack's. */
  readonly region: string;
  /** Stacks whose jobs assume this account's pipeline roles; none: no OIDC provider and no pipeline roles here. */
  readonly jobStacks: readonly string[];
  /** @default - none (no jobs here) */
  readonly oidc?: OidcProviderChoice;
  /** The token subjects (`sub`) each pipeline role trusts. */
  readonly subjects: Readonly<Record<PipelineAccess, readonly string[]>>;
  readonly configRoles: readonly ConfigRoleAccess[];
  readonly ownsStateBucket: boolean;
}

export interface StateBucketAccess {
  readonly name: string;
  readonly region: string;
  readonly partition: string;
  /** @default - unknown: no directory writes its policy */
  readonly accountId?: string;
  readonly kmsKeyId?: string;
  /** The role the S3 backend assumes (state.roleArn): the pipeline roles assume it for the state. */
  readonly roleArn?: string;
  readonly manageBucketPolicy: boolean;
}

/** Everything the access directories are made from: the generator's input. */
export interface AwsAccessInput {
  readonly identity: Omit<PipelineIdentity, "subjectsFor">;
  readonly awsProviderVersion?: string;
  readonly stateBucket?: StateBucketAccess;
  readonly stacks: readonly StackAccess[];
  readonly accounts: readonly AccountAccess[];
}

const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

/** GitHub Actions as the engine: its issuer, and the subjects of pull requests, the drift check and the environment. */
export function githubActionsIdentity(settings: AwsAccessSettings): PipelineIdentity {
  const repo = settings.repository;
  if (!REPOSITORY.test(repo)) throw new AwsAccessError(`pipelines.githubActions.repository: received "${repo}"; expected "<owner>/<name>" of one GitHub repository, without wildcards`);
  const branch = settings.branch ?? "main";
  const environment = settings.environment ?? "production";
  for (const [key, value] of [["branch", branch], ["environment", environment]]) {
    if (value.length === 0 || /[*?]/.test(value)) throw new AwsAccessError(`pipelines.githubActions.${key}: received "${value}"; expected a name without wildcards`);
  }
  const pullRequest = `repo:${repo}:pull_request`;
  const drift = `repo:${repo}:ref:refs/heads/${branch}`;
  const apply = `repo:${repo}:environment:${environment}`;
  const driftCheck = settings.driftCheck ?? true;
  return {
    key: "github",
    name: "GitHub Actions",
    issuer: GITHUB_OIDC_ISSUER,
    audience: GITHUB_OIDC_AUDIENCE,
    roleNames: { plan: settings.roleNames?.plan ?? GITHUB_PLAN_ROLE_NAME, apply: settings.roleNames?.apply ?? GITHUB_APPLY_ROLE_NAME },
    subjects: {
      [pullRequest]: "jobs of pull requests (plan)",
      ...(driftCheck ? { [drift]: `jobs on ${branch} outside an environment: the scheduled drift check (plan)` } : {}),
      [apply]: `jobs in the ${environment} environment (apply)`,
    },
    // The same workflow runs every stack: every account trusts the same subjects.
    subjectsFor: () => ({ plan: driftCheck ? [pullRequest, drift] : [pullRequest], apply: [apply] }),
  };
}

/** The ARN of a pipeline role. */
export function pipelineRoleArn(input: Pick<AwsAccessInput, "identity">, account: Pick<AccountAccess, "accountId" | "partition">, access: PipelineAccess): string {
  return `arn:${account.partition}:iam::${account.accountId}:role/${input.identity.roleNames[access]}`;
}

/** The one state bucket of the stacks (S3 backend), or none. */
function stateBucket(stacks: readonly StackAccess[], settings: AccessOptions): StateBucketAccess | undefined {
  const states = stacks.flatMap((s) => (s.state ? [{ stack: s.name, state: s.state, partition: s.partition }] : []));
  if (states.length === 0) return undefined;
  const first = states[0];
  const other = states.find((s) => s.state.bucket !== first.state.bucket || s.state.roleArn !== first.state.roleArn || s.state.kmsKeyId !== first.state.kmsKeyId);
  if (other) throw new AwsAccessError(`stacks ${first.stack} and ${other.stack} keep their state in different buckets or with different settings: one state configuration per config`);
  const roleArn = first.state.roleArn;
  return {
    name: first.state.bucket,
    region: first.state.region,
    partition: first.partition,
    accountId: settings.stateBucketAccountId ?? (roleArn ? arnAccount(roleArn) : undefined),
    ...(first.state.kmsKeyId ? { kmsKeyId: first.state.kmsKeyId } : {}),
    ...(roleArn ? { roleArn } : {}),
    manageBucketPolicy: settings.manageBucketPolicy ?? true,
  };
}

/** Reads a synthesized cdktf.out into the generator's input, for GitHub Actions. */
export function readAwsAccess(outdir: string, settings: AwsAccessSettings): AwsAccessInput {
  return readAccess(outdir, githubActionsIdentity(settings), settings);
}

/** Reads a synthesized cdktf.out into the generator's input, for any engine that assumes roles through OIDC. */
export function readAccess(outdir: string, pipeline: PipelineIdentity, settings: AccessOptions): AwsAccessInput {
  const { subjectsFor, ...identity } = pipeline;
  const { stacks, awsProviderVersion } = readStacks(outdir, settings.accounts);
  const bucket = stateBucket(stacks, settings);

  const partitionOf = new Map<string, string>();
  const regionOf = new Map<string, string>();
  const jobs = new Map<string, string[]>();
  const roles = new Map<string, { assumedBy: Set<string>; externalIds: Set<string>; usedBy: Set<string> }>();
  const pipelineRoles = (accountId: string, partition: string) => PIPELINE_ACCESS.map((a) => pipelineRoleArn({ identity }, { accountId, partition }, a));
  const useRole = (arn: string, by: string[], usedBy: string, externalId?: string) => {
    const role = roles.get(arn) ?? { assumedBy: new Set(), externalIds: new Set(), usedBy: new Set() };
    by.forEach((b) => role.assumedBy.add(b));
    if (externalId) role.externalIds.add(externalId);
    role.usedBy.add(usedBy);
    roles.set(arn, role);
  };
  for (const s of stacks) {
    jobs.set(s.jobAccountId, [...(jobs.get(s.jobAccountId) ?? []), s.name]);
    for (const p of s.providers) {
      if (!partitionOf.has(p.accountId)) partitionOf.set(p.accountId, p.partition);
      if (!regionOf.has(p.accountId) && (p.accountId === s.jobAccountId || p.roleArn)) regionOf.set(p.accountId, p.region);
      if (p.roleArn) useRole(p.roleArn, pipelineRoles(s.jobAccountId, s.partition), p.alias ? `${s.name} (${p.alias})` : s.name, p.externalId);
    }
  }
  if (bucket?.roleArn) {
    for (const [accountId, names] of jobs) useRole(bucket.roleArn, pipelineRoles(accountId, partitionOf.get(accountId)!), `state of ${names.join(", ")}`);
  }
  const accountIds = sortedUnique([...jobs.keys(), ...[...roles.keys()].map((arn) => arnAccount(arn)!), ...(bucket?.accountId ? [bucket.accountId] : [])]);
  const accounts = accountIds.map((accountId): AccountAccess => {
    const ownsStateBucket = bucket?.accountId === accountId;
    const existing = settings.existingOidcProviders?.[accountId];
    const partition = partitionOf.get(accountId) ?? bucket?.partition ?? "aws";
    const providerArn = `arn:${partition}:iam::${accountId}:oidc-provider/${identity.issuer}`;
    if (existing !== undefined && existing !== "existing" && existing !== providerArn) {
      throw new AwsAccessError(`existingOidcProviders["${accountId}"]: received "${existing}"; expected "existing" or the ARN of the account's provider, ${providerArn}`);
    }
    const jobStacks = jobs.get(accountId) ?? [];
    return {
      accountId,
      partition,
      region: (ownsStateBucket ? bucket?.region : undefined) ?? regionOf.get(accountId) ?? bucket!.region,
      jobStacks,
      ...(jobStacks.length > 0 ? { oidc: existing === undefined ? { create: true } : existing === "existing" ? { existingByUrl: true } : { existingProviderArn: existing } } : {}),
      subjects: subjectsFor(jobStacks),
      configRoles: [...roles]
        .filter(([arn]) => arnAccount(arn) === accountId)
        .map(([arn, r]) => ({ arn, assumedBy: sortedUnique(r.assumedBy), externalIds: sortedUnique(r.externalIds), usedBy: [...r.usedBy] }))
        .sort((a, b) => a.arn.localeCompare(b.arn)),
      ownsStateBucket,
    };
  });
  return { identity, ...(awsProviderVersion ? { awsProviderVersion } : {}), ...(bucket ? { stateBucket: bucket } : {}), stacks, accounts };
}
