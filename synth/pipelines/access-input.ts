/**
 * The access generator's input: the pipeline settings and what cdktf.out says of the stacks
 * (stack-access.ts), gathered per AWS account: which stacks' jobs run with the account's
 * pipeline roles, which of the config's roles Terraform assumes there, whether it owns the
 * state bucket.
 */
import { GithubRoleKind, GithubRoleNames, githubRoleArn } from "./github-roles";
import { sortedUnique } from "./iam-policy";
import { AccountHints, AwsAccessError, StackAccess, SynthesizedStacks, arnAccount, readStacks, readSynthesized } from "./stack-access";

export const GITHUB_OIDC_ISSUER = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

/** Which of an account's two pipeline roles: plan (read-only) or apply. */
export type PipelineAccess = GithubRoleKind;
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

/**
 * GitHub Actions: the workflow's settings, as the config's `pipelines.githubActions` holds them
 * (the other keys of that section are the workflow's own and are ignored here).
 */
export interface AwsAccessSettings extends AccessOptions, GithubRoleNames {
  /** The GitHub repository whose workflow assumes the roles, `<owner>/<name>`. */
  readonly repository: string;
  /** The branch applies run from and the scheduled drift check runs on. @default "main" */
  readonly branch?: string;
  /** The GitHub environment of the apply jobs. @default "production" */
  readonly environment?: string;
  /**
   * The drift check's schedule; false: none. The drift check (a plain plan on `branch`, outside
   * any environment) assumes the plan role with the subject `repo:<owner>/<name>:ref:refs/heads/<branch>`,
   * which the plan role then trusts too.
   * @default - a schedule: the plan role trusts the drift check
   */
  readonly driftSchedule?: string | false;
  /**
   * Per account id, your own role ARNs instead of the named roles: the account's directory then
   * creates no role of that kind, adds the permissions to yours and outputs the trust policy to give it.
   * @default - the named roles in every account
   */
  readonly roles?: Readonly<Record<string, { readonly plan?: string; readonly apply?: string }>>;
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
  /** Subject -> what it is, for the READMEs. */
  readonly subjects: Readonly<Record<string, string>>;
  /** The subjects each role of an account trusts, given the stacks whose jobs run there. */
  subjectsFor(stacks: readonly string[]): Record<PipelineAccess, string[]>;
  /** The pipeline role of one kind in an account, and whether it is the user's own (not created here). */
  roleOf(accountId: string, partition: string, access: PipelineAccess): PipelineRole;
}

/** One of an account's pipeline roles. */
export interface PipelineRole {
  readonly arn: string;
  /** The user's own role: the directory adds its permissions but neither creates it nor sets its trust. */
  readonly own: boolean;
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
  /** The account's pipeline roles. */
  readonly pipelineRoles: Readonly<Record<PipelineAccess, PipelineRole>>;
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
  readonly identity: Omit<PipelineIdentity, "subjectsFor" | "roleOf">;
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
  const driftCheck = settings.driftSchedule !== false;
  return {
    key: "github",
    name: "GitHub Actions",
    issuer: GITHUB_OIDC_ISSUER,
    audience: GITHUB_OIDC_AUDIENCE,
    subjects: {
      [pullRequest]: "jobs of pull requests (plan)",
      ...(driftCheck ? { [drift]: `jobs on ${branch} outside an environment: the scheduled drift check (plan)` } : {}),
      [apply]: `jobs in the ${environment} environment (apply)`,
    },
    // The same workflow runs every stack: every account trusts the same subjects.
    subjectsFor: () => ({ plan: driftCheck ? [pullRequest, drift] : [pullRequest], apply: [apply] }),
    roleOf: (accountId, partition, access) => {
      const own = settings.roles?.[accountId]?.[access];
      if (own !== undefined && arnAccount(own) !== accountId) {
        throw new AwsAccessError(`pipelines.githubActions.roles.${accountId}.${access}: received "${own}"; expected a role of account ${accountId}, such as arn:${partition}:iam::${accountId}:role/<name>`);
      }
      return own !== undefined ? { arn: own, own: true } : { arn: githubRoleArn(accountId, access, settings, partition), own: false };
    },
  };
}

/** The name of an IAM role from its ARN (arn:<partition>:iam::<account>:role/<path>/<name>). */
export function roleName(arn: string): string {
  return arn.replace(/^.*\//, "");
}

/** The ARN of a pipeline role of an account. */
export function pipelineRoleArn(account: Pick<AccountAccess, "pipelineRoles">, access: PipelineAccess): string {
  return account.pipelineRoles[access].arn;
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

/** Reads the synthesized stacks (a cdktf.out folder, or the stacks in memory) into the generator's input, for GitHub Actions. */
export function readAwsAccess(synthesized: string | SynthesizedStacks, settings: AwsAccessSettings): AwsAccessInput {
  return readAccess(synthesized, githubActionsIdentity(settings), settings);
}

/** Reads the synthesized stacks into the generator's input, for any engine that assumes roles through OIDC. */
export function readAccess(synthesized: string | SynthesizedStacks, pipeline: PipelineIdentity, settings: AccessOptions): AwsAccessInput {
  const { subjectsFor, roleOf, ...identity } = pipeline;
  const { stacks, awsProviderVersion } = readStacks(typeof synthesized === "string" ? readSynthesized(synthesized) : synthesized, settings.accounts);
  const bucket = stateBucket(stacks, settings);

  const partitionOf = new Map<string, string>();
  const regionOf = new Map<string, string>();
  const jobs = new Map<string, string[]>();
  const roles = new Map<string, { assumedBy: Set<string>; externalIds: Set<string>; usedBy: Set<string> }>();
  const pipelineRoles = (accountId: string, partition: string) => PIPELINE_ACCESS.map((a) => roleOf(accountId, partition, a).arn);
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
      pipelineRoles: { plan: roleOf(accountId, partition, "plan"), apply: roleOf(accountId, partition, "apply") },
      configRoles: [...roles]
        .filter(([arn]) => arnAccount(arn) === accountId)
        .map(([arn, r]) => ({ arn, assumedBy: sortedUnique(r.assumedBy), externalIds: sortedUnique(r.externalIds), usedBy: [...r.usedBy] }))
        .sort((a, b) => a.arn.localeCompare(b.arn)),
      ownsStateBucket,
    };
  });
  return { identity, ...(awsProviderVersion ? { awsProviderVersion } : {}), ...(bucket ? { stateBucket: bucket } : {}), stacks, accounts };
}
