/**
 * cdktf.out/pipelines/aws-access/<account-id>/: one Terraform directory per account the config
 * touches, with the GitHub OIDC provider, the plan and apply roles (trust exact, permissions from
 * the stacks' resource types) and the state bucket's policy.
 */
import * as fs from "fs";
import * as path from "path";
import { parseConfig } from "../../../config/load";
import { synthesize } from "../../../synth/synth";
import { readRecord, recordPathFor } from "../../../synth/stack-record";
import {
  AWS_ACCESS_FOLDER,
  AwsAccessError,
  AwsAccessSettings,
  accountHints,
  awsAccessPipelineFiles,
  readAwsAccess,
  writeAwsAccess,
} from "../../../synth/pipelines/aws-access";
import { DEFAULT_APPLY_ROLE_NAME, DEFAULT_PLAN_ROLE_NAME, githubRoleArn } from "../../../synth/pipelines/github-roles";
import { MissingPermissionsError, RESOURCE_PERMISSIONS, ResourceUse, grantsFor, permissionEntry, permissionsMarkdown } from "../../../synth/pipelines/permissions";
import { PolicyDocument, Statement } from "../../../synth/pipelines/iam-policy";
import { kindTypes, readSynthesized } from "../../../synth/pipelines/stack-access";
import { exampleJson, outputFiles, synthConfig, tempDirs } from "../../support/synth";
import { pipelineConfig } from "../../support/pipelines";

/** The files (not folders) under a folder, sorted. */
const outputFileNames = (dir: string) => Object.keys(outputFiles(dir)).filter((f) => !f.endsWith("/")).sort();

const SERVICE = "111111111111";
const APP = "222222222222";
const REPORTS = "333333333333";
const DNS = "444444444444";
const REPO = "acme/privatelink";
const BUCKET = "acme-tf-state";
const key = (stack: string) => `privatelink/${stack}.tfstate`;
const object = (k: string) => `arn:aws:s3:::${BUCKET}/${k}`;
const settings: AwsAccessSettings = { repository: REPO, stateBucketAccountId: SERVICE };

/**
 * The example with S3 state, the service in one account, consumers in two others and the hosted
 * zone in a fourth. `roles`: every account reached through a roleArn (Terraform assumes the
 * config's roles); else consumers given by account.id, run with the pipeline roles' own rights.
 */
function multiAccount(roles: boolean): Record<string, any> {
  const c = exampleJson();
  c.state = { backend: "s3", bucket: BUCKET, region: "us-east-1", keyPrefix: "privatelink/" };
  const account = (id: string, region = "us-west-2", extra: Record<string, string> = {}) => (roles ? { region, roleArn: `arn:aws:iam::${id}:role/deployer`, ...extra } : { region, id });
  c.service.account = account(SERVICE);
  c.service.endpointService.allowedPrincipals = [`arn:aws:iam::${APP}:root`, `arn:aws:iam::${REPORTS}:root`];
  c.dns = { provider: "route53", zoneName: "example.com", account: { region: "us-east-1", roleArn: `arn:aws:iam::${DNS}:role/dns` } };
  c.consumers[0].account = account(APP);
  c.consumers[1].account = account(REPORTS, "us-west-2", roles ? { externalId: "xyz" } : {});
  return c;
}

const newDir = tempDirs("pl-access-");

/**
 * Synthesizes a config as synth does (with its stack record) into a fresh folder; `accounts` is
 * each stack's account as the record holds it, the map synth hands the pipelines.
 */
function synthesized(json: unknown) {
  const dir = newDir();
  const outdir = path.join(dir, "cdktf.out");
  const recordFile = recordPathFor(path.join(dir, "privatelink.config.json"));
  synthesize(parseConfig(json), outdir, { recordFile });
  const accounts = Object.fromEntries(Object.entries(readRecord(recordFile).stacks).map(([name, s]) => [name, s.accounts.default]));
  return { outdir, accounts };
}

/** Synthesizes a config and writes its access folder; returns readers of what was written. */
function generate(json: unknown, options: Partial<AwsAccessSettings> = {}) {
  const { outdir, accounts } = synthesized(json);
  const input = writeAwsAccess(outdir, { ...settings, accounts: accountHints(accounts), ...options });
  const folder = path.join(outdir, AWS_ACCESS_FOLDER);
  const tf = (account: string) => JSON.parse(fs.readFileSync(path.join(folder, account, "main.tf.json"), "utf8"));
  const policy = (account: string, name: string): PolicyDocument => JSON.parse(tf(account).resource.aws_iam_role_policy[name].policy);
  const stackJson = (stack: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
  return { outdir, folder, input, tf, policy, stackJson };
}

/** Whether a statement of the document allows the action on exactly this resource string. */
function allows(document: PolicyDocument, action: string, resource: string, condition?: unknown): boolean {
  return document.Statement.some((s) => s.Effect === "Allow" && [s.Action].flat().includes(action) && [s.Resource].flat().includes(resource) && (condition === undefined || JSON.stringify(s.Condition) === JSON.stringify(condition)));
}

function statementWith(document: PolicyDocument, action: string): Statement | undefined {
  return document.Statement.find((s) => [s.Action].flat().includes(action));
}

/** Every grant the table gives the resources (and data sources) of one provider of a stack, checked against a policy. */
function expectCovers(document: PolicyDocument, stackJson: any, accountId: string, alias: string | undefined, access: "plan" | "apply") {
  const provider = stackJson.provider.aws.find((p: any) => p.alias === alias);
  let checked = 0;
  for (const [block, kind] of [["resource", "resource"], ["data", "data source"]] as const) {
    for (const [type, instances] of Object.entries<any>(stackJson[block] ?? {})) {
      for (const attributes of Object.values<any>(instances)) {
        if ((attributes.provider ?? "aws") !== (alias ? `aws.${alias}` : "aws") && !type.startsWith("terraform_")) continue;
        // Fails on a type without an entry in the table.
        const entry = permissionEntry(kind, type, "test");
        const use: ResourceUse = { type, attributes, stackResources: stackJson[block] };
        for (const g of grantsFor(entry, kind === "resource" ? access : "plan", { partition: "aws", region: provider.region, accountId, use })) {
          for (const action of g.actions) for (const resource of g.resources) {
            checked++;
            if (!allows(document, action, resource, g.condition)) throw new Error(`${type}: ${action} on ${resource} ${JSON.stringify(g.condition ?? {})} is missing from the ${access} policy`);
          }
        }
      }
    }
  }
  return checked;
}

const trust = (subjects: string[], oidc = "${aws_iam_openid_connect_provider.github.arn}", sid = "PipelinePlan") => ({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: sid,
      Effect: "Allow",
      Principal: { Federated: oidc },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": subjects } },
    },
  ],
});

describe("the access directories, with the config's roles in every account", () => {
  const g = generate(multiAccount(true));

  test("one directory per account the config touches, and nothing else", () => {
    expect(fs.readdirSync(g.folder).sort()).toEqual([SERVICE, APP, REPORTS, DNS, "README.md", "access.json"].sort());
    for (const a of [SERVICE, APP, REPORTS, DNS]) expect(fs.readdirSync(path.join(g.folder, a)).sort()).toEqual(["README.md", "main.tf.json"]);
    // The DNS account runs no job: only its role's trust statement, as an output.
    expect(g.tf(DNS).resource).toBeUndefined();
    expect(Object.keys(g.tf(DNS).output)).toEqual(["config_role_trust_statements", "config_role_permissions"]);
  });

  test("each directory's provider is pinned to its account and the stacks' provider version", () => {
    for (const a of [SERVICE, APP, REPORTS, DNS]) {
      expect(g.tf(a).provider.aws).toEqual([{ region: expect.any(String), allowed_account_ids: [a] }]);
      expect(g.tf(a).terraform.required_providers.aws).toEqual({ source: "hashicorp/aws", version: g.stackJson("provider").terraform.required_providers.aws.version });
    }
    // The bucket owner's provider is in the bucket's region (the bucket policy is set there).
    expect(g.tf(SERVICE).provider.aws[0].region).toBe("us-east-1");
  });

  test("the OIDC provider is GitHub's, for the audience sts.amazonaws.com", () => {
    for (const a of [SERVICE, APP, REPORTS]) {
      expect(g.tf(a).resource.aws_iam_openid_connect_provider).toEqual({ github: { url: "https://token.actions.githubusercontent.com", client_id_list: ["sts.amazonaws.com"] } });
    }
  });

  test("the plan role trusts exactly pull requests and the drift check on main; the apply role exactly the environment", () => {
    for (const a of [SERVICE, APP, REPORTS]) {
      const roles = g.tf(a).resource.aws_iam_role;
      expect(roles.plan.name).toBe(DEFAULT_PLAN_ROLE_NAME);
      expect(roles.apply.name).toBe(DEFAULT_APPLY_ROLE_NAME);
      expect(JSON.parse(roles.plan.assume_role_policy)).toEqual(trust([`repo:${REPO}:pull_request`, `repo:${REPO}:ref:refs/heads/main`]));
      expect(JSON.parse(roles.apply.assume_role_policy)).toEqual(trust([`repo:${REPO}:environment:production`], undefined, "PipelineApply"));
      expect(g.tf(a).output.plan_role_arn.value).toBe("${aws_iam_role.plan.arn}");
    }
  });

  test("the pipeline roles assume exactly the config's roles their stacks name, in any account", () => {
    for (const access of ["plan", "apply"]) {
      expect(g.policy(SERVICE, `${access}_stacks`).Statement).toEqual([
        { Effect: "Allow", Action: "sts:AssumeRole", Resource: [`arn:aws:iam::${SERVICE}:role/deployer`, `arn:aws:iam::${DNS}:role/dns`] },
      ]);
      expect(g.policy(REPORTS, `${access}_stacks`).Statement).toEqual([{ Effect: "Allow", Action: "sts:AssumeRole", Resource: `arn:aws:iam::${REPORTS}:role/deployer` }]);
    }
  });

  test("each config role's account gets the statement its trust policy needs: the pipeline roles that assume it, with the external id", () => {
    const dns = JSON.parse(g.tf(DNS).output.config_role_trust_statements.value[`arn:aws:iam::${DNS}:role/dns`]);
    expect(dns).toEqual({
      Sid: "PrivateLinkPipelineRoles",
      Effect: "Allow",
      Principal: { AWS: [`arn:aws:iam::${SERVICE}:root`] },
      Action: "sts:AssumeRole",
      Condition: { ArnEquals: { "aws:PrincipalArn": [githubRoleArn(SERVICE, "apply"), githubRoleArn(SERVICE, "plan")] } },
    });
    const reports = JSON.parse(g.tf(REPORTS).output.config_role_trust_statements.value[`arn:aws:iam::${REPORTS}:role/deployer`]);
    expect(reports.Condition).toEqual({ ArnEquals: { "aws:PrincipalArn": [githubRoleArn(REPORTS, "apply"), githubRoleArn(REPORTS, "plan")] }, StringEquals: { "sts:ExternalId": "xyz" } });
  });

  test("each config role's listed permissions cover every resource type of the stacks that assume it", () => {
    const permissions = (account: string, role: string): PolicyDocument => JSON.parse(g.tf(account).output.config_role_permissions.value[role]);
    expect(expectCovers(permissions(APP, `arn:aws:iam::${APP}:role/deployer`), g.stackJson("consumer-app"), APP, undefined, "apply")).toBeGreaterThan(50);
    expect(expectCovers(permissions(SERVICE, `arn:aws:iam::${SERVICE}:role/deployer`), g.stackJson("provider"), SERVICE, undefined, "apply")).toBeGreaterThan(50);
    // The record in the DNS account is managed through the dns alias; verification stays in the service account.
    const dns = permissions(DNS, `arn:aws:iam::${DNS}:role/dns`);
    expectCovers(dns, g.stackJson("dns-verification"), DNS, "dns", "apply");
    expect(allows(dns, "ec2:StartVpcEndpointServicePrivateDnsVerification", "*", { StringEquals: { "aws:RequestedRegion": "us-east-1" } })).toBe(false);
  });

  test("state: each role reads its own keys and the keys its stacks read, and only the apply role writes, its own keys only", () => {
    const app = { plan: g.policy(APP, "plan_state"), apply: g.policy(APP, "apply_state") };
    const own = [key("consumer-app-private-dns"), key("consumer-app")];
    for (const doc of [app.plan, app.apply]) {
      expect(statementWith(doc, "s3:GetObject")?.Resource).toEqual([...own, key("provider")].map(object));
      expect(doc.Statement).toContainEqual({ Effect: "Allow", Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"], Resource: own.map((k) => object(`${k}.tflock`)) });
      expect(statementWith(doc, "s3:ListBucket")).toEqual({
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: `arn:aws:s3:::${BUCKET}`,
        Condition: { StringEquals: { "s3:prefix": ["env:/", ...own, ...own.map((k) => `${k}.tflock`), key("provider")].sort() } },
      });
    }
    expect(app.plan.Statement.filter((s) => [s.Action].flat().includes("s3:PutObject")).map((s) => s.Resource)).toEqual([own.map((k) => object(`${k}.tflock`))]);
    expect(app.apply.Statement).toContainEqual({ Effect: "Allow", Action: "s3:PutObject", Resource: own.map(object) });
    // Nobody deletes a state object: Terraform never does.
    for (const doc of [app.plan, app.apply]) for (const s of doc.Statement) if ([s.Action].flat().includes("s3:DeleteObject")) expect([s.Resource].flat().every((r) => String(r).endsWith(".tflock"))).toBe(true);
    // acceptance, in the service account, reads both consumers' state.
    expect(statementWith(g.policy(SERVICE, "plan_state"), "s3:GetObject")?.Resource).toEqual(
      ["acceptance", "consumer-app", "consumer-reports", "dns-verification", "provider"].map((s) => object(key(s))),
    );
  });

  test("the bucket owner's directory sets the bucket policy: each account's roles their keys, apply alone writing; no plain HTTP", () => {
    const resource = g.tf(SERVICE).resource.aws_s3_bucket_policy.state;
    expect(resource.bucket).toBe(BUCKET);
    expect(resource["//"]).toMatch(/REPLACES the bucket's whole policy/);
    const policy: PolicyDocument = JSON.parse(resource.policy);
    const puts = policy.Statement.filter((s) => [s.Action].flat().includes("s3:PutObject") && !String([s.Resource].flat()[0]).endsWith(".tflock"));
    expect(puts.map((s) => [s.Condition?.ArnEquals, s.Resource])).toEqual(
      expect.arrayContaining([
        [{ "aws:PrincipalArn": [githubRoleArn(APP, "apply")] }, [key("consumer-app-private-dns"), key("consumer-app")].map(object)],
        [{ "aws:PrincipalArn": [githubRoleArn(REPORTS, "apply")] }, object(key("consumer-reports"))],
      ]),
    );
    expect(puts).toHaveLength(3);
    const appRead = policy.Statement.find((s) => s.Action === "s3:GetObject" && JSON.stringify(s.Principal).includes(APP));
    expect(appRead).toMatchObject({ Principal: { AWS: [`arn:aws:iam::${APP}:root`] }, Condition: { ArnEquals: { "aws:PrincipalArn": [githubRoleArn(APP, "apply"), githubRoleArn(APP, "plan")] } } });
    expect(policy.Statement.at(-1)).toEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    for (const a of [APP, REPORTS, DNS]) expect(g.tf(a).resource?.aws_s3_bucket_policy).toBeUndefined();
  });

  test("access.json names the roles each stack's jobs assume", () => {
    const access = JSON.parse(fs.readFileSync(path.join(g.folder, "access.json"), "utf8"));
    expect(access.stacks["dns-verification"]).toEqual({ account: SERVICE, plan: githubRoleArn(SERVICE, "plan"), apply: githubRoleArn(SERVICE, "apply") });
    expect(access.stacks["consumer-reports"].account).toBe(REPORTS);
  });
});

describe("the access directories, with the pipeline roles acting themselves (no roleArn)", () => {
  const g = generate(multiAccount(false));

  test("the apply role's actions cover every resource and data source of its account's stacks, as the table scopes them", () => {
    for (const [account, stacks] of [
      [SERVICE, ["provider", "acceptance", "dns-verification"]],
      [APP, ["consumer-app", "consumer-app-private-dns"]],
      [REPORTS, ["consumer-reports"]],
    ] as const) {
      const apply = g.policy(account, "apply_stacks");
      const plan = g.policy(account, "plan_stacks");
      for (const stack of stacks) {
        expectCovers(apply, g.stackJson(stack), account, undefined, "apply");
        expectCovers(plan, g.stackJson(stack), account, undefined, "plan");
      }
    }
  });

  test("the plan role only reads: every action it has is a Describe, Get or List, or assumes the DNS account's role", () => {
    for (const account of [SERVICE, APP, REPORTS]) {
      const actions = g.policy(account, "plan_stacks").Statement.flatMap((s) => [s.Action].flat());
      expect(actions.filter((a) => !/^[a-z0-9-]+:(Describe|Get|List)/.test(a) && a !== "sts:AssumeRole")).toEqual([]);
    }
    expect(statementWith(g.policy(SERVICE, "plan_stacks"), "sts:AssumeRole")?.Resource).toBe(`arn:aws:iam::${DNS}:role/dns`);
  });

  test("writes are scoped: EC2 to the stack's region, names the stacks give to those names, passing a role only to flow logs", () => {
    const apply = g.policy(APP, "apply_stacks");
    expect(statementWith(apply, "ec2:CreateVpcEndpoint")).toMatchObject({ Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion": "us-west-2" } } });
    expect(statementWith(apply, "iam:CreateRole")?.Resource).toBe(`arn:aws:iam::${APP}:role/privatelink-flow-logs-*`);
    expect(statementWith(apply, "logs:CreateLogGroup")?.Resource).toEqual([
      `arn:aws:logs:us-west-2:${APP}:log-group:privatelink/flow-logs/demo-consumer-app-*`,
      `arn:aws:logs:us-west-2:${APP}:log-group:privatelink/flow-logs/demo-consumer-app-*:*`,
    ]);
    expect(statementWith(apply, "iam:PassRole")).toMatchObject({ Resource: `arn:aws:iam::${APP}:role/privatelink-flow-logs-*`, Condition: { StringEquals: { "iam:PassedToService": "vpc-flow-logs.amazonaws.com" } } });
    expect(statementWith(g.policy(SERVICE, "apply_stacks"), "elasticloadbalancing:CreateLoadBalancer")?.Resource).toBe(`arn:aws:elasticloadbalancing:us-west-2:${SERVICE}:*`);
  });

  test("no config role: no trust statements to add", () => {
    expect(g.tf(APP).output.config_role_trust_statements).toBeUndefined();
    expect(Object.keys(g.tf(DNS).output.config_role_trust_statements.value)).toEqual([`arn:aws:iam::${DNS}:role/dns`]);
  });
});

describe("settings", () => {
  test("without the drift check, the plan role trusts pull requests alone; other names, branch and environment are used", () => {
    const g = generate(multiAccount(true), { driftSchedule: false, environment: "prod-eu", planRoleName: "ci-plan", applyRoleName: "ci-apply" });
    const roles = g.tf(APP).resource.aws_iam_role;
    expect(JSON.parse(roles.plan.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toEqual([`repo:${REPO}:pull_request`]);
    expect(JSON.parse(roles.apply.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toEqual([`repo:${REPO}:environment:prod-eu`]);
    expect([roles.plan.name, roles.apply.name]).toEqual(["ci-plan", "ci-apply"]);
  });

  test("an account's own roles: not created, given the permissions, their trust policy an output", () => {
    const own = { plan: `arn:aws:iam::${APP}:role/ci/reader`, apply: `arn:aws:iam::${APP}:role/ci/deployer` };
    const g = generate(multiAccount(true), { roles: { [APP]: own } });
    expect(g.tf(APP).resource.aws_iam_role).toBeUndefined();
    expect(g.tf(APP).resource.aws_iam_role_policy.apply_state.role).toBe("deployer");
    expect(g.tf(APP).output.apply_role_arn.value).toBe(own.apply);
    expect(JSON.parse(g.tf(APP).output.plan_role_trust_policy.value)).toEqual(trust([`repo:${REPO}:pull_request`, `repo:${REPO}:ref:refs/heads/main`]));
    // The bucket policy and access.json name them.
    expect(g.tf(SERVICE).resource.aws_s3_bucket_policy.state.policy).toContain(own.apply);
    expect(JSON.parse(fs.readFileSync(path.join(g.folder, "access.json"), "utf8")).stacks["consumer-app"]).toEqual({ account: APP, ...own });
    expect(() => generate(multiAccount(true), { roles: { [APP]: { plan: `arn:aws:iam::${REPORTS}:role/x` } } })).toThrow(`pipelines.githubActions.roles.${APP}.plan: received "arn:aws:iam::${REPORTS}:role/x"`);
  });

  test("an existing OIDC provider is reused: by its ARN, or looked up by its URL", () => {
    const arn = `arn:aws:iam::${APP}:oidc-provider/token.actions.githubusercontent.com`;
    const g = generate(multiAccount(true), { existingOidcProviders: { [APP]: arn, [REPORTS]: "existing" } });
    expect(g.tf(APP).resource.aws_iam_openid_connect_provider).toBeUndefined();
    expect(g.tf(APP).data.aws_iam_openid_connect_provider).toEqual({ github: { arn } });
    expect(g.tf(REPORTS).data.aws_iam_openid_connect_provider).toEqual({ github: { url: "https://token.actions.githubusercontent.com" } });
    expect(JSON.parse(g.tf(REPORTS).resource.aws_iam_role.plan.assume_role_policy).Statement[0].Principal).toEqual({ Federated: "${data.aws_iam_openid_connect_provider.github.arn}" });
  });

  test("the bucket policy as an output only, when it is not to be managed", () => {
    const g = generate(multiAccount(true), { manageBucketPolicy: false });
    expect(g.tf(SERVICE).resource.aws_s3_bucket_policy).toBeUndefined();
    expect(JSON.parse(g.tf(SERVICE).output.state_bucket_policy.value).Statement.at(-1).Sid).toBe("DenyInsecureTransport");
  });

  test("no bucket owner known: no bucket policy anywhere", () => {
    const g = generate(multiAccount(true), { stateBucketAccountId: undefined });
    for (const a of [SERVICE, APP, REPORTS, DNS]) expect(g.tf(a).resource?.aws_s3_bucket_policy).toBeUndefined();
    const policy = JSON.parse(fs.readFileSync(path.join(g.folder, "state-bucket-policy.json"), "utf8"));
    expect(policy.Statement.at(-1).Sid).toBe("DenyInsecureTransport");
    expect(fs.readFileSync(path.join(g.folder, "README.md"), "utf8")).toContain("`state-bucket-policy.json` is its policy, for its owner to set");
  });

  test("in memory, as synth holds the stacks: the same files under aws-access/", () => {
    const { outdir, accounts } = synthesized(multiAccount(true));
    const written = writeAwsAccess(outdir, { ...settings, accounts: accountHints(accounts) });
    const files = awsAccessPipelineFiles(readSynthesized(outdir), { ...settings, accounts: accountHints(accounts) });
    expect(Object.keys(files).sort()).toEqual(outputFileNames(path.join(outdir, AWS_ACCESS_FOLDER)).map((f) => `aws-access/${f}`));
    for (const [file, text] of Object.entries(files)) expect(text).toBe(fs.readFileSync(path.join(outdir, "pipelines", file), "utf8"));
    expect(written.accounts).toHaveLength(4);
  });

  test("a KMS key of the state: the roles may use it, and its key policy gets a statement", () => {
    const c = multiAccount(true);
    c.state.kmsKeyId = `arn:aws:kms:us-east-1:${SERVICE}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const g = generate(c);
    expect(g.policy(APP, "plan_state").Statement).toContainEqual({ Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: c.state.kmsKeyId });
    expect(JSON.parse(g.tf(SERVICE).output.state_kms_key_policy_statement.value).Condition.ArnEquals["aws:PrincipalArn"]).toHaveLength(6);
  });
});

describe("accountHints", () => {
  test("names each stack's account from its id, else its role's account", () => {
    const { accounts } = synthesized(multiAccount(false));
    expect(accountHints(accounts)).toEqual({
      stacks: { provider: SERVICE, "dns-verification": SERVICE, acceptance: SERVICE, "consumer-app": APP, "consumer-app-private-dns": APP, "consumer-reports": REPORTS },
    });
    expect(accountHints({ a: { roleArn: `arn:aws:iam::${DNS}:role/x` }, b: {} }, "123456789012")).toEqual({ stacks: { a: DNS }, default: "123456789012" });
  });
});

describe("refusals, each naming what to change", () => {
  test("local state", () => {
    const { outdir } = synthConfig(exampleJson());
    expect(() => readAwsAccess(outdir, { repository: REPO, accounts: { default: SERVICE } })).toThrow(/local file.*state\.backend/);
  });

  test("a repository pattern instead of one repository", () => {
    const { outdir } = synthConfig(multiAccount(true));
    expect(() => readAwsAccess(outdir, { repository: "acme/*" })).toThrow(AwsAccessError);
    expect(() => readAwsAccess(outdir, { repository: "acme" })).toThrow(/repository: received "acme"/);
  });

  test("an existing OIDC provider's ARN of another account", () => {
    const { outdir } = synthConfig(multiAccount(true));
    expect(() => readAwsAccess(outdir, { ...settings, existingOidcProviders: { [APP]: `arn:aws:iam::${REPORTS}:oidc-provider/token.actions.githubusercontent.com` } })).toThrow(
      `existingOidcProviders["${APP}"]: received "arn:aws:iam::${REPORTS}:oidc-provider/token.actions.githubusercontent.com"; expected "existing" or the ARN of the account's provider, arn:aws:iam::${APP}:oidc-provider/token.actions.githubusercontent.com`,
    );
  });

  test("a stack whose account cdktf.out cannot name", () => {
    const c = multiAccount(false);
    delete c.consumers[0].account.id;
    const { outdir, accounts } = synthesized(c);
    expect(() => readAwsAccess(outdir, { ...settings, accounts: accountHints(accounts) })).toThrow(/stack consumer-app: .*account\.id/);
  });

  test("a resource type the table has no actions for", () => {
    const { outdir } = synthConfig(multiAccount(true));
    const file = path.join(outdir, "stacks", "consumer-app", "cdk.tf.json");
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    json.resource.aws_s3_bucket = { Extra: { bucket: "x" } };
    fs.writeFileSync(file, JSON.stringify(json));
    expect(() => writeAwsAccess(outdir, settings)).toThrow(MissingPermissionsError);
    expect(() => writeAwsAccess(outdir, settings)).toThrow(/stack consumer-app has a resource of type aws_s3_bucket.*RESOURCE_PERMISSIONS/);
    expect(fs.existsSync(path.join(outdir, AWS_ACCESS_FOLDER))).toBe(false);
  });
});

describe("retire stacks", () => {
  test("a retired consumer's account keeps the permissions to destroy what its state holds", () => {
    const dir = newDir();
    const outdir = path.join(dir, "cdktf.out");
    const recordFile = recordPathFor(path.join(dir, "privatelink.config.json"));
    const c = multiAccount(true);
    synthesize(parseConfig(c), outdir, { recordFile });
    const fewer = { ...c, consumers: c.consumers.filter((x: any) => x.name !== "reports") };
    const result = synthesize(parseConfig(fewer), outdir, { recordFile });
    expect(result.retired.map((r) => r.name)).toEqual(["consumer-reports"]);
    writeAwsAccess(outdir, settings);
    const tf = JSON.parse(fs.readFileSync(path.join(outdir, AWS_ACCESS_FOLDER, REPORTS, "main.tf.json"), "utf8"));
    const permissions: PolicyDocument = JSON.parse(tf.output.config_role_permissions.value[`arn:aws:iam::${REPORTS}:role/deployer`]);
    for (const action of ["ec2:DeleteVpcEndpoints", "ec2:DeleteSecurityGroup", "ec2:DescribeVpcEndpoints", "ec2:ModifyVpcEndpoint"]) {
      expect(permissions.Statement.some((s) => [s.Action].flat().includes(action))).toBe(true);
    }
    // Its state: still its own to write (a retire stack's apply empties it).
    expect(allows(JSON.parse(tf.resource.aws_iam_role_policy.apply_state.policy), "s3:PutObject", object(key("consumer-reports")))).toBe(true);
  });

  test("every live stack's resource types are in its kind's list (what a retire stack of that kind may hold)", () => {
    const configs = [multiAccount(true), exampleJson()];
    // The other shapes: existing networks, connection notifications, an internet gateway, no acceptance.
    const other = exampleJson();
    other.service.network = { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"] };
    other.service.endpointService.connectionNotification = { topicArn: "arn:aws:sns:us-west-2:123456789012:t" };
    other.consumers[0].network.create.internetGateway = true;
    other.consumers[1].network = { vpcId: "vpc-0123456789abcdef2", subnetIds: ["subnet-0123456789abcdef3"] };
    configs.push(other, { ...other, service: { ...other.service, endpointService: { ...other.service.endpointService, acceptanceRequired: false } } });
    for (const json of configs) {
      const { stacks } = synthConfig(json);
      for (const [name, stack] of Object.entries<any>(stacks)) {
        const kinds = kindTypes(name);
        for (const [type, instances] of Object.entries<any>(stack.resource ?? {})) {
          for (const r of Object.values<any>(instances)) {
            const alias = typeof r.provider === "string" ? r.provider.replace(/^aws\./, "") : "default";
            expect({ name, alias, type, known: (kinds[alias] ?? []).includes(type) }).toEqual({ name, alias, type, known: true });
          }
        }
      }
    }
  });

  test("every type a stack kind can hold has an entry in the table", () => {
    const names = ["provider", "dns-verification", "acceptance", "consumer-x", "consumer-x-private-dns"];
    for (const name of names) for (const types of Object.values(kindTypes(name))) for (const t of types) expect(RESOURCE_PERMISSIONS[t]).toBeDefined();
  });
});

describe("the docs", () => {
  test("docs/github-actions-access.md holds the permission table as the code has it", () => {
    const doc = fs.readFileSync(path.join(__dirname, "..", "..", "..", "docs", "github-actions-access.md"), "utf8");
    const table = /<!-- permissions:start -->\n([\s\S]*?)\n<!-- permissions:end -->/.exec(doc)?.[1];
    // Stale: node --require @swc-node/register scripts/write-access-doc.ts
    expect(table).toBe(permissionsMarkdown());
  });
});

describe("synth writes the access beside the workflow", () => {
  test("synthesize (npm run synth) writes pipelines/aws-access/<account-id>/ for every account with the workflow, the files writeAwsAccess writes from the output", () => {
    // GIVEN a config with pipelines.githubActions: service in 111…, consumers in 222… and 333…
    const config = { ...pipelineConfig(), pipelines: { githubActions: { repository: REPO } } };
    // WHEN synthesized as npm run synth does
    const { outdir, accounts } = synthesized(config);
    const folder = path.join(outdir, AWS_ACCESS_FOLDER);
    const written = outputFiles(folder);
    // THEN one Terraform folder per account, with its README, and the index
    expect(Object.keys(written).filter((f) => f.endsWith("/main.tf.json")).sort()).toEqual(["111111111111/main.tf.json", "222222222222/main.tf.json", "333333333333/main.tf.json"]);
    expect(Object.keys(written)).toEqual(expect.arrayContaining(["README.md", "access.json", "111111111111/README.md"]));
    // AND they are what the generator writes when it reads the synthesized output from disk
    writeAwsAccess(outdir, { repository: REPO, accounts: accountHints(accounts) });
    expect(outputFiles(folder)).toEqual(written);
  });
});
