/** The READMEs of the access folder: what each directory creates, how to apply it, which role trusts which. */
import { AccountAccess, AwsAccessInput, PIPELINE_ACCESS, pipelineRoleArn, roleName } from "./access-input";

const code = (text: string) => `\`${text}\``;

function oidcLine(input: AwsAccessInput, account: AccountAccess): string {
  const oidc = account.oidc;
  if (!oidc) return "none (no stack's jobs run with this account's roles)";
  if ("create" in oidc) return `created: ${code(`https://${input.identity.issuer}`)}, audience ${code(input.identity.audience)}`;
  return "existingProviderArn" in oidc ? `the existing ${code(oidc.existingProviderArn)}` : `the existing one for ${code(`https://${input.identity.issuer}`)} (looked up)`;
}

const APPLY_STEPS = (folder: string) => [
  "Apply it once, as an administrator of the account, from a copy outside cdktf.out (synth rewrites cdktf.out, and this",
  "directory keeps its Terraform state in a local file unless you add a backend):",
  "",
  "```sh",
  `cp -r cdktf.out/pipelines/aws-access/${folder} infra/aws-access/${folder}`,
  `cd infra/aws-access/${folder} && terraform init && terraform apply`,
  "```",
];

/** The README of one account's directory. */
export function accessReadme(input: AwsAccessInput, account: AccountAccess): string {
  const lines = [
    `# ${input.identity.name} access to account ${account.accountId}`,
    "",
    "Written by synth from cdktf.out. Do not edit: change the config and synthesize again.",
    "",
    ...APPLY_STEPS(account.accountId),
    "",
    "The provider refuses any other account (`allowed_account_ids`).",
    "",
    "## What it creates",
    "",
    `- OIDC provider: ${oidcLine(input, account)}.`,
  ];
  if (account.jobStacks.length > 0) {
    for (const access of PIPELINE_ACCESS) {
      const subjects = account.subjects[access].map((s) => `${code(s)} (${input.identity.subjects[s] ?? access})`).join(", ");
      lines.push(`- ${code(pipelineRoleArn(account, access))}: trusted for the audience ${code(input.identity.audience)} and the subjects ${subjects}, nothing else (StringEquals).`);
    }
    lines.push(`  Their jobs run the stacks ${account.jobStacks.map(code).join(", ")}. The plan role only reads; the apply role may also change what those stacks manage, and write their state.`);
  }
  const bucket = input.stateBucket;
  if (account.ownsStateBucket && bucket && !bucket.roleArn) {
    lines.push(
      bucket.manageBucketPolicy
        ? `- The policy of the state bucket ${code(bucket.name)} (${code("aws_s3_bucket_policy.state")}): it **replaces the bucket's whole policy**. Merge any statement of your own into it before applying. It grants each pipeline role, in every account, exactly its keys, and denies plain HTTP.`
        : `- Nothing on the state bucket ${code(bucket.name)}: the output ${code("state_bucket_policy")} holds the statements to merge into its policy.`,
    );
    if (bucket.kmsKeyId) lines.push(`- The output ${code("state_kms_key_policy_statement")}: add it to the policy of the state's KMS key ${code(bucket.kmsKeyId)}.`);
  }
  if (account.configRoles.length > 0) {
    lines.push(
      "",
      "## The config's roles in this account",
      "",
      "Terraform assumes these roles (the config's `roleArn`s) from the pipeline roles. Their trust policies are yours: add the statement of",
      `the output ${code("config_role_trust_statements")} to each (the account as principal, the pipeline roles in a condition, so the order of applying does not matter).`,
      `The output ${code("config_role_permissions")} says what each needs for the stacks that assume it.`,
      "",
      "| role | assumed by | for |",
      "|---|---|---|",
      ...account.configRoles.map((r) => `| ${code(r.arn)} | ${r.assumedBy.map(code).join("<br>")} | ${r.usedBy.join(", ")} |`),
      "",
      "A plan job assumes the same role as an apply job: pull-request plans run with the role's rights. Where jobs run in this account, leave",
      "its `roleArn` out of the config (give `account.id`) for read-only plans: the pipeline roles then hold the permissions themselves.",
      "A role reached from another account's jobs (such as the DNS account's) stays shared by plans and applies.",
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The README of the access folder: every account, and how the roles fit together. */
export function indexReadme(input: AwsAccessInput): string {
  const bucket = input.stateBucket;
  const rows = input.accounts.map((a) =>
    [
      code(a.accountId),
      a.oidc ? ("create" in a.oidc ? "created" : "existing") : "-",
      a.jobStacks.length > 0 ? PIPELINE_ACCESS.map((access) => code(roleName(pipelineRoleArn(a, access)))).join(", ") : "-",
      a.jobStacks.join(", ") || "-",
      a.configRoles.map((r) => code(r.arn.replace(/^.*:role\//, ""))).join(", ") || "-",
      a.ownsStateBucket ? (bucket?.manageBucketPolicy && !bucket.roleArn ? "owner: bucket policy" : "owner") : "-",
    ].join(" | "),
  );
  return [
    `# ${input.identity.name}: the access it needs, per AWS account`,
    "",
    "Written by synth from cdktf.out. Each folder is a plain Terraform working directory for one account; see its README.md.",
    "",
    ...APPLY_STEPS("<account-id>"),
    "",
    "| account | OIDC provider | pipeline roles | stacks whose jobs assume them | config roles trusting them | state bucket |",
    "|---|---|---|---|---|---|",
    ...rows.map((r) => `| ${r} |`),
    "",
    "Which role trusts which:",
    "",
    `1. ${input.identity.name} presents a token from ${code(input.identity.issuer)}; the account's OIDC provider checks it.`,
    `2. The plan role trusts the subjects ${Object.entries(input.identity.subjects)
      .filter(([s]) => input.accounts.some((a) => a.subjects.plan.includes(s)))
      .map(([s, m]) => `${code(s)} (${m})`)
      .join(", ")}; the apply role trusts only ${Object.entries(input.identity.subjects)
      .filter(([s]) => input.accounts.some((a) => a.subjects.apply.includes(s)))
      .map(([s]) => code(s))
      .join(", ")}. A stack's jobs assume the roles of the account its default provider deploys to (access.json).`,
    "3. Where the config names a `roleArn`, Terraform assumes it from the pipeline role: that role must trust the pipeline roles (the statement is an output of its account's directory).",
    bucket
      ? `4. The state bucket ${code(bucket.name)} ${bucket.roleArn ? `is reached through ${code(bucket.roleArn)}, which the pipeline roles assume` : "grants each pipeline role, in its bucket policy, what the role's own policy grants: reading its stacks' keys and the keys they read, their lock files, and writing its stacks' keys for the apply role only"}.`
      : "4. No state bucket: the stacks keep no state in S3.",
    ...(bucket && !bucket.roleArn && !bucket.accountId
      ? ["", `No account here is known to own the state bucket ${code(bucket.name)}: ${code("state-bucket-policy.json")} is its policy, for its owner to set (it replaces the bucket's whole policy).`]
      : []),
    "",
  ].join("\n");
}
