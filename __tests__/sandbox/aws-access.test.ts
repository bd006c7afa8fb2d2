/**
 * The aws-access directories applied on the emulator, each in its own account (the provider
 * assumes an administrator role there, as an administrator would act): the OIDC provider, the
 * plan and apply roles with their exact trust and their policies, and the state bucket's policy
 * exist as generated; an existing OIDC provider is reused and left alone; destroy leaves nothing.
 */
import * as fs from "fs";
import * as path from "path";
import { EMULATOR_ACCOUNT, Emulator, emulatorRequest, seedEmulator, startEmulator } from "../../sandbox/emulator";
import { requireTerraform, terraform, terraformError } from "../../ops/terraform";
import { AWS_ACCESS_FOLDER, AwsAccessInput, accountHints, writeAwsAccess } from "../../synth/pipelines/aws-access";
import { DEFAULT_APPLY_ROLE_NAME, DEFAULT_PLAN_ROLE_NAME, githubRoleArn } from "../../synth/pipelines/github-roles";
import { parseConfig } from "../../config/load";
import { synthesize } from "../../synth/synth";
import { readRecord } from "../../synth/stack-record";
import { exampleJson, tempDirs } from "../support/synth";
import { emulatorProviderOverride } from "../support/emulator";

jest.setTimeout(600_000);

const newDir = tempDirs("pl-access-sandbox-");

const SERVICE = EMULATOR_ACCOUNT; // owns the state bucket
const APP = "222222222222"; // has GitHub's OIDC provider already
const REPORTS = "333333333333"; // Terraform assumes the config's role there
const DNS = "444444444444"; // the hosted zone's account: no jobs, only its role's trust statement
const BUCKET = "privatelink-access-state";
const REGION = "us-west-2";
const REPO = "acme/privatelink";
const ISSUER = "token.actions.githubusercontent.com";

/**
 * One AWS call in an account of the emulator, through a role assumed there (the emulator puts
 * what a role's session does in the role's account). Answers the call's result, or its error code.
 */
function inAccount<T = any>(endpoint: string, account: string, service: string, operation: string, params: Record<string, unknown> = {}): T & { error?: string } {
  const answer = emulatorRequest<T>(endpoint, REGION, service, operation, params, { roleArn: `arn:aws:iam::${account}:role/emulator-admin` });
  return (answer.error ? { error: answer.error.code } : answer.result) as T & { error?: string };
}

/** The example with S3 state: the service and a consumer named by account.id, a consumer and the DNS account reached through roles. */
function config(): Record<string, any> {
  const c = exampleJson();
  c.state = { backend: "s3", bucket: BUCKET, region: REGION, keyPrefix: "privatelink/" };
  c.service.account = { region: REGION, id: SERVICE };
  c.service.endpointService.allowedPrincipals = [`arn:aws:iam::${APP}:root`, `arn:aws:iam::${REPORTS}:root`];
  c.dns = { provider: "route53", zoneName: "example.com", account: { region: REGION, roleArn: `arn:aws:iam::${DNS}:role/dns` } };
  c.consumers[0].account = { region: REGION, id: APP };
  c.consumers[1].account = { region: REGION, roleArn: `arn:aws:iam::${REPORTS}:role/deployer`, externalId: "reports-ext" };
  return c;
}

async function run(dir: string, args: string[]): Promise<string> {
  const r = await terraform(dir, args);
  if (r.code !== 0) throw new Error(`terraform ${args[0]} in ${path.basename(dir)} failed:\n${terraformError(r)}`);
  return r.stdout;
}

const roleNames = [DEFAULT_PLAN_ROLE_NAME, DEFAULT_APPLY_ROLE_NAME];

describe("the aws-access directories on the emulator", () => {
  let emulator: Emulator;
  let input: AwsAccessInput;
  let folder: string;
  let existingOidc: string;
  const dirOf = (account: string) => path.join(folder, account);
  const generated = (account: string) => JSON.parse(fs.readFileSync(path.join(dirOf(account), "main.tf.json"), "utf8"));

  beforeAll(async () => {
    requireTerraform();
    emulator = await startEmulator();
    seedEmulator(emulator.endpoint, { region: REGION, bucket: BUCKET });
    existingOidc = inAccount(emulator.endpoint, APP, "iam", "create_open_id_connect_provider", { Url: `https://${ISSUER}`, ClientIDList: ["sts.amazonaws.com"] }).OpenIDConnectProviderArn;
    const dir = newDir();
    const outdir = path.join(dir, "cdktf.out");
    const recordFile = path.join(dir, "privatelink.stacks.json");
    synthesize(parseConfig(config()), outdir, { recordFile });
    // Each stack's account as the record holds it: what synth hands the pipelines.
    const accounts = Object.fromEntries(Object.entries(readRecord(recordFile).stacks).map(([name, s]) => [name, s.accounts.default]));
    input = writeAwsAccess(outdir, { repository: REPO, stateBucketAccountId: SERVICE, accounts: accountHints(accounts), existingOidcProviders: { [APP]: "existing" } });
    folder = path.join(outdir, AWS_ACCESS_FOLDER);
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  test("one directory per account: the three with jobs, and the DNS account", () => {
    expect(input.accounts.map((a) => [a.accountId, a.jobStacks.length > 0])).toEqual([
      [SERVICE, true],
      [APP, true],
      [REPORTS, true],
      [DNS, false],
    ]);
  });

  test("applied in each account, they create the OIDC provider, the roles with their trust and policies, and the bucket policy", async () => {
    // WHEN each directory is applied by an administrator of its account (they do not depend on each other)
    await Promise.all(
      [SERVICE, APP, REPORTS, DNS].map(async (account) => {
        emulatorProviderOverride(dirOf(account), emulator.endpoint, account);
        await run(dirOf(account), ["init", "-input=false", "-no-color"]);
        await run(dirOf(account), ["apply", "-auto-approve", "-input=false", "-no-color"]);
      }),
    );

    // THEN the OIDC provider is GitHub's, created where none was, the existing one reused
    const created = inAccount(emulator.endpoint, SERVICE, "iam", "list_open_id_connect_providers").OpenIDConnectProviderList.map((p: any) => p.Arn);
    expect(created).toEqual([`arn:aws:iam::${SERVICE}:oidc-provider/${ISSUER}`]);
    expect(inAccount(emulator.endpoint, SERVICE, "iam", "get_open_id_connect_provider", { OpenIDConnectProviderArn: created[0] })).toMatchObject({ Url: ISSUER, ClientIDList: ["sts.amazonaws.com"] });
    expect(inAccount(emulator.endpoint, APP, "iam", "list_open_id_connect_providers").OpenIDConnectProviderList.map((p: any) => p.Arn)).toEqual([existingOidc]);

    // AND each role trusts exactly its subjects, for the audience sts.amazonaws.com, through its account's provider
    for (const [account, oidc] of [
      [SERVICE, created[0]],
      [APP, existingOidc],
      [REPORTS, `arn:aws:iam::${REPORTS}:oidc-provider/${ISSUER}`],
    ]) {
      for (const [name, sub] of [
        [DEFAULT_PLAN_ROLE_NAME, [`repo:${REPO}:pull_request`, `repo:${REPO}:ref:refs/heads/main`]],
        [DEFAULT_APPLY_ROLE_NAME, [`repo:${REPO}:environment:production`]],
      ] as const) {
        const role = inAccount(emulator.endpoint, account, "iam", "get_role", { RoleName: name }).Role;
        expect(role.Arn).toBe(githubRoleArn(account, name === DEFAULT_PLAN_ROLE_NAME ? "plan" : "apply"));
        expect(role.AssumeRolePolicyDocument.Statement).toEqual([
          {
            Sid: name === DEFAULT_PLAN_ROLE_NAME ? "PipelinePlan" : "PipelineApply",
            Effect: "Allow",
            Principal: { Federated: oidc },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: { StringEquals: { [`${ISSUER}:aud`]: "sts.amazonaws.com", [`${ISSUER}:sub`]: [...sub] } },
          },
        ]);
        // AND its policies are the generated ones
        const access = name === DEFAULT_PLAN_ROLE_NAME ? "plan" : "apply";
        expect(inAccount(emulator.endpoint, account, "iam", "list_role_policies", { RoleName: name }).PolicyNames.sort()).toEqual(["privatelink-stacks", "privatelink-state"]);
        for (const [policy, resource] of [
          ["privatelink-stacks", `${access}_stacks`],
          ["privatelink-state", `${access}_state`],
        ]) {
          const stored = inAccount(emulator.endpoint, account, "iam", "get_role_policy", { RoleName: name, PolicyName: policy }).PolicyDocument;
          expect(stored).toEqual(JSON.parse(generated(account).resource.aws_iam_role_policy[resource].policy));
        }
      }
    }
    // The apply role of the service account may create load balancers; its plan role may not.
    const serviceApply = JSON.stringify(inAccount(emulator.endpoint, SERVICE, "iam", "get_role_policy", { RoleName: DEFAULT_APPLY_ROLE_NAME, PolicyName: "privatelink-stacks" }).PolicyDocument);
    const servicePlan = JSON.stringify(inAccount(emulator.endpoint, SERVICE, "iam", "get_role_policy", { RoleName: DEFAULT_PLAN_ROLE_NAME, PolicyName: "privatelink-stacks" }).PolicyDocument);
    expect([serviceApply.includes("elasticloadbalancing:CreateLoadBalancer"), servicePlan.includes("elasticloadbalancing:CreateLoadBalancer")]).toEqual([true, false]);

    // AND the state bucket's policy is the generated one: each account's roles their keys, no plain HTTP
    const bucketPolicy = JSON.parse(inAccount(emulator.endpoint, SERVICE, "s3", "get_bucket_policy", { Bucket: BUCKET }).Policy);
    expect(bucketPolicy).toEqual(JSON.parse(generated(SERVICE).resource.aws_s3_bucket_policy.state.policy));
    expect(bucketPolicy.Statement.find((s: any) => s.Action === "s3:PutObject" && s.Condition.ArnEquals["aws:PrincipalArn"].includes(githubRoleArn(APP, "apply")))?.Resource).toEqual(
      [`arn:aws:s3:::${BUCKET}/privatelink/consumer-app-private-dns.tfstate`, `arn:aws:s3:::${BUCKET}/privatelink/consumer-app.tfstate`],
    );
    expect(bucketPolicy.Statement.at(-1)).toMatchObject({ Sid: "DenyInsecureTransport", Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });

    // AND the accounts of the config's roles say what to add to their trust policies
    const outputs = JSON.parse(await run(dirOf(DNS), ["output", "-json", "-no-color"]));
    expect(JSON.parse(outputs.config_role_trust_statements.value[`arn:aws:iam::${DNS}:role/dns`]).Condition).toEqual({
      ArnEquals: { "aws:PrincipalArn": [githubRoleArn(SERVICE, "apply"), githubRoleArn(SERVICE, "plan")] },
    });
    const reports = JSON.parse(await run(dirOf(REPORTS), ["output", "-json", "-no-color"]));
    expect(JSON.parse(reports.config_role_trust_statements.value[`arn:aws:iam::${REPORTS}:role/deployer`]).Condition.StringEquals).toEqual({ "sts:ExternalId": "reports-ext" });
  });

  test("destroyed, they leave nothing but what was there before", async () => {
    await Promise.all(
      [DNS, REPORTS, APP, SERVICE].map(async (account) => {
        await run(dirOf(account), ["destroy", "-auto-approve", "-input=false", "-no-color"]);
        expect((await run(dirOf(account), ["state", "list", "-no-color"])).trim()).toBe("");
      }),
    );
    for (const account of [SERVICE, APP, REPORTS]) {
      const roles = inAccount(emulator.endpoint, account, "iam", "list_roles").Roles.map((r: any) => r.RoleName);
      expect(roles.filter((r: string) => roleNames.includes(r))).toEqual([]);
    }
    expect(inAccount(emulator.endpoint, SERVICE, "iam", "list_open_id_connect_providers").OpenIDConnectProviderList).toEqual([]);
    expect(inAccount(emulator.endpoint, REPORTS, "iam", "list_open_id_connect_providers").OpenIDConnectProviderList).toEqual([]);
    // The provider that existed before stays: the directory only looked it up.
    expect(inAccount(emulator.endpoint, APP, "iam", "list_open_id_connect_providers").OpenIDConnectProviderList.map((p: any) => p.Arn)).toEqual([existingOidc]);
    expect(inAccount(emulator.endpoint, SERVICE, "s3", "get_bucket_policy", { Bucket: BUCKET }).error).toBe("NoSuchBucketPolicy");
  });

  test("HCP Terraform's directories, applied in each account: its OIDC provider, and roles trusting only the run phases of the account's workspaces", async () => {
    // GIVEN the example with HCP Terraform state and the workspace set
    const c = config();
    c.state = { backend: "hcp-terraform", organization: "acme", project: "privatelink" };
    c.pipelines = { hcpTerraform: {} };
    const dir = newDir();
    synthesize(parseConfig(c), path.join(dir, "cdktf.out"), { recordFile: path.join(dir, "privatelink.stacks.json") });
    const hcpDir = (account: string) => path.join(dir, "cdktf.out", AWS_ACCESS_FOLDER, account);
    // WHEN an administrator applies each account's directory
    await Promise.all(
      [SERVICE, APP, REPORTS, DNS].map(async (account) => {
        emulatorProviderOverride(hcpDir(account), emulator.endpoint, account);
        await run(hcpDir(account), ["init", "-input=false", "-no-color"]);
        await run(hcpDir(account), ["apply", "-auto-approve", "-input=false", "-no-color"]);
      }),
    );
    // THEN where workspaces run, the OIDC provider is HCP Terraform's and each role trusts the one
    // run phase of exactly the workspaces whose stacks deploy to that account
    for (const [account, stacks] of [
      [SERVICE, ["acceptance", "dns-verification", "provider"]],
      [APP, ["consumer-app", "consumer-app-private-dns"]],
      [REPORTS, ["consumer-reports"]],
    ] as const) {
      const arn = `arn:aws:iam::${account}:oidc-provider/app.terraform.io`;
      expect(inAccount(emulator.endpoint, account, "iam", "get_open_id_connect_provider", { OpenIDConnectProviderArn: arn })).toMatchObject({ Url: "app.terraform.io", ClientIDList: ["aws.workload.identity"] });
      for (const phase of ["plan", "apply"]) {
        const role = inAccount(emulator.endpoint, account, "iam", "get_role", { RoleName: `privatelink-hcp-${phase}` }).Role;
        expect({ account, phase, trust: role.AssumeRolePolicyDocument.Statement }).toEqual({
          account,
          phase,
          trust: [
            {
              Sid: phase === "plan" ? "PipelinePlan" : "PipelineApply",
              Effect: "Allow",
              Principal: { Federated: arn },
              Action: "sts:AssumeRoleWithWebIdentity",
              Condition: { StringEquals: { "app.terraform.io:aud": "aws.workload.identity", "app.terraform.io:sub": stacks.map((s) => `organization:acme:project:privatelink:workspace:demo-${s}:run_phase:${phase}`) } },
            },
          ],
        });
      }
    }
    // AND the DNS account, where no workspace runs, has neither provider nor roles
    expect(inAccount(emulator.endpoint, DNS, "iam", "list_open_id_connect_providers").OpenIDConnectProviderList).toEqual([]);
    // (Destroying them is not repeated here: they hold the resource types of the GitHub Actions
    // directories, whose destroy above leaves nothing, and every terraform destroy costs about
    // ten CPU seconds of the provider validating its schema.)
  });
});
