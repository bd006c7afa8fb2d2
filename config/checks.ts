import * as path from "path";
import { Lazy } from "cdktf";
import * as ipaddr from "ipaddr.js";
import { EndpointIpAddressType, checkConsumerEndpointProps } from "../modules/consumer-endpoint";
import { LoadBalancerIpAddressType, checkDualStackNlbProps } from "../modules/dual-stack-nlb";
import { ListenerProtocol, TargetType } from "../modules/network-listener";
import { checkDualStackVpcProps } from "../modules/dual-stack-vpc";
import { ServiceIpAddressType, checkEndpointServiceProps } from "../modules/endpoint-service";
import { checkPrivateDnsVerificationProps } from "../modules/private-dns-verification";
import { Problems, REGION_FORMAT, duplicates, idFormat, isArn, isAwsId, isRegion, parseAcmCertificateArn } from "../modules/validation";
import { SANDBOX_ACCOUNT_ID } from "./schema";
import type { AccountConfig, ConsumerConfig, GithubActionsConfig, HcpTerraformConfig, HcpTerraformStateConfig, NetworkConfig, PrivateLinkConfig } from "./schema";
import { createdNetworkProps, endpointProps, loadBalancerProps } from "./to-props";

/** Values that only exist once Terraform runs: the constructs' checks leave them alone. */
const later = (): string => Lazy.stringValue({ produce: () => "" });
const laterList = (): string[] => Lazy.listValue({ produce: () => [] });

const NAME_RULE = "1 to 20 characters: lowercase letters, digits and '-', starting with a letter";
const isName = (v: string) => /^[a-z][a-z0-9-]{0,19}$/.test(v);

/**
 * The PrivateLink rules of a config, run after the shape check: the constructs' own prop checks
 * (reported at the config's JSON paths) plus the rules that span several sections.
 */
export function checkPrivateLinkRules(c: PrivateLinkConfig, p: Problems): void {
  const svc = c.service;
  const es = svc.endpointService;
  p.check(isName(c.name), "name", c.name, NAME_RULE);
  checkAccount(p, "service.account", svc.account);
  const serviceNet = checkNetwork(p, "service.network", svc.network, svc.account.region);

  // The load balancer, as the provider stack builds it.
  const lb = svc.loadBalancer;
  const nlbPath = (prop: string): string => {
    if (prop === "vpcId" || prop.startsWith("subnetIds")) return `service.network.${prop}`;
    if (/^(listeners\[\d+\]\.)?target\.proxyProtocolV2$/.test(prop)) return "service.loadBalancer.proxyProtocolV2";
    if (prop === "crossZoneEnabled") return "service.loadBalancer.crossZone";
    return `service.loadBalancer.${prop}`;
  };
  checkDualStackNlbProps(
    {
      ...loadBalancerProps(c, serviceNet, lb.target.ids),
      // The derived name is judged only when the config's name is valid: one mistake, one message.
      name: lb.name ?? (isName(c.name) ? `${c.name}-nlb` : undefined),
    },
    p.scoped(nlbPath),
  );
  checkTargets(p, c);
  checkCertificates(p, c);

  // The endpoint service.
  checkEndpointServiceProps(
    {
      networkLoadBalancerArns: laterList(),
      acceptanceRequired: es.acceptanceRequired,
      allowedPrincipals: es.allowedPrincipals,
      supportedIpAddressTypes: es.supportedIpAddressTypes,
      privateDnsName: es.privateDnsName,
      supportedRegions: es.supportedRegions,
      connectionNotification: es.connectionNotification,
    },
    p.scoped((prop) => `service.endpointService.${prop}`),
  );
  p.check(!es.supportedIpAddressTypes.includes(ServiceIpAddressType.IPV6) || lb.ipAddressType === LoadBalancerIpAddressType.DUALSTACK, "service.endpointService.supportedIpAddressTypes", es.supportedIpAddressTypes, `["ipv4"], or service.loadBalancer.ipAddressType "dualstack": IPv6 needs a dual-stack load balancer`);
  p.check(!es.supportedRegions.includes(svc.account.region), "service.endpointService.supportedRegions", es.supportedRegions, `other regions than the service's own (${svc.account.region}), which is always supported`);

  // Private DNS and its verification.
  if (es.privateDnsName !== undefined) {
    p.check(c.dns !== undefined, "dns", c.dns, '{ "provider": "route53", "zoneName": "<zone holding the private DNS name>" } or { "provider": "external" }: a private DNS name must be verified');
    if (c.dns?.provider === "route53") {
      if (c.dns.account) checkAccount(p, "dns.account", c.dns.account);
      p.check(c.dns.zoneName !== undefined || c.dns.zoneId !== undefined, "dns.zoneName", c.dns.zoneName, "the public hosted zone that holds the private DNS name (or dns.zoneId)");
      if (c.dns.zoneId !== undefined) p.check(/^Z[A-Z0-9]{1,31}$/.test(c.dns.zoneId), "dns.zoneId", c.dns.zoneId, "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ");
      checkPrivateDnsVerificationProps(
        { serviceId: later(), privateDnsName: es.privateDnsName, verificationName: later(), verificationValue: later(), hostedZone: { zoneName: c.dns.zoneName, zoneId: c.dns.zoneId } },
        p.scoped((prop) => (prop === "privateDnsName" ? "service.endpointService.privateDnsName" : prop.startsWith("hostedZone.") ? `dns.${prop.slice("hostedZone.".length)}` : `dns.${prop}`)),
      );
    }
  }

  // Consumers, and who may connect.
  const names = new Set<string>();
  c.consumers.forEach((consumer, i) => checkConsumer(p, c, consumer, i, names));
  checkPrincipalsCoverConsumers(p, c);

  if (c.state.backend === "local") {
    p.check(!path.isAbsolute(c.state.directory) && !c.state.directory.split(/[\\/]/).includes(".."), "state.directory", c.state.directory, "a path inside the project, relative to its root, so cdktf.out and the state can move together");
  } else if (c.state.backend === "hcp-terraform") {
    checkHcpTerraformState(p, c, c.state);
  } else {
    p.check(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(c.state.bucket) && !c.state.bucket.includes(".."), "state.bucket", c.state.bucket, "an S3 bucket name: 3 to 63 lowercase letters, digits, '.' and '-'");
    p.check(isRegion(c.state.region), "state.region", c.state.region, REGION_FORMAT);
    if (c.state.roleArn !== undefined) p.check(isRoleArn(c.state.roleArn), "state.roleArn", c.state.roleArn, ROLE_ARN_FORMAT);
    if (c.state.kmsKeyId !== undefined) p.check(isArn(c.state.kmsKeyId, "kms") || /^[0-9a-f-]{36}$/.test(c.state.kmsKeyId), "state.kmsKeyId", c.state.kmsKeyId, "a KMS key ARN or key id");
  }
  if (c.pipelines?.githubActions) checkGithubActions(p, c, c.pipelines.githubActions);
  if (c.pipelines?.hcpTerraform) checkHcpTerraform(p, c, c.pipelines.hcpTerraform);
  if (c.sandbox !== undefined) {
    p.check(isLoopbackUrl(c.sandbox.endpoint), "sandbox.endpoint", c.sandbox.endpoint, "an http URL on a loopback address, such as http://127.0.0.1:4566");
  }
}

/** HCP Terraform state: names HCP Terraform accepts, and no sandbox (the emulator keeps no workspaces). */
function checkHcpTerraformState(p: Problems, c: PrivateLinkConfig, s: HcpTerraformStateConfig): void {
  p.check(/^[A-Za-z0-9_-]{1,40}$/.test(s.organization), "state.organization", s.organization, "an HCP Terraform organization name: letters, digits, - and _, such as acme");
  p.check(/^[A-Za-z0-9 _-]{3,40}$/.test(s.project), "state.project", s.project, "an HCP Terraform project name: 3 to 40 letters, digits, spaces, - and _, such as privatelink");
  p.check(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d+)?$/.test(s.hostname), "state.hostname", s.hostname, "a host name such as app.terraform.io or tfe.example.com (no scheme, no path)");
  const prefix = s.workspacePrefix ?? `${c.name}-`;
  // The longest stack name is consumer-<name>-private-dns; HCP Terraform allows 90 characters.
  const longest = Math.max("dns-verification".length, ...c.consumers.map((x) => `consumer-${x.name}-private-dns`.length));
  p.check(/^[A-Za-z0-9_-]*$/.test(prefix) && prefix.length + longest <= 90, s.workspacePrefix === undefined ? "name" : "state.workspacePrefix", s.workspacePrefix ?? c.name, `a workspace name prefix of letters, digits, - and _, at most ${90 - longest} characters here (the workspaces are <prefix><stack>, at most 90 characters)`);
  p.check(c.sandbox === undefined, "state.backend", s.backend, '"local" or "s3": the sandbox keeps state on this machine or in the emulator, which has no HCP Terraform workspaces');
}

const ROLE_ARN_FORMAT = "an IAM role ARN such as arn:aws:iam::123456789012:role/deploy";
const isRoleArn = (v: string): boolean => isArn(v, "iam") && /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(v);

function checkAccount(p: Problems, at: string, account: AccountConfig): void {
  p.check(isRegion(account.region), `${at}.region`, account.region, REGION_FORMAT);
  if (account.roleArn !== undefined) p.check(isRoleArn(account.roleArn), `${at}.roleArn`, account.roleArn, ROLE_ARN_FORMAT);
  if (account.id !== undefined) {
    p.check(/^\d{12}$/.test(account.id), `${at}.id`, account.id, "a 12-digit AWS account id such as 123456789012");
    const fromRole = account.roleArn !== undefined && isRoleArn(account.roleArn) ? account.roleArn.split(":")[4] : undefined;
    p.check(fromRole === undefined || fromRole === account.id, `${at}.id`, account.id, `the account of ${at}.roleArn, ${fromRole}`);
  }
  p.check(account.externalId === undefined || account.roleArn !== undefined, `${at}.externalId`, account.externalId, "no externalId, or a roleArn to assume with it");
}

/** Checks a network section; returns the VPC and subnets as the stacks will see them. */
function checkNetwork(p: Problems, at: string, network: NetworkConfig, region: string): { vpcId: string; subnetIds: string[] } {
  const existing = network.vpcId !== undefined || network.subnetIds !== undefined;
  if (network.create) {
    p.check(!existing, at, network, 'either { "vpcId", "subnetIds" } or { "create": { ... } }, not both');
    // The zones are judged against the account's region (an invalid region is reported at its own path).
    checkDualStackVpcProps(createdNetworkProps(network.create, undefined, isRegion(region) ? region : undefined), p.scoped((prop) => `${at}.create.${prop}`));
    return { vpcId: later(), subnetIds: laterList() };
  }
  p.check(network.vpcId !== undefined, `${at}.vpcId`, network.vpcId, `an existing VPC id (${idFormat("vpc")}), or use ${at}.create`);
  // An empty list is the constructs' to report (at the same path): one mistake, one message.
  p.check(network.subnetIds !== undefined, `${at}.subnetIds`, network.subnetIds, `one or more existing subnet ids, one per Availability Zone, or use ${at}.create`);
  if (network.vpcId !== undefined) p.check(isAwsId("vpc")(network.vpcId), `${at}.vpcId`, network.vpcId, idFormat("vpc"));
  (network.subnetIds ?? []).forEach((s, i) => p.check(isAwsId("subnet")(s), `${at}.subnetIds[${i}]`, s, idFormat("subnet")));
  for (const d of duplicates(network.subnetIds ?? [])) p.add(`${at}.subnetIds`, d, "each subnet once");
  return { vpcId: network.vpcId ?? later(), subnetIds: network.subnetIds ?? laterList() };
}

/**
 * A TLS listener's certificate is one of the load balancer's region and account: AWS refuses
 * any other at apply. A malformed ARN is the load balancer's own check to report.
 */
function checkCertificates(p: Problems, c: PrivateLinkConfig): void {
  const region = c.service.account.region;
  const account = knownAccount(c, c.service.account);
  c.service.loadBalancer.listeners.forEach((l, i) => {
    const cert = l.protocol === ListenerProtocol.TLS ? parseAcmCertificateArn(l.certificateArn) : undefined;
    if (!cert) return;
    const at = `service.loadBalancer.listeners[${i}].certificateArn`;
    if (isRegion(region)) {
      p.check(cert.region === region, at, l.certificateArn, `a certificate of the load balancer's region, ${region} (service.account.region): ACM certificates are regional; request or import the certificate in ${region}`);
    }
    if (account) {
      p.check(cert.account === account.id, at, l.certificateArn, `a certificate of the load balancer's account, ${account.id} (${account.from.startsWith("account.") ? `service.${account.from}` : account.from}): a listener cannot use another account's certificate; request or import it in ${account.id}`);
    }
  });
}

function checkTargets(p: Problems, c: PrivateLinkConfig): void {
  // The target ids are judged by the load balancer's own checks (checkDualStackNlbProps).
  const t = c.service.loadBalancer.target;
  if (t.demoInstance) {
    p.check(t.type === TargetType.INSTANCE, "service.loadBalancer.target.type", t.type, '"instance": the demo target is an instance');
    if (t.demoInstance.amiId !== undefined) p.check(isAwsId("ami")(t.demoInstance.amiId), "service.loadBalancer.target.demoInstance.amiId", t.demoInstance.amiId, idFormat("ami"));
    p.check(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(t.demoInstance.instanceType), "service.loadBalancer.target.demoInstance.instanceType", t.demoInstance.instanceType, "an EC2 instance type such as t3.micro");
  }
}

function checkConsumer(p: Problems, c: PrivateLinkConfig, consumer: ConsumerConfig, i: number, names: Set<string>): void {
  const at = `consumers[${i}]`;
  const es = c.service.endpointService;
  p.check(isName(consumer.name), `${at}.name`, consumer.name, NAME_RULE);
  p.check(!names.has(consumer.name), `${at}.name`, consumer.name, "a name no other consumer has");
  p.check(!consumer.name.endsWith("-private-dns"), `${at}.name`, consumer.name, 'a name not ending in "-private-dns": consumer-<name>-private-dns is the stack that turns private DNS on');
  names.add(consumer.name);
  checkAccount(p, `${at}.account`, consumer.account);
  const net = checkNetwork(p, `${at}.network`, consumer.network, consumer.account.region);

  checkConsumerEndpointProps(
    endpointProps(c, consumer, later(), net),
    p.scoped((prop) => {
      if (prop === "vpcId" || prop.startsWith("subnetIds")) return `${at}.network.${prop}`;
      if (prop.startsWith("ports")) return `service.loadBalancer.listeners${prop.slice("ports".length)}`;
      if (prop === "privateDnsEnabled") return `${at}.privateDns`;
      return `${at}.${prop}`;
    }),
  );
  if (consumer.privateDns === true) {
    p.check(es.privateDnsName !== undefined, `${at}.privateDns`, true, "false, or set service.endpointService.privateDnsName: the service has no private DNS name");
  }
  const needsV6 = consumer.ipAddressType !== EndpointIpAddressType.IPV4;
  const needsV4 = consumer.ipAddressType !== EndpointIpAddressType.IPV6;
  p.check(!needsV6 || es.supportedIpAddressTypes.includes(ServiceIpAddressType.IPV6), `${at}.ipAddressType`, consumer.ipAddressType, `"ipv4", or add "ipv6" to service.endpointService.supportedIpAddressTypes`);
  p.check(!needsV4 || es.supportedIpAddressTypes.includes(ServiceIpAddressType.IPV4), `${at}.ipAddressType`, consumer.ipAddressType, `"ipv6", or add "ipv4" to service.endpointService.supportedIpAddressTypes`);

  // Cross-region PrivateLink: the consumer names the service's region, which lists the consumer's.
  const serviceRegion = c.service.account.region;
  if (!isRegion(serviceRegion) || !isRegion(consumer.account.region)) return;
  if (consumer.serviceRegion !== undefined) {
    p.check(consumer.serviceRegion === serviceRegion, `${at}.serviceRegion`, consumer.serviceRegion, `the service's region, ${serviceRegion} (service.account.region)`);
  }
  if (consumer.account.region !== serviceRegion) {
    p.check(consumer.serviceRegion === serviceRegion, `${at}.serviceRegion`, consumer.serviceRegion, `"${serviceRegion}": the consumer is in ${consumer.account.region}, the service in ${serviceRegion} (cross-region PrivateLink)`);
    p.check(es.supportedRegions.includes(consumer.account.region), "service.endpointService.supportedRegions", es.supportedRegions, `a list that includes ${consumer.account.region}, the region of ${at}`);
  }
}

/** GitHub's own rules for an owner (user or organization) and a repository name. */
const isRepository = (v: string): boolean => /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/[A-Za-z0-9._-]{1,100}$/.test(v) && !/\/\.\.?$/.test(v);
/** A branch name git accepts (git check-ref-format), without wildcards. */
const isBranch = (v: string): boolean =>
  /^[^\s~^:?*[\\\x00-\x1f\x7f]+$/.test(v) && !/(^[-/.]|\/\.|\.\.|\/\/|@\{|\.lock$|\.lock\/|[/.]$)/.test(v) && v !== "@";
const ENVIRONMENT_RULE = "1 to 255 letters, digits, '.', '_' and '-' (the apply role trusts repo:<owner>/<name>:environment:<name>)";
const isEnvironment = (v: string): boolean => /^[A-Za-z0-9._-]{1,255}$/.test(v);
/** Five cron fields, as GitHub's schedule takes them (UTC; names of months and days allowed). */
const isCron = (v: string): boolean => {
  const fields = v.trim().split(/\s+/);
  return fields.length === 5 && fields.every((f, i) => (i < 3 ? /^[\d*,/-]+$/ : /^[\dA-Za-z*,/-]+$/).test(f));
};
const isRelativeInside = (v: string): boolean => v.length > 0 && !v.startsWith("/") && !/^[A-Za-z]:/.test(v) && !v.split(/[\\/]/).includes("..");

/**
 * The GitHub Actions workflow: a repository the OIDC trust can name, versions it can pin, shared
 * state (every stack runs in its own job, on a fresh runner) and the account of every stack (its
 * job assumes a role there).
 */
function checkGithubActions(p: Problems, c: PrivateLinkConfig, g: GithubActionsConfig): void {
  const at = "pipelines.githubActions";
  p.check(isRepository(g.repository), `${at}.repository`, g.repository, "<owner>/<name> of a GitHub repository, such as acme/privatelink: the owner 1 to 39 letters, digits and single '-' (not first or last), the name 1 to 100 letters, digits, '.', '_' and '-'");
  p.check(isBranch(g.branch), `${at}.branch`, g.branch, 'one branch name, such as "main" (no spaces, wildcards, "..", "~", "^", ":" or "\\")');
  p.check(isEnvironment(g.environment), `${at}.environment`, g.environment, ENVIRONMENT_RULE);
  if (g.approvalEnvironment !== undefined) {
    p.check(isEnvironment(g.approvalEnvironment), `${at}.approvalEnvironment`, g.approvalEnvironment, ENVIRONMENT_RULE);
    p.check(g.approvalEnvironment !== g.environment, `${at}.approvalEnvironment`, g.approvalEnvironment, `another environment than ${at}.environment ("${g.environment}"), or no approvalEnvironment`);
  }
  p.check(isRelativeInside(g.workflowFile) && /^\.github\/workflows\/[^/]+\.ya?ml$/.test(g.workflowFile), `${at}.workflowFile`, g.workflowFile, "a file directly in .github/workflows/ ending in .yml or .yaml, such as .github/workflows/privatelink.yml");
  p.check(g.projectDirectory === "." || isRelativeInside(g.projectDirectory), `${at}.projectDirectory`, g.projectDirectory, '"." or a folder inside the repository, relative to its root, such as infra/privatelink');
  p.check(/^\d+(\.\d+){0,2}$|^\d+\.x$/.test(g.nodeVersion), `${at}.nodeVersion`, g.nodeVersion, 'a Node.js version such as "20", "22.x" or "20.18.1" (20 or later)');
  if (/^\d+/.test(g.nodeVersion)) p.check(Number(/^\d+/.exec(g.nodeVersion)![0]) >= 20, `${at}.nodeVersion`, g.nodeVersion, "Node.js 20 or later (package.json engines)");
  p.check(isTerraform110OrLater(g.terraformVersion), `${at}.terraformVersion`, g.terraformVersion, 'an exact Terraform version, 1.10.0 or later (S3 state locking with use_lockfile), such as "1.11.4"');
  if (g.driftSchedule !== false) p.check(isCron(g.driftSchedule), `${at}.driftSchedule`, g.driftSchedule, 'five cron fields (UTC), such as "17 5 * * *" (daily at 05:17), or false for no drift check');
  p.check(g.runsOn.trim().length > 0 && !/\s/.test(g.runsOn), `${at}.runsOn`, g.runsOn, "one runner label, such as ubuntu-24.04");
  checkRoleNames(p, at, g);

  p.check(c.consumers.length <= 256, "consumers", `${c.consumers.length} consumers`, `at most 256 with ${at}: its consumers job runs one matrix job per consumer, and GitHub runs at most 256 jobs of one matrix (split the consumers over two configs)`);
  p.check(c.state.backend !== "local", "state.backend", c.state.backend, `"s3" (with bucket and region): ${at} runs every stack in a job of its own, on a fresh runner, so the stacks' state must be shared; local state stays on one machine`);
  p.check(c.state.backend !== "hcp-terraform", "state.backend", c.state.backend, `"s3" (with bucket and region): ${at} runs terraform on GitHub's runners with state in S3; with HCP Terraform state, HCP Terraform runs the stacks (pipelines.hcpTerraform)`);

  checkPipelineRoles(p, c, at, g, `${at} assumes a role in every stack's account (arn:aws:iam::<id>:role/...)`);
}

/** An exact Terraform version (x.y.z), 1.10.0 or later. */
function isTerraform110OrLater(version: string): boolean {
  const tf = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return tf !== null && (Number(tf[1]) > 1 || (Number(tf[1]) === 1 && Number(tf[2]) >= 10));
}

/** The names of the roles a pipeline's access folders create. */
function checkRoleNames(p: Problems, at: string, g: { planRoleName?: string; applyRoleName?: string }): void {
  for (const key of ["planRoleName", "applyRoleName"] as const) {
    const name = g[key];
    if (name !== undefined) p.check(/^[\w+=,.@-]{1,64}$/.test(name), `${at}.${key}`, name, "an IAM role name: 1 to 64 letters, digits and +=,.@_-");
  }
}

/**
 * The accounts of a pipeline's roles: every stack's run assumes a role in the stack's account, so
 * its id must be known; the config's own role ARNs must be of those accounts.
 */
function checkPipelineRoles(p: Problems, c: PrivateLinkConfig, at: string, g: { roles: Record<string, { plan?: string; apply?: string }> }, why: string): void {
  const accounts = [{ at: "service.account", account: c.service.account }, ...c.consumers.map((x, i) => ({ at: `consumers[${i}].account`, account: x.account }))];
  const known = new Set<string>();
  for (const a of accounts) {
    const id = knownAccount(c, a.account);
    if (id) known.add(id.id);
    p.check(id !== undefined, `${a.at}.id`, a.account.id, `the 12-digit id of the account (or a roleArn in it): ${why}`);
  }
  for (const [id, roles] of Object.entries(g.roles)) {
    p.check(known.has(id), `${at}.roles.${id}`, id, `the id of an account the stacks deploy to (${[...known].join(", ") || "none known"})`);
    for (const kind of ["plan", "apply"] as const) {
      const arn = roles[kind];
      if (arn !== undefined) p.check(isRoleArn(arn) && arn.split(":")[4] === id, `${at}.roles.${id}.${kind}`, arn, `an IAM role ARN in account ${id}, such as arn:aws:iam::${id}:role/deploy`);
    }
  }
}

/** The HCP Terraform workspace set: needs HCP Terraform state, a VCS connection when VCS-driven, an agent pool with agents. */
function checkHcpTerraform(p: Problems, c: PrivateLinkConfig, h: HcpTerraformConfig): void {
  const at = "pipelines.hcpTerraform";
  p.check(c.state.backend === "hcp-terraform", "state.backend", c.state.backend, `"hcp-terraform" (with organization and project): ${at} writes the workspaces the stacks' cloud blocks name`);
  if (h.vcs) {
    p.check(/^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9._-]+$/.test(h.vcs.identifier), `${at}.vcs.identifier`, h.vcs.identifier, "<owner>/<name> of the repository, such as acme/privatelink");
    p.check((h.vcs.oauthTokenId === undefined) !== (h.vcs.githubAppInstallationId === undefined), `${at}.vcs`, h.vcs, "exactly one of oauthTokenId (ot-...) and githubAppInstallationId (ghain-...): how HCP Terraform reaches the repository");
    if (h.vcs.oauthTokenId !== undefined) p.check(/^ot-[A-Za-z0-9]+$/.test(h.vcs.oauthTokenId), `${at}.vcs.oauthTokenId`, h.vcs.oauthTokenId, "an OAuth token id such as ot-AbCdEf123456");
    if (h.vcs.githubAppInstallationId !== undefined) p.check(/^ghain-[A-Za-z0-9]+$/.test(h.vcs.githubAppInstallationId), `${at}.vcs.githubAppInstallationId`, h.vcs.githubAppInstallationId, "a GitHub App installation id such as ghain-AbCdEf123456");
    p.check(h.vcs.projectDirectory === "." || isRelativeInside(h.vcs.projectDirectory), `${at}.vcs.projectDirectory`, h.vcs.projectDirectory, '"." or a folder inside the repository, relative to its root, such as infra/privatelink');
  }
  p.check(h.executionMode !== "agent" || h.agentPoolId !== undefined, `${at}.agentPoolId`, h.agentPoolId, 'the agent pool (apool-...) whose agents run the workspaces, with executionMode "agent"');
  if (h.agentPoolId !== undefined) {
    p.check(/^apool-[A-Za-z0-9]+$/.test(h.agentPoolId), `${at}.agentPoolId`, h.agentPoolId, "an agent pool id such as apool-AbCdEf123456");
    p.check(h.executionMode === "agent", `${at}.executionMode`, h.executionMode, '"agent": an agent pool runs only workspaces in agent mode');
  }
  p.check(isTerraform110OrLater(h.terraformVersion), `${at}.terraformVersion`, h.terraformVersion, 'an exact Terraform version, 1.10.0 or later, such as "1.11.4"');
  checkRoleNames(p, at, h);
  checkPipelineRoles(p, c, at, h, `every workspace's runs assume a role in its stack's account through dynamic credentials (arn:aws:iam::<id>:role/...)`);
}

function isLoopbackUrl(v: string): boolean {
  try {
    const url = new URL(v);
    const host = url.hostname.replace(/^\[|\]$/g, "");
    return (url.protocol === "http:" || url.protocol === "https:") && (host === "localhost" || (ipaddr.isValid(host) && ipaddr.parse(host).range() === "loopback"));
  } catch {
    return false;
  }
}

/** The account a section deploys to, when the config says: its id, its role's account, or the emulator's. */
function knownAccount(c: PrivateLinkConfig, a: AccountConfig): { id: string; from: string } | undefined {
  if (a.id !== undefined && /^\d{12}$/.test(a.id)) return { id: a.id, from: "account.id" };
  if (a.roleArn !== undefined && isRoleArn(a.roleArn)) return { id: a.roleArn.split(":")[4], from: "account.roleArn" };
  if (c.sandbox !== undefined) return { id: SANDBOX_ACCOUNT_ID, from: "the emulator's account: sandbox is set" };
  return undefined;
}

/**
 * Who may connect: a service with no allowed principal admits nobody, and a consumer whose
 * account no principal covers is refused by AWS at deploy time with a misleading "The Vpc
 * Endpoint Service ... does not exist".
 */
function checkPrincipalsCoverConsumers(p: Problems, c: PrivateLinkConfig): void {
  const es = c.service.endpointService;
  const principals = es.allowedPrincipals;
  if (principals.length === 0) {
    // Without acceptance, rule PL-SVC1 already says so.
    if (es.acceptanceRequired) {
      p.add("service.endpointService.allowedPrincipals", principals, 'at least one principal, such as "arn:aws:iam::<consumer account>:root": with none, no consumer can even request a connection to accept');
    }
    return;
  }
  // Organization principals cannot be judged here: a consumer may belong to one.
  if (principals.some((x) => x === "*" || (isArn(x) && x.split(":")[2] === "organizations"))) return;
  c.consumers.forEach((consumer, i) => {
    const account = knownAccount(c, consumer.account);
    if (!account) return;
    const covered = principals.some((x) => x === `arn:aws:iam::${account.id}:root` || x === `arn:${x.split(":")[1]}:iam::${account.id}:root` || (consumer.account.roleArn !== undefined && x === consumer.account.roleArn));
    p.check(
      covered,
      `consumers[${i}].account`,
      consumer.account,
      `an account that service.endpointService.allowedPrincipals covers: consumer "${consumer.name}" deploys in account ${account.id} (${account.from}), and the principals are ${principals.join(", ")}; add "arn:aws:iam::${account.id}:root"${consumer.account.roleArn ? ` or "${consumer.account.roleArn}"` : ""} to them`,
    );
  });
}
