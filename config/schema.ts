import { z } from "zod";
import { LoadBalancerIpAddressType } from "../modules/dual-stack-nlb";
import { ListenerProtocol, TargetIpAddressType, TargetType, HealthCheckProtocol } from "../modules/network-listener";
import { ConnectionEvent, ServiceIpAddressType } from "../modules/endpoint-service";
import { DnsRecordIpType, EndpointIpAddressType } from "../modules/consumer-endpoint";
import { CLOUDWATCH_RETENTION_DAYS, FlowLogDestination, FlowLogTrafficType } from "../modules/dual-stack-vpc";
import { IntegerRange, RANGES } from "../modules/validation";

/**
 * The account the emulator gives every request signed with the sandbox's test credentials
 * (moto's default): with `sandbox` set, every stack deploys there.
 */
export const SANDBOX_ACCOUNT_ID = "123456789012";

/**
 * The config file's shape. The JSON schema shipped for editors (privatelink.schema.json) is
 * generated from this same definition by `npm run schema`.
 */
const region = z.string().describe("AWS region code, such as us-west-2");
/**
 * An integer whose range editors are told (in privatelink.schema.json) while the constructs'
 * own checks judge it, so that a value out of range is reported with the other problems.
 */
const integer = ({ minimum, maximum }: IntegerRange) => z.number().int().meta({ minimum, maximum });
const port = () => integer(RANGES.port);
const account = z.strictObject({
  region,
  id: z.string().optional().describe("The 12-digit account id; default: read from roleArn. Lets synth check a consumer against the allowed principals"),
  roleArn: z.string().optional().describe("IAM role that Terraform assumes in this account"),
  externalId: z.string().optional().describe("External id for the role assumption"),
});

const network = z
  .strictObject({
    vpcId: z.string().optional().describe("Existing VPC (with subnetIds)"),
    subnetIds: z.array(z.string()).optional().describe("Existing subnets, one per Availability Zone"),
    create: z
      .strictObject({
        ipv4Cidr: z.string().describe("IPv4 CIDR of the new VPC, /16 to /24"),
        availabilityZones: z
          .array(z.string())
          .describe("One subnet (IPv4 + IPv6 /64) per zone of the account's region: zone names (us-west-2a) or zone ids (usw2-az1), not both. An id is the same physical zone in every account; a name may not be"),
        internetGateway: z.boolean().default(false).describe("Attach an internet gateway and default routes"),
        flowLogs: z
          .strictObject({
            destination: z.enum(FlowLogDestination).describe('"cloud-watch-logs" (a log group and its writer role are created) or "s3" (bucketArn)'),
            bucketArn: z.string().optional().describe("S3 only: arn:aws:s3:::bucket, optionally /prefix"),
            retentionDays: integer({ minimum: CLOUDWATCH_RETENTION_DAYS[0], maximum: CLOUDWATCH_RETENTION_DAYS[CLOUDWATCH_RETENTION_DAYS.length - 1] }).optional().describe("CloudWatch Logs only: days to keep the records; default 365"),
            trafficType: z.enum(FlowLogTrafficType).optional().describe("ALL (default), ACCEPT or REJECT"),
          })
          .optional()
          .describe('Where the VPC\'s flow logs go; default: CloudWatch Logs, kept 365 days'),
        withoutFlowLogs: z
          .strictObject({ reason: z.string().describe("Why this VPC records no flow logs; shown with the suppressed PL-VPC1 finding") })
          .optional()
          .describe("No flow logs for this VPC: give the reason"),
      })
      .optional()
      .describe("A new dual-stack VPC instead of an existing one"),
  })
  .describe('Either { "vpcId", "subnetIds" } or { "create": { ... } }');

const healthCheck = z.strictObject({
  protocol: z.enum(HealthCheckProtocol).optional(),
  port: port().optional(),
  path: z.string().optional(),
  intervalSeconds: integer(RANGES.healthCheckIntervalSeconds).optional(),
  healthyThreshold: integer(RANGES.healthCheckThreshold).optional(),
  unhealthyThreshold: integer(RANGES.healthCheckThreshold).optional(),
  matcher: z.string().optional(),
});

const listener = z.strictObject({
  id: z.string().optional().describe("Stable name of the listener in Terraform addresses (letters, digits, '-', '_'); default: its position. Name listeners whose order may change"),
  port: port(),
  protocol: z.enum(ListenerProtocol).default(ListenerProtocol.TCP),
  certificateArn: z.string().optional().describe("TLS only, and required there: an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>) in the service's region and account"),
  sslPolicy: z.string().optional(),
  alpnPolicy: z.string().optional(),
});

const target = z.strictObject({
  type: z.enum(TargetType).default(TargetType.INSTANCE),
  port: port().optional().describe("Port on the targets; default: the listener port"),
  ipAddressType: z.enum(TargetIpAddressType).default(TargetIpAddressType.IPV4),
  ids: z.array(z.string()).default([]).describe("Instance ids or IP addresses to register"),
  demoInstance: z
    .strictObject({
      instanceType: z.string().default("t3.micro"),
      amiId: z.string().optional().describe("Default: the latest Amazon Linux 2023 AMI"),
    })
    .optional()
    .describe("Launch an instance serving 'Hello World from <hostname>' as the target"),
  healthCheck: healthCheck.optional(),
  preserveClientIp: z.boolean().optional(),
  deregistrationDelaySeconds: integer(RANGES.deregistrationDelaySeconds).optional(),
});

const allowFrom = z.strictObject({
  securityGroupIds: z.array(z.string()).default([]),
  ipv4Cidrs: z.array(z.string()).default([]),
  ipv6Cidrs: z.array(z.string()).default([]),
  allowAnyAddress: z.boolean().default(false).describe("Accept 0.0.0.0/0 and ::/0"),
});

const consumer = z.strictObject({
  name: z.string().describe("Lowercase name; the stack is consumer-<name>"),
  account,
  network,
  ipAddressType: z.enum(EndpointIpAddressType).default(EndpointIpAddressType.DUALSTACK),
  dnsRecordIpType: z.enum(DnsRecordIpType).optional().describe("Default: matches ipAddressType"),
  privateDns: z.boolean().optional().describe("Default: true when the service has a private DNS name"),
  serviceRegion: z.string().optional().describe("Region of the service, for cross-region PrivateLink"),
  allowFrom,
});

const state = z.discriminatedUnion("backend", [
  z.strictObject({
    backend: z.literal("local"),
    directory: z.string().default("terraform-state").describe("Relative to the project root"),
  }),
  z.strictObject({
    backend: z.literal("s3"),
    bucket: z.string(),
    region,
    keyPrefix: z.string().default("privatelink/"),
    roleArn: z.string().optional(),
    kmsKeyId: z.string().optional(),
  }),
  z.strictObject({
    backend: z.literal("hcp-terraform"),
    organization: z.string().describe("HCP Terraform (or Terraform Enterprise) organization that holds the workspaces"),
    project: z.string().describe("Project the workspaces belong to"),
    workspacePrefix: z.string().optional().describe("Every stack's workspace is <workspacePrefix><stack>; default: the config's name and a dash, such as privatelink-provider"),
    hostname: z.string().default("app.terraform.io").describe("app.terraform.io, or the host of your Terraform Enterprise"),
    readOutputsWith: z
      .enum(["terraform_remote_state", "tfe_outputs"])
      .default("terraform_remote_state")
      .describe("How a stack reads another's outputs: terraform_remote_state with the remote backend (default; validates offline), or the tfe provider's tfe_outputs data source (HashiCorp's recommendation; needs the tfe provider)"),
  }),
]);

/** Per account id, a pipeline's own plan and apply roles instead of the ones its access folders create. */
const ownPipelineRoles = (plan: string, apply: string) =>
  z
    .record(z.string(), z.strictObject({ plan: z.string().optional().describe(plan), apply: z.string().optional().describe(apply) }))
    .default({})
    .describe("Per account id, your own role ARNs instead of the named roles (arn:aws:iam::<account id>:role/<planRoleName or applyRoleName>)");

/**
 * The GitHub Actions workflow synth writes to cdktf.out/pipelines/github-actions.yml. Its checks
 * (repository name, accounts whose id must be known, shared state) are in checks.ts.
 */
const githubActions = z.strictObject({
  repository: z.string().describe("<owner>/<name> of the GitHub repository that runs the workflow, such as acme/privatelink; the OIDC roles trust only it"),
  branch: z.string().default("main").describe("Pushes to this branch apply; pull requests to it plan; the drift check runs on it"),
  environment: z.string().default("production").describe("GitHub environment of the apply jobs: its required reviewers approve, its deployment branch rule protects, and the apply role trusts only it"),
  approvalEnvironment: z
    .string()
    .optional()
    .describe("A second GitHub environment whose reviewers approve a whole apply run once, in one job before the others (GitHub asks the reviewers of `environment` once per job); default: none"),
  workflowFile: z
    .string()
    .default(".github/workflows/privatelink.yml")
    .describe("Where the workflow is committed, relative to the repository root: the pull-request job fails when that copy differs from what synth writes"),
  projectDirectory: z.string().default(".").describe("This project's folder in the repository (where package.json is), relative to the repository root"),
  nodeVersion: z.string().default("20").describe("Node.js version of the synth and plan jobs (actions/setup-node), such as 20 or 22.11.0"),
  terraformVersion: z.string().default("1.11.4").describe("Terraform version every job installs (hashicorp/setup-terraform): an exact version, 1.10.0 or later"),
  driftSchedule: z
    .union([z.string(), z.literal(false)])
    .default("17 5 * * *")
    .describe('cron schedule (UTC, five fields) of the drift check, a plain `terraform plan -detailed-exitcode` of every stack; default "17 5 * * *" (daily); false: no drift check'),
  runsOn: z.string().default("ubuntu-24.04").describe("Runner label of every job"),
  planRoleName: z.string().optional().describe("Name of the read-only role the plan and drift jobs assume in each account; default privatelink-github-plan"),
  applyRoleName: z.string().optional().describe("Name of the role the apply jobs assume in each account; default privatelink-github-apply"),
  roles: ownPipelineRoles("Role ARN for the plan and drift jobs", "Role ARN for the apply jobs"),
});

/**
 * The HCP Terraform workspace set synth writes to cdktf.out/pipelines/hcp-terraform/ (with
 * state.backend "hcp-terraform"). Its checks are in checks.ts.
 */
const hcpTerraform = z.strictObject({
  vcs: z
    .strictObject({
      identifier: z.string().describe("<owner>/<name> of the repository, as HCP Terraform's VCS connection names it"),
      branch: z.string().optional().describe("Branch the workspaces follow; default: the repository's default branch"),
      oauthTokenId: z.string().optional().describe("OAuth token id of the organization's VCS connection (ot-...)"),
      githubAppInstallationId: z.string().optional().describe("Or the GitHub App installation id (ghain-...)"),
      projectDirectory: z.string().default(".").describe("This project's folder in the repository, relative to its root: the workspaces run in <projectDirectory>/cdktf.out/stacks/<stack>, so cdktf.out/stacks is committed"),
    })
    .optional()
    .describe("VCS-driven runs: each workspace runs on a push that changes its stack's folder; default: CLI-driven runs (npm run deploy, cdktf deploy or terraform apply upload the configuration)"),
  executionMode: z.enum(["remote", "agent"]).default("remote").describe("Where runs execute: HCP Terraform's workers, or your agents (agentPoolId)"),
  agentPoolId: z.string().optional().describe("Agent pool (apool-...) with executionMode agent"),
  terraformVersion: z.string().default("1.11.4").describe("Terraform version of every workspace: an exact version, 1.10.0 or later"),
  autoApply: z.boolean().default(false).describe("Apply a run's plan without confirmation (runs from VCS or the CLI)"),
  autoApplyRunTriggers: z.boolean().default(false).describe("Apply without confirmation the runs a run trigger starts (a stack's run after the stacks it reads applied)"),
  planRoleName: z.string().optional().describe("Name of the read-only role plans assume in each account; default privatelink-hcp-plan"),
  applyRoleName: z.string().optional().describe("Name of the role applies assume in each account; default privatelink-hcp-apply"),
  roles: ownPipelineRoles("Role ARN for plans", "Role ARN for applies"),
});

/** A Terraform version constraint: one or more comma-separated `[operator] version` parts. */
const PROVIDER_VERSION = /^\s*(?:(?:=|!=|>=?|<=?|~>)\s*)?\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?\s*(?:,\s*(?:(?:=|!=|>=?|<=?|~>)\s*)?\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?\s*)*$/;

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().describe("Prefix for resource names and tags"),
  tags: z.record(z.string(), z.string()).default({}),
  state: state.default({ backend: "local", directory: "terraform-state" }),
  service: z.strictObject({
    account,
    network,
    loadBalancer: z.strictObject({
      name: z.string().optional(),
      ipAddressType: z.enum(LoadBalancerIpAddressType).default(LoadBalancerIpAddressType.DUALSTACK),
      listeners: z.array(listener).min(1),
      target: target.default({ type: TargetType.INSTANCE, ipAddressType: TargetIpAddressType.IPV4, ids: [] }),
      proxyProtocolV2: z.boolean().default(false),
      crossZone: z.boolean().default(true),
      deletionProtection: z.boolean().optional().describe("Default: true, except with sandbox (which destroys what it builds). Turn it off before a planned removal"),
      securityGroupIds: z.array(z.string()).optional().describe("Your own security groups instead of the load balancer's own"),
      allowDirectFrom: z
        .strictObject({
          securityGroupIds: z.array(z.string()).default([]),
          ipv4Cidrs: z.array(z.string()).default([]),
          ipv6Cidrs: z.array(z.string()).default([]),
        })
        .optional()
        .describe("Clients that may reach the listeners directly, not through PrivateLink; default: none"),
      withoutSecurityGroup: z
        .strictObject({ reason: z.string().describe("Why the load balancer has no security group; shown with the suppressed PL-NLB4 finding") })
        .optional()
        .describe("No security group at all (AWS cannot add one later): give the reason"),
      accessLogs: z.strictObject({ bucket: z.string(), prefix: z.string().optional() }).optional(),
    }),
    endpointService: z.strictObject({
      acceptanceRequired: z.boolean().default(true),
      allowedPrincipals: z.array(z.string()).default([]),
      supportedIpAddressTypes: z.array(z.enum(ServiceIpAddressType)).default([ServiceIpAddressType.IPV4, ServiceIpAddressType.IPV6]),
      privateDnsName: z.string().optional(),
      supportedRegions: z.array(z.string()).default([]),
      connectionNotification: z
        .strictObject({ topicArn: z.string(), events: z.array(z.enum(ConnectionEvent)).optional() })
        .optional(),
    }),
  }),
  dns: z
    .discriminatedUnion("provider", [
      z.strictObject({
        provider: z.literal("route53"),
        zoneName: z.string().optional(),
        zoneId: z.string().optional(),
        account: account.optional().describe("The account that owns the hosted zone, when it is not the service's"),
      }),
      z.strictObject({ provider: z.literal("external"), startVerification: z.boolean().default(false) }),
    ])
    .optional()
    .describe("Where the private DNS name's TXT verification record lives"),
  consumers: z.array(consumer).default([]),
  sandbox: z.strictObject({ endpoint: z.string().describe("Local AWS emulator, such as http://127.0.0.1:4566") }).optional(),
  pipelines: z
    .strictObject({
      githubActions: githubActions.optional().describe("Writes cdktf.out/pipelines/github-actions.yml: plans on pull requests, applies on pushes in an environment, a scheduled drift check, OIDC only"),
      hcpTerraform: hcpTerraform
        .optional()
        .describe("Writes cdktf.out/pipelines/hcp-terraform/: the HCP Terraform workspaces (one per stack), their run triggers, shared state and dynamic AWS credentials, as Terraform an administrator applies"),
    })
    .optional()
    .describe("Where teams run this project: the CI workflows synth writes next to the stacks"),
  terraform: z
    .strictObject({
      awsProviderVersion: z
        .string()
        .regex(PROVIDER_VERSION, { error: 'a version such as "5.100.0", or a constraint such as "~> 6.0" or ">= 5.100, < 7.0"' })
        .optional()
        .describe("The AWS provider version every stack requires (required_providers); default: the one the construct library was generated from"),
    })
    .default({}),
  suppressions: z
    .array(
      z.strictObject({
        id: z.string().describe("Rule id, such as PL-NLB2 (see RULES.md)"),
        reason: z.string().describe("Why this finding is acceptable here; required"),
        stack: z.string().optional().describe("Only in this stack"),
        resource: z.string().optional().describe("Only for this resource, <type>.<logical id>"),
        config: z.string().optional().describe("Only for what this config path (or a path below it) produced, such as consumers[0].allowFrom"),
      }),
    )
    .default([])
    .describe("Security rule findings accepted on purpose, each with its reason"),
});

export type PrivateLinkConfig = z.output<typeof configSchema>;
export type ConsumerConfig = PrivateLinkConfig["consumers"][number];
export type NetworkConfig = ConsumerConfig["network"];
export type StateConfig = PrivateLinkConfig["state"];
/** The HCP Terraform settings of a config's state. */
export type HcpTerraformStateConfig = Extract<StateConfig, { backend: "hcp-terraform" }>;
export type AccountConfig = ConsumerConfig["account"];
export type GithubActionsConfig = NonNullable<NonNullable<PrivateLinkConfig["pipelines"]>["githubActions"]>;
export type HcpTerraformConfig = NonNullable<NonNullable<PrivateLinkConfig["pipelines"]>["hcpTerraform"]>;
