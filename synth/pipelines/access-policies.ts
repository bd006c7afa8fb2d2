/**
 * The pipeline access's policies, from the generator's input: the pipeline roles' trust and
 * permissions (permissions.ts's table for the stacks' resources, the state bucket's keys), the
 * state bucket's policy, and the statements the config's own roles need.
 */
import { Grant, POLICY_LIMITS, PolicyDocument, Statement, groupBy, mergeGrants, policyDocument, policySize, sortedUnique } from "./iam-policy";
import { grantsFor, permissionEntry } from "./permissions";
import { AwsAccessError, StackAccess } from "./stack-access";
import { AccountAccess, AwsAccessInput, ConfigRoleAccess, PIPELINE_ACCESS, PipelineAccess, StateBucketAccess, pipelineRoleArn } from "./access-input";

/** What Terraform does with the stacks' own providers (no role assumed): the table's grants; and the config roles it assumes. */
function stackGrants(stacks: readonly StackAccess[], access: PipelineAccess, viaRoles: "assume" | "permissions"): Grant[] {
  return stacks.flatMap((s) =>
    s.providers.flatMap((p): Grant[] => {
      if (p.roleArn && viaRoles === "assume") return [{ actions: ["sts:AssumeRole"], resources: [p.roleArn] }];
      const context = { partition: p.partition, region: p.region, accountId: p.accountId };
      return [
        ...p.resources.flatMap((use) => grantsFor(permissionEntry("resource", use.type, s.name), access, { ...context, use })),
        ...p.dataSources.flatMap((use) => grantsFor(permissionEntry("data source", use.type, s.name), "plan", { ...context, use })),
      ];
    }),
  );
}

/** The account root of an IAM ARN: arn:<partition>:iam::<account>:root. */
const accountRoot = (arn: string) => arn.replace(/:role\/.*$/, ":root");

const objectArn = (bucket: StateBucketAccess, key: string) => `arn:${bucket.partition}:s3:::${bucket.name}/${key}`;

/**
 * The state bucket's grants for the stacks of one account: read of their own keys and of the keys
 * they read; lock files (`<key>.tflock`, S3-native locking) of their own keys for plan and apply
 * alike (a plan locks the state too); writing their own keys for apply only. Listing is limited
 * to those keys (S3 answers a missing key with 404 only to who may list it) and to the workspace
 * prefix `terraform init` lists. Terraform never deletes a state object, so no role may.
 */
export function s3StateGrants(bucket: StateBucketAccess, stacks: readonly StackAccess[], access: PipelineAccess): Grant[] {
  const states = stacks.flatMap((s) => (s.state ? [s.state] : []));
  if (states.length === 0) return [];
  const own = sortedUnique(states.map((s) => s.key));
  const read = sortedUnique(states.flatMap((s) => [s.key, ...s.reads]));
  const locks = sortedUnique(states.filter((s) => s.lockfile).map((s) => `${s.key}.tflock`));
  const workspaces = sortedUnique(states.map((s) => `${s.workspaceKeyPrefix}/`));
  return [
    { actions: ["s3:ListBucket"], resources: [`arn:${bucket.partition}:s3:::${bucket.name}`], condition: { StringEquals: { "s3:prefix": sortedUnique([...read, ...locks, ...workspaces]) } } },
    { actions: ["s3:GetObject"], resources: read.map((k) => objectArn(bucket, k)) },
    ...(access === "apply" ? [{ actions: ["s3:PutObject"], resources: own.map((k) => objectArn(bucket, k)) }] : []),
    ...(locks.length > 0 ? [{ actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], resources: locks.map((k) => objectArn(bucket, k)) }] : []),
  ];
}

/** The state's KMS key (the config takes a key ARN or a key id). */
function kmsGrant(bucket: StateBucketAccess): Grant | undefined {
  const key = bucket.kmsKeyId;
  if (!key) return undefined;
  return { actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [key.startsWith("arn:") ? key : `arn:${bucket.partition}:kms:${bucket.region}:${bucket.accountId ?? "*"}:key/${key}`] };
}

/** Everything the state of one account's stacks needs from one pipeline role. */
function stateGrants(input: AwsAccessInput, stacks: readonly StackAccess[], access: PipelineAccess): Grant[] {
  const bucket = input.stateBucket;
  if (!bucket) return [];
  if (bucket.roleArn) return [{ actions: ["sts:AssumeRole"], resources: [bucket.roleArn] }];
  const kms = kmsGrant(bucket);
  const tables = sortedUnique(stacks.flatMap((s) => (s.state?.dynamodbTable ? [s.state.dynamodbTable] : [])));
  return [
    ...s3StateGrants(bucket, stacks, access),
    ...(kms ? [kms] : []),
    ...(tables.length > 0 ? [{ actions: ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"], resources: tables.map((t) => `arn:${bucket.partition}:dynamodb:${bucket.region}:*:table/${t}`) }] : []),
  ];
}

const stacksOf = (input: AwsAccessInput, account: AccountAccess) => input.stacks.filter((s) => account.jobStacks.includes(s.name));

/** The two inline policies of one pipeline role: what its stacks manage, and their state. */
export function pipelinePolicies(input: AwsAccessInput, account: AccountAccess, access: PipelineAccess): { stacks: PolicyDocument; state: PolicyDocument } {
  const stacks = stacksOf(input, account);
  const policies = { stacks: policyDocument(mergeGrants(stackGrants(stacks, access, "assume"))), state: policyDocument(mergeGrants(stateGrants(input, stacks, access))) };
  const size = policySize(policies.stacks) + policySize(policies.state);
  if (size > POLICY_LIMITS.inlineRolePolicies) {
    throw new AwsAccessError(
      `account ${account.accountId}: the ${access} role's policies would be ${size} characters, over IAM's ${POLICY_LIMITS.inlineRolePolicies} for a role's inline policies: fewer stacks per account, or assume a role per account (roleArn) that holds the permissions`,
    );
  }
  return policies;
}

/** What a config role needs for the providers that assume it: the apply permissions of their resources. */
export function configRolePermissions(input: AwsAccessInput, role: ConfigRoleAccess): PolicyDocument {
  const providers = input.stacks.map((s) => ({ ...s, providers: s.providers.filter((p) => p.roleArn === role.arn) }));
  return policyDocument(mergeGrants(stackGrants(providers, "apply", "permissions")));
}

/** The statement a config role's trust policy needs: the pipeline roles that assume it, whatever account they are in. */
export function configRoleTrustStatement(role: ConfigRoleAccess): Statement {
  const roots = sortedUnique(role.assumedBy.map(accountRoot));
  return {
    Sid: "PrivateLinkPipelineRoles",
    Effect: "Allow",
    // The account as principal and the role in a condition: valid before the role exists.
    Principal: { AWS: roots },
    Action: "sts:AssumeRole",
    Condition: {
      ArnEquals: { "aws:PrincipalArn": [...role.assumedBy] },
      ...(role.externalIds.length > 0 ? { StringEquals: { "sts:ExternalId": role.externalIds.length === 1 ? role.externalIds[0] : [...role.externalIds] } } : {}),
    },
  };
}

/** The pipeline roles of every account with jobs, with the stacks they serve. */
function jobAccounts(input: AwsAccessInput): { account: AccountAccess; stacks: StackAccess[] }[] {
  return input.accounts.filter((a) => a.jobStacks.length > 0).map((account) => ({ account, stacks: stacksOf(input, account) }));
}

/**
 * The state bucket's policy: each pipeline role's S3 grants, whatever account it is in (a
 * statement that several roles need names them all), and no plain HTTP.
 */
export function stateBucketPolicy(input: AwsAccessInput): PolicyDocument {
  const bucket = input.stateBucket;
  if (!bucket) throw new AwsAccessError("no state bucket: the stacks keep no state in S3");
  const bucketArn = `arn:${bucket.partition}:s3:::${bucket.name}`;
  const perRole = jobAccounts(input).flatMap(({ account, stacks }) =>
    PIPELINE_ACCESS.flatMap((access) => mergeGrants(s3StateGrants(bucket, stacks, access)).map((statement) => ({ statement, role: pipelineRoleArn(account, access) }))),
  );
  const grants = [...groupBy(perRole, (r) => JSON.stringify(r.statement)).values()].map((group, i): Statement => {
    const roles = sortedUnique(group.map((g) => g.role));
    return {
      Sid: `PipelineRoles${i + 1}`,
      ...group[0].statement,
      // The account as principal and the role in a condition: valid before the role exists.
      Principal: { AWS: sortedUnique(roles.map(accountRoot)) },
      Condition: { ...group[0].statement.Condition, ArnEquals: { "aws:PrincipalArn": roles } },
    };
  });
  const document = policyDocument([
    ...grants,
    { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
  ]);
  if (policySize(document) > POLICY_LIMITS.bucketPolicy) {
    throw new AwsAccessError(`the state bucket's policy would be ${policySize(document)} characters, over S3's ${POLICY_LIMITS.bucketPolicy}: too many stacks for one bucket`);
  }
  return document;
}

/** The statement the state's KMS key policy needs, for every pipeline role. */
export function kmsKeyStatement(input: AwsAccessInput): Statement {
  const roles = jobAccounts(input).flatMap(({ account }) => PIPELINE_ACCESS.map((a) => pipelineRoleArn(account, a)));
  return {
    Sid: "PrivateLinkPipelineRolesState",
    Effect: "Allow",
    Principal: { AWS: sortedUnique(roles.map(accountRoot)) },
    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
    Resource: "*",
    Condition: { ArnEquals: { "aws:PrincipalArn": roles } },
  };
}


/** The trust policy of a pipeline role: the OIDC provider, this audience, exactly these subjects. */
export function pipelineTrustPolicy(input: AwsAccessInput, account: AccountAccess, access: PipelineAccess, oidcProviderArn: string): PolicyDocument {
  const issuer = input.identity.issuer;
  return policyDocument([
    {
      Sid: access === "plan" ? "PipelinePlan" : "PipelineApply",
      Effect: "Allow",
      Principal: { Federated: oidcProviderArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${issuer}:aud`]: input.identity.audience, [`${issuer}:sub`]: [...account.subjects[access]] } },
    },
  ]);
}
