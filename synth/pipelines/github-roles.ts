/**
 * The IAM roles the GitHub Actions workflow assumes through OIDC: one pair in every account a
 * stack deploys to. The plan role (read-only) serves pull requests and the scheduled drift check,
 * the apply role only the jobs in the GitHub environment. `cdktf.out/pipelines/aws-access/`
 * creates both; the workflow names them. Both sides take the names from here.
 */

/** Which of the two roles: plan (read-only) or apply. */
export type GithubRoleKind = "plan" | "apply";

/** Name of the read-only role the plan and drift jobs assume in each account. */
export const DEFAULT_PLAN_ROLE_NAME = "privatelink-github-plan";

/** Name of the role the apply jobs (in the GitHub environment) assume in each account. */
export const DEFAULT_APPLY_ROLE_NAME = "privatelink-github-apply";

/** The role names a config may choose instead of the defaults (pipelines.githubActions). */
export interface GithubRoleNames {
  /** @default "privatelink-github-plan" */
  readonly planRoleName?: string;
  /** @default "privatelink-github-apply" */
  readonly applyRoleName?: string;
}

/** The name of one of the two roles. */
export function githubRoleName(kind: GithubRoleKind, names: GithubRoleNames = {}): string {
  return kind === "plan" ? (names.planRoleName ?? DEFAULT_PLAN_ROLE_NAME) : (names.applyRoleName ?? DEFAULT_APPLY_ROLE_NAME);
}

/**
 * The ARN of the plan or apply role in an account:
 * `arn:aws:iam::<account-id>:role/privatelink-github-plan` (or `-apply`), unless `names` says otherwise.
 */
export function githubRoleArn(accountId: string, kind: GithubRoleKind, names: GithubRoleNames = {}, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:role/${githubRoleName(kind, names)}`;
}

/** An account as the config (or the stack record) gives it. */
export interface KnownAccount {
  readonly id?: string;
  readonly roleArn?: string;
}

/** The 12-digit id of an account: its `id`, else the account of its `roleArn`; undefined when neither says. */
export function accountIdOf(account: KnownAccount): string | undefined {
  if (account.id !== undefined && /^\d{12}$/.test(account.id)) return account.id;
  return /^arn:aws[a-z-]*:iam::(\d{12}):role\//.exec(account.roleArn ?? "")?.[1];
}

/** The partition of an account (aws, aws-cn, aws-us-gov), read from its roleArn; "aws" by default. */
export function partitionOf(account: KnownAccount): string {
  return /^arn:(aws[a-z-]*):/.exec(account.roleArn ?? "")?.[1] ?? "aws";
}
