/**
 * `cdktf.out/pipelines/aws-access/<account-id>/`: for each AWS account a synthesized config
 * touches, a plain Terraform working directory an administrator applies once, holding what a
 * pipeline needs there: the GitHub OIDC provider, a read-only plan role and an apply role trusted
 * only for this repository, each with the least permissions its stacks need, and where the
 * account owns the state bucket, the bucket policy that grants exactly that across accounts.
 *
 * Everything comes from cdktf.out (see stack-access.ts) and the pipeline settings, so the wiring
 * in synth is one call: `writeAwsAccess(outdir, settings)`.
 */
import * as fs from "fs";
import * as path from "path";
import { PolicyDocument, Statement } from "./iam-policy";
import { AccountAccess, AwsAccessInput, AwsAccessSettings, PIPELINE_ACCESS, pipelineRoleArn, readAwsAccess, roleName } from "./access-input";
import { configRolePermissions, configRoleTrustStatement, kmsKeyStatement, pipelinePolicies, pipelineTrustPolicy, stateBucketPolicy } from "./access-policies";
import { accessReadme, indexReadme } from "./access-readme";
import type { SynthesizedStacks } from "./stack-access";

export * from "./access-input";
export * from "./access-policies";

/** The folder of cdktf.out the access directories go to. */
export const AWS_ACCESS_FOLDER = path.join("pipelines", "aws-access");
export { accountHints } from "./account-hints";
export { AwsAccessError } from "./stack-access";
export type { AccountHints, StackAccess, SynthesizedStacks } from "./stack-access";

// ---------------------------------------------------------------------------------------------
// Terraform

/** JSON for a Terraform string: `${` and `%{` would start a template. */
const templateSafe = (text: string) => text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
const policyText = (document: PolicyDocument | Statement) => templateSafe(JSON.stringify(document));
const OIDC_ARN_PLACEHOLDER = "OIDC-PROVIDER-ARN";

/** One account's Terraform JSON. */
export function accountTerraform(input: AwsAccessInput, account: AccountAccess): Record<string, any> {
  const resource: Record<string, Record<string, unknown>> = {};
  const data: Record<string, Record<string, unknown>> = {};
  const output: Record<string, { description: string; value: unknown }> = {};
  const add = (block: typeof resource, type: string, name: string, body: unknown) => ((block[type] ??= {})[name] = body);

  if (account.oidc) {
    const url = `https://${input.identity.issuer}`;
    const key = input.identity.key;
    if ("create" in account.oidc) add(resource, "aws_iam_openid_connect_provider", key, { url, client_id_list: [input.identity.audience] });
    else add(data, "aws_iam_openid_connect_provider", key, "existingProviderArn" in account.oidc ? { arn: account.oidc.existingProviderArn } : { url });
    const oidcArn = `\${${"create" in account.oidc ? "" : "data."}aws_iam_openid_connect_provider.${key}.arn}`;
    output.oidc_provider_arn = { description: `${input.identity.name}'s OIDC provider in this account`, value: oidcArn };
    for (const access of PIPELINE_ACCESS) {
      const policies = pipelinePolicies(input, account, access);
      const role = account.pipelineRoles[access];
      const trust = policyText(pipelineTrustPolicy(input, account, access, OIDC_ARN_PLACEHOLDER)).replace(OIDC_ARN_PLACEHOLDER, () => oidcArn);
      if (role.own) {
        // The user's own role: its permissions are added here, its trust policy is theirs to set.
        output[`${access}_role_trust_policy`] = { description: `The trust policy to give your ${access} role ${role.arn}`, value: trust };
      } else {
        add(resource, "aws_iam_role", access, {
          name: roleName(role.arn),
          description: `${input.identity.name} ${access} jobs of the PrivateLink stacks (${access === "plan" ? "read-only" : "apply"})`,
          assume_role_policy: trust,
          max_session_duration: 3600,
        });
      }
      const roleRef = role.own ? roleName(role.arn) : `\${aws_iam_role.${access}.id}`;
      // IAM refuses a policy without statements: a role gets only the policies it needs.
      for (const [part, document] of Object.entries(policies)) {
        if (document.Statement.length > 0) add(resource, "aws_iam_role_policy", `${access}_${part}`, { name: `privatelink-${part}`, role: roleRef, policy: policyText(document) });
      }
      output[`${access}_role_arn`] = { description: `The role ${access} jobs assume in this account`, value: role.own ? role.arn : `\${aws_iam_role.${access}.arn}` };
    }
  }

  const bucket = input.stateBucket;
  if (account.ownsStateBucket && bucket && !bucket.roleArn) {
    const policy = stateBucketPolicy(input);
    if (bucket.manageBucketPolicy) {
      add(resource, "aws_s3_bucket_policy", "state", {
        "//": "REPLACES the bucket's whole policy: merge any statement of your own into this one before applying.",
        bucket: bucket.name,
        policy: policyText(policy),
      });
    } else {
      output.state_bucket_policy = { description: "The state bucket's policy (not applied here: merge it into the bucket's policy)", value: policyText(policy) };
    }
    if (bucket.kmsKeyId) output.state_kms_key_policy_statement = { description: "Add to the state's KMS key policy", value: policyText(kmsKeyStatement(input)) };
  }

  if (account.configRoles.length > 0) {
    output.config_role_trust_statements = {
      description: "Add each statement to the trust policy of its role (the config's roleArn): the pipeline roles assume it",
      value: Object.fromEntries(account.configRoles.map((r) => [r.arn, policyText(configRoleTrustStatement(r))])),
    };
    const withPermissions = account.configRoles.filter((r) => !r.usedBy.some((u) => u.startsWith("state of")));
    if (withPermissions.length > 0) {
      output.config_role_permissions = {
        description: "What each role needs for the stacks that assume it (compare with its policies)",
        value: Object.fromEntries(withPermissions.map((r) => [r.arn, policyText(configRolePermissions(input, r))])),
      };
    }
  }

  return {
    "//": `Written by synth from cdktf.out: the ${input.identity.name} access of account ${account.accountId}. Apply once, as an administrator of this account; see README.md.`,
    terraform: { required_providers: { aws: { source: "hashicorp/aws", ...(input.awsProviderVersion ? { version: input.awsProviderVersion } : {}) } } },
    provider: { aws: [{ region: account.region, allowed_account_ids: [account.accountId] }] },
    ...(Object.keys(data).length > 0 ? { data } : {}),
    ...(Object.keys(resource).length > 0 ? { resource } : {}),
    ...(Object.keys(output).length > 0 ? { output } : {}),
  };
}

/** Every file of the access folder: path ('/'-separated) -> content. */
export function awsAccessFiles(input: AwsAccessInput): Record<string, string> {
  const files: Record<string, string> = { "README.md": indexReadme(input), "access.json": `${JSON.stringify(accessSummary(input), null, 2)}\n` };
  for (const account of input.accounts) {
    files[path.posix.join(account.accountId, "main.tf.json")] = `${JSON.stringify(accountTerraform(input, account), null, 2)}\n`;
    files[path.posix.join(account.accountId, "README.md")] = accessReadme(input, account);
  }
  // No directory knows the bucket: its policy, for whoever owns it.
  const bucket = input.stateBucket;
  if (bucket && !bucket.roleArn && !bucket.accountId) files["state-bucket-policy.json"] = `${JSON.stringify(stateBucketPolicy(input), null, 2)}\n`;
  return files;
}

/**
 * The access folder's files by path under cdktf.out/pipelines/, from the stacks synth holds in
 * memory (name -> Terraform JSON, and the retire stacks' names): for synth to write with the
 * other pipelines' files.
 */
export function awsAccessPipelineFiles(synthesized: SynthesizedStacks, settings: AwsAccessSettings): Record<string, string> {
  return accessPipelineFiles(readAwsAccess(synthesized, settings));
}

/** The access folder's files for any engine's input, by path under cdktf.out/pipelines/. */
export function accessPipelineFiles(input: AwsAccessInput): Record<string, string> {
  return Object.fromEntries(Object.entries(awsAccessFiles(input)).map(([file, text]) => [`aws-access/${file}`, text]));
}

/** Which role each stack's jobs assume, for the workflow and for people: access.json. */
function accessSummary(input: AwsAccessInput) {
  return {
    $comment: "Written by synth: the role each stack's jobs assume (role-to-assume), per access.",
    stacks: Object.fromEntries(
      input.stacks.map((s) => {
        const account = input.accounts.find((a) => a.accountId === s.jobAccountId)!;
        return [s.name, { account: s.jobAccountId, plan: pipelineRoleArn(account, "plan"), apply: pipelineRoleArn(account, "apply") }];
      }),
    ),
  };
}

/**
 * Writes `<outdir>/pipelines/aws-access/` from the synthesized stacks in `outdir`, replacing what
 * was there (it is generated: apply a copy, see README.md). Nothing is written when the input is wrong.
 */
export function writeAwsAccess(outdir: string, settings: AwsAccessSettings): AwsAccessInput {
  const input = readAwsAccess(outdir, settings);
  const files = awsAccessFiles(input);
  const folder = path.join(outdir, AWS_ACCESS_FOLDER);
  fs.rmSync(folder, { recursive: true, force: true });
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    fs.writeFileSync(path.join(folder, file), content);
  }
  return input;
}

