import { quote, variablesTf, versionsTf, type ModuleFiles, type VariableSpec } from "./module-stack";
import { CONSUMER_MODULE, LISTENER_TYPE, SERVICE_VARIABLES } from "./modules";
import { RULES, rule } from "./rules";

// The root module (the single-account flow) and the examples: compositions of the submodules,
// written as HCL here. The submodules are synthesized from the constructs (registry/modules.ts).

/** A variable under another name: its conditions and messages follow (`renames` maps every variable they name). */
export function renamed(spec: VariableSpec, renames: Readonly<Record<string, string>>, description = spec.description): VariableSpec {
  const rename = (text: string) => text.replace(/\bvar\.([a-z0-9_]+)\b/g, (all, name: string) => (renames[name] ? `var.${renames[name]}` : all));
  // Messages name variables bare ("subnet_ids: expected...", "set ip_address_type to...").
  const renameWords = (text: string) => text.replace(/\b[a-z][a-z0-9_]*\b/g, (word) => renames[word] ?? word);
  return {
    ...spec,
    name: renames[spec.name] ?? spec.name,
    description,
    validation: spec.validation?.map((r) => ({ condition: rename(r.condition), errorMessage: renameWords(r.errorMessage) })),
  };
}

const consumerVariable = (name: string): VariableSpec => CONSUMER_MODULE.variables.find((v) => v.name === name)!;
const CONSUMER_RENAMES = { vpc_id: "consumer_vpc_id", subnet_ids: "consumer_subnet_ids", ip_address_type: "endpoint_ip_address_type" };

export const ROOT_VARIABLES: readonly VariableSpec[] = [
  ...SERVICE_VARIABLES.filter((v) => v.name !== "tags"),
  {
    name: "hosted_zone_id",
    type: "string",
    default: "null",
    description: "Id of the public Route 53 hosted zone of the private DNS name's domain (or a parent of it): the verification's TXT record goes there. With private_dns_name, give it or hosted_zone_name.",
    validation: [
      rule('var.hosted_zone_id == null ? true : can(regex("^[A-Z0-9]{1,32}$", var.hosted_zone_id))', "hosted_zone_id: expected a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (without /hostedzone/)."),
      rule("var.private_dns_name == null || var.hosted_zone_id != null || var.hosted_zone_name != null", "hosted_zone_id: expected the public hosted zone that holds the private DNS name's domain (or hosted_zone_name), as private_dns_name is set."),
    ],
  },
  {
    name: "hosted_zone_name",
    type: "string",
    default: "null",
    description: "Name of that public hosted zone, such as example.com, looked up when hosted_zone_id is not given.",
    // (that not both are given, modules/private-dns-verification checks: two variables' rules naming each other would be a cycle)
    validation: [RULES.domain("hosted_zone_name", false)],
  },
  renamed(consumerVariable("vpc_id"), CONSUMER_RENAMES, "VPC of the consumer's interface endpoint (vpc-...)."),
  renamed(consumerVariable("subnet_ids"), CONSUMER_RENAMES, "Subnets of the consumer's endpoint, one per Availability Zone, in zones of the load balancer's subnets."),
  renamed(consumerVariable("allowed_security_group_ids"), CONSUMER_RENAMES),
  renamed(consumerVariable("allowed_ipv4_cidrs"), CONSUMER_RENAMES),
  renamed(consumerVariable("allowed_ipv6_cidrs"), CONSUMER_RENAMES),
  consumerVariable("allow_any_address"),
  renamed(consumerVariable("ip_address_type"), CONSUMER_RENAMES, "IP address type of the consumer endpoint's network interfaces: ipv4, dualstack or ipv6 (dualstack and ipv6 need the service to support ipv6)."),
  renamed(consumerVariable("dns_record_ip_type"), CONSUMER_RENAMES),
  SERVICE_VARIABLES.find((v) => v.name === "tags")!,
];

const pass = (names: readonly string[], renames: Readonly<Record<string, string>> = {}) => names.map((n) => `  ${n} = var.${renames[n] ?? n}`);
const block = (lines: readonly string[]) => lines.join("\n");

/**
 * The call of modules/private-dns-verification with modules/service's challenge, counted in with
 * a private DNS name; `zone` names the hosted zone. (terraform fmt aligns the arguments.)
 */
function dnsVerificationCall(source: string, provider: string | undefined, zone: readonly string[]): string[] {
  return [
    'module "dns_verification" {',
    `  source = "${source}"`,
    ...(provider ? [`  providers = { aws = ${provider} }`] : []),
    "  count = var.private_dns_name == null ? 0 : 1",
    "",
    "  service_id = module.service.service_id",
    "  private_dns_name = var.private_dns_name",
    "  verification_name = module.service.private_dns_verification_name",
    "  verification_value = module.service.private_dns_verification_value",
    ...zone.map((line) => `  ${line}`),
    "}",
  ];
}

/** The root module: the service, its domain's verification, one consumer endpoint, acceptance and private DNS, in order. */
export function rootModule(): ModuleFiles {
  const service = SERVICE_VARIABLES.map((v) => v.name);
  const main = [
    "# The single-account flow: the service, the verification of its private DNS name, one consumer",
    "# endpoint, the acceptance of its connection and then private DNS on the endpoint, each step",
    "# after the ones AWS needs first. Across accounts, call the submodules with one provider each",
    "# (examples/two-account).",
    "",
    'module "service" {',
    '  source = "./modules/service"',
    "",
    ...pass(service),
    "}",
    "",
    ...dnsVerificationCall("./modules/private-dns-verification", undefined, ["hosted_zone_id = var.hosted_zone_id", "hosted_zone_name = var.hosted_zone_name"]),
    "",
    'module "consumer_endpoint" {',
    '  source = "./modules/consumer-endpoint"',
    "",
    "  service_name = module.service.service_name",
    "  ports        = module.service.listener_ports",
    ...pass(["vpc_id", "subnet_ids", "allowed_security_group_ids", "allowed_ipv4_cidrs", "allowed_ipv6_cidrs", "allow_any_address", "ip_address_type", "dns_record_ip_type", "tags"], CONSUMER_RENAMES),
    "  # Without acceptance, private DNS is on from creation, once the domain is verified.",
    "  private_dns_enabled = var.private_dns_name != null && !var.acceptance_required",
    "",
    "  depends_on = [module.dns_verification]",
    "}",
    "",
    'module "acceptance" {',
    '  source = "./modules/acceptance"',
    "  count  = var.acceptance_required ? 1 : 0",
    "",
    "  service_id   = module.service.service_id",
    "  endpoint_ids = { consumer = module.consumer_endpoint.endpoint_id }",
    "}",
    "",
    'module "private_dns" {',
    '  source = "./modules/endpoint-private-dns"',
    "  count  = var.private_dns_name != null && var.acceptance_required ? 1 : 0",
    "",
    "  endpoint_id = module.consumer_endpoint.endpoint_id",
    "",
    "  # AWS refuses private DNS before the connection is accepted and the domain verified.",
    "  depends_on = [module.acceptance, module.dns_verification]",
    "}",
    "",
  ];
  const outputs: [string, string, string][] = [
    ["service_id", "Id of the endpoint service (vpce-svc-...).", "module.service.service_id"],
    ["service_name", "Name of the endpoint service, for consumers in other accounts (modules/consumer-endpoint).", "module.service.service_name"],
    ["load_balancer_arn", "ARN of the Network Load Balancer.", "module.service.load_balancer_arn"],
    ["load_balancer_security_group_id", "Id of the load balancer's own security group: reference it in the targets' groups.", "module.service.security_group_id"],
    ["listener_ports", "Listener name -> { port, protocol }.", "module.service.listener_ports"],
    ["target_group_arns", "Listener name -> target group ARN, to register more targets.", "module.service.target_group_arns"],
    ["private_dns_verification_record", "The TXT record that verifies the private DNS name's domain ({ name, type, value }), or null without a private DNS name.", "var.private_dns_name == null ? null : { name = module.dns_verification[0].record_fqdn, type = module.dns_verification[0].record_type, value = module.dns_verification[0].record_value }"],
    ["endpoint_id", "Id of the consumer's interface endpoint (vpce-...).", "module.consumer_endpoint.endpoint_id"],
    ["endpoint_dns_names", "Regional DNS names of the consumer's endpoint.", "module.consumer_endpoint.dns_names"],
    ["endpoint_zonal_dns_names", "Availability Zone -> zonal DNS name of the consumer's endpoint.", "module.consumer_endpoint.zonal_dns_names"],
    ["endpoint_security_group_id", "Id of the consumer endpoint's own security group.", "module.consumer_endpoint.security_group_id"],
    ["private_dns_name", "The name that resolves to the endpoint inside the consumer's VPC, or null.", "var.private_dns_name"],
  ];
  return {
    "main.tf": block(main),
    "variables.tf": variablesTf(ROOT_VARIABLES),
    "outputs.tf": outputsTf(outputs),
    "versions.tf": versionsTf(),
  };
}

export function outputsTf(outputs: readonly (readonly [string, string, string])[]): string {
  return outputs.map(([name, description, value]) => `output "${name}" {\n  description = ${quote(description)}\n  value       = ${value}\n}\n`).join("\n");
}

/** A dual-stack VPC with two subnets, for an example (named `prefix`). */
function exampleVpc(prefix: string, cidr: string, provider?: string): string[] {
  const p = provider ? [`  provider = aws.${provider}`, ""] : [];
  return [
    `data "aws_availability_zones" "${prefix}" {`,
    ...p,
    '  state = "available"',
    "}",
    "",
    `resource "aws_vpc" "${prefix}" {`,
    ...p,
    `  cidr_block                       = ${cidr}`,
    "  assign_generated_ipv6_cidr_block = true",
    "  enable_dns_support               = true",
    "  enable_dns_hostnames             = true",
    `  tags                             = { Name = "privatelink-example-${prefix}" }`,
    "}",
    "",
    `resource "aws_subnet" "${prefix}" {`,
    ...p,
    "  count = 2",
    "",
    `  vpc_id                          = aws_vpc.${prefix}.id`,
    `  availability_zone               = data.aws_availability_zones.${prefix}.names[count.index]`,
    `  cidr_block                      = cidrsubnet(aws_vpc.${prefix}.cidr_block, 8, count.index)`,
    `  ipv6_cidr_block                 = cidrsubnet(aws_vpc.${prefix}.ipv6_cidr_block, 8, count.index)`,
    "  assign_ipv6_address_on_creation = true",
    `  tags                            = { Name = "privatelink-example-${prefix}-\${count.index}" }`,
    "}",
    "",
  ];
}

const REGION: VariableSpec = { name: "region", type: "string", default: '"us-west-2"', description: "Region of every resource of the example." };
const EXAMPLE_NAME: VariableSpec = { name: "name", type: "string", default: '"privatelink-example"', description: "Name of the load balancer." };
const EXAMPLE_PRIVATE_DNS_NAME: VariableSpec = { name: "private_dns_name", type: "string", default: "null", description: "A private DNS name for the service, such as api.example.com; null for none." };

/** examples/single-account: the root module with a service VPC and a consumer VPC in one account. */
export function singleAccountExample(): ModuleFiles {
  const main = [
    'provider "aws" {',
    "  region = var.region",
    "}",
    "",
    'data "aws_caller_identity" "current" {}',
    "",
    "locals {",
    "  # Known before apply: the consumer's clients are admitted by CIDR, and rules are keyed by it.",
    '  consumer_cidr = "10.1.0.0/16"',
    "}",
    "",
    ...exampleVpc("service", '"10.0.0.0/16"'),
    ...exampleVpc("consumer", "local.consumer_cidr"),
    'module "privatelink" {',
    '  source = "../.."',
    "",
    "  name                = var.name",
    "  vpc_id              = aws_vpc.service.id",
    "  subnet_ids          = aws_subnet.service[*].id",
    "  listeners           = { https = { port = 443, target = { port = 8443 } } }",
    '  allowed_principals  = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]',
    "  deletion_protection = false # an example: destroy it when done",
    "",
    "  consumer_vpc_id     = aws_vpc.consumer.id",
    "  consumer_subnet_ids = aws_subnet.consumer[*].id",
    "  allowed_ipv4_cidrs  = [local.consumer_cidr]",
    "",
    "  private_dns_name = var.private_dns_name",
    "  hosted_zone_id   = var.hosted_zone_id",
    "}",
    "",
  ];
  const variables: VariableSpec[] = [
    REGION,
    EXAMPLE_NAME,
    EXAMPLE_PRIVATE_DNS_NAME,
    { name: "hosted_zone_id", type: "string", default: "null", description: "The public hosted zone of the private DNS name's domain, when it is set." },
  ];
  const outputs: [string, string, string][] = [
    ["service_name", "Name of the endpoint service.", "module.privatelink.service_name"],
    ["endpoint_id", "Id of the consumer's endpoint.", "module.privatelink.endpoint_id"],
    ["endpoint_dns_names", "Regional DNS names of the consumer's endpoint.", "module.privatelink.endpoint_dns_names"],
  ];
  return { "main.tf": block(main), "variables.tf": variablesTf(variables), "outputs.tf": outputsTf(outputs), "versions.tf": versionsTf() };
}

/** examples/two-account: the submodules, the service in one account and the consumer in another, each through its own provider. */
export function twoAccountExample(): ModuleFiles {
  const provider = (alias: string) => [
    'provider "aws" {',
    `  alias   = "${alias}"`,
    "  region  = var.region",
    `  profile = var.${alias}_profile`,
    "",
    '  dynamic "assume_role" {',
    `    for_each = var.${alias}_role_arn == null ? [] : [var.${alias}_role_arn]`,
    "    content {",
    "      role_arn = assume_role.value",
    "    }",
    "  }",
    "}",
    "",
  ];
  const main = [
    "# The service account publishes the service and accepts the consumer's connection; the consumer",
    "# account creates the endpoint and, once accepted, turns private DNS on. Each account has its",
    "# own provider (a profile or a role to assume); values pass between them as module outputs.",
    "",
    ...provider("service"),
    ...provider("consumer"),
    'data "aws_caller_identity" "consumer" {',
    "  provider = aws.consumer",
    "}",
    "",
    "locals {",
    '  consumer_cidr = "10.1.0.0/16"',
    "}",
    "",
    ...exampleVpc("service", '"10.0.0.0/16"', "service"),
    ...exampleVpc("consumer", "local.consumer_cidr", "consumer"),
    'module "service" {',
    '  source    = "../../modules/service"',
    "  providers = { aws = aws.service }",
    "",
    "  name                       = var.name",
    "  vpc_id                     = aws_vpc.service.id",
    "  subnet_ids                 = aws_subnet.service[*].id",
    "  listeners                  = var.listeners",
    '  allowed_principals         = ["arn:aws:iam::${data.aws_caller_identity.consumer.account_id}:root"]',
    '  supported_ip_address_types = ["ipv4", "ipv6"]',
    "  private_dns_name           = var.private_dns_name",
    "  deletion_protection        = false # an example: destroy it when done",
    "}",
    "",
    ...dnsVerificationCall("../../modules/private-dns-verification", "aws.service", ["hosted_zone_id = var.hosted_zone_id"]),
    "",
    'module "consumer_endpoint" {',
    '  source    = "../../modules/consumer-endpoint"',
    "  providers = { aws = aws.consumer }",
    "",
    "  service_name       = module.service.service_name",
    "  ports              = module.service.listener_ports",
    "  vpc_id             = aws_vpc.consumer.id",
    "  subnet_ids         = aws_subnet.consumer[*].id",
    '  ip_address_type    = "dualstack"',
    "  allowed_ipv4_cidrs = [local.consumer_cidr]",
    "",
    "  # Its subnets are checked against the zones the service serves: those exist once the service does.",
    "  depends_on = [module.service]",
    "}",
    "",
    'module "acceptance" {',
    '  source    = "../../modules/acceptance"',
    "  providers = { aws = aws.service }",
    "",
    "  service_id   = module.service.service_id",
    "  endpoint_ids = { consumer = module.consumer_endpoint.endpoint_id }",
    "}",
    "",
    'module "private_dns" {',
    '  source    = "../../modules/endpoint-private-dns"',
    "  providers = { aws = aws.consumer }",
    "  count     = var.private_dns_name == null ? 0 : 1",
    "",
    "  endpoint_id = module.consumer_endpoint.endpoint_id",
    "  depends_on  = [module.acceptance, module.dns_verification]",
    "}",
    "",
  ];
  const variables: VariableSpec[] = [
    REGION,
    EXAMPLE_NAME,
    { name: "listeners", type: LISTENER_TYPE, default: "{ https = { port = 443, target = { port = 8443 } } }", description: "The service's listeners by name, as modules/service takes them: move a port here and the listener is updated in place." },
    { name: "service_profile", type: "string", default: "null", description: "AWS CLI profile of the service account; null for the default credentials." },
    { name: "service_role_arn", type: "string", default: "null", description: "Role to assume in the service account; null for none." },
    { name: "consumer_profile", type: "string", default: "null", description: "AWS CLI profile of the consumer account; null for the default credentials." },
    { name: "consumer_role_arn", type: "string", default: "null", description: "Role to assume in the consumer account; null for none." },
    EXAMPLE_PRIVATE_DNS_NAME,
    { name: "hosted_zone_id", type: "string", default: "null", description: "The public hosted zone of the private DNS name's domain (in the service account), when it is set." },
  ];
  const outputs: [string, string, string][] = [
    ["service_name", "Name of the endpoint service (in the service account).", "module.service.service_name"],
    ["endpoint_id", "Id of the consumer's endpoint (in the consumer account).", "module.consumer_endpoint.endpoint_id"],
    ["endpoint_dns_names", "Regional DNS names of the consumer's endpoint.", "module.consumer_endpoint.dns_names"],
    ["accepted_endpoint_ids", "The endpoints the service account accepted.", "module.acceptance.accepted_endpoint_ids"],
  ];
  return { "main.tf": block(main), "variables.tf": variablesTf(variables), "outputs.tf": outputsTf(outputs), "versions.tf": versionsTf() };
}
