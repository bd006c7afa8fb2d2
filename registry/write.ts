import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { UsageError } from "../ops/errors";
import { formatHcl } from "../synth/hcl-format";
import { rootModule, singleAccountExample, twoAccountExample, ROOT_VARIABLES } from "./compose";
import { synthesizeModule, type ModuleFiles } from "./module-stack";
import { SUBMODULES } from "./modules";
import { inputsTable, outputsTable, providersTable, requirementsTable, resourcesTable, usage } from "./readme";

// npm run modules: the Terraform modules in the registry's standard module structure, in
// dist/terraform-aws-privatelink/ (or --out DIR). The folder is built beside the old one and
// swapped in when complete, so a failure leaves the previous output as it was.

const ROOT = path.resolve(__dirname, "..");
export const MODULES_DIR = path.join(ROOT, "dist", "terraform-aws-privatelink");
/** The module repository's name, as the Terraform registry requires: terraform-<provider>-<name>. */
export const REPOSITORY = "terraform-aws-privatelink";

interface PackageJson {
  readonly version: string;
  readonly repository: { readonly url: string };
}

/** The registry address: <namespace>/privatelink/aws, the namespace being the package repository's owner. */
export function registrySource(pkg: PackageJson): string {
  const owner = /github\.com[/:]([^/]+)\//.exec(pkg.repository.url)?.[1] ?? "example";
  return `${owner}/privatelink/aws`;
}

/**
 * The constraint the READMEs show: the modules are released with the package's version, and
 * below 1.0 a minor version may break, so `~> 0.1.0` (patches only); from 1.0, `~> 1.2`.
 */
export const versionConstraint = (version: string): string => {
  const [major, minor, patch] = version.split(".");
  return major === "0" ? `~> 0.${minor}.${patch.replace(/[^0-9].*$/, "")}` : `~> ${major}.${minor}`;
};

/** The file every output holds, so that a folder written before is known and may be replaced. */
export const MARKER = ".privatelink-modules";

/** Every file of the module folder, by path relative to it. */
export function moduleFolder(): Map<string, string> {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as PackageJson;
  const source = registrySource(pkg);
  const version = versionConstraint(pkg.version);
  const files = new Map<string, string>();
  const put = (dir: string, moduleFiles: ModuleFiles) => {
    for (const [name, text] of Object.entries(moduleFiles)) files.set(path.posix.join(dir, name), text);
  };
  const tests = (from: string, to: string) => {
    const dir = path.join(ROOT, "registry", "tests", from);
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".tftest.hcl")).sort()) files.set(path.posix.join(to, "tests", f), fs.readFileSync(path.join(dir, f), "utf8"));
  };

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pl-modules-"));
  try {
    for (const spec of SUBMODULES) {
      const dir = `modules/${spec.name}`;
      const synthesized = synthesizeModule(spec, path.join(scratch, spec.name));
      put(dir, synthesized);
      tests(spec.name, dir);
      files.set(
        `${dir}/README.md`,
        [
          `# ${spec.title}`,
          "",
          spec.description,
          "",
          `Built from the PrivateLink as code construct${spec.constructs.length > 1 ? "s" : ""} ${spec.constructs.map((c) => `\`${c}\``).join(" and ")}: the same resources, defaults and checks as the TypeScript library and the app's stacks. Part of [${REPOSITORY}](../../README.md).`,
          "",
          usage(spec.name.replace(/-/g, "_"), `${source}//modules/${spec.name}`, version, spec.variables),
          requirementsTable(),
          providersTable(),
          resourcesTable(synthesized["main.tf"]),
          inputsTable(spec.variables),
          outputsTable(synthesized["outputs.tf"]),
        ].join("\n"),
      );
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  const root = rootModule();
  put("", root);
  tests("root", "");
  files.set("README.md", rootReadme(source, version, root));
  put("examples/single-account", singleAccountExample());
  files.set("examples/single-account/README.md", exampleReadme("Single account", "The root module in one account: a service VPC and a consumer VPC (dual-stack, two zones each), an internal NLB with an HTTPS listener, the endpoint service, a consumer endpoint admitting the consumer VPC's CIDR, and the acceptance of its connection. Set `private_dns_name` and `hosted_zone_id` to verify a private DNS name and turn private DNS on."));
  put("examples/two-account", twoAccountExample());
  files.set(
    "examples/two-account/README.md",
    exampleReadme(
      "Two accounts",
      "The service in one account and its consumer in another, through two AWS providers (`aws.service`, `aws.consumer`), each with a profile or a role to assume. The service allows the consumer account's root, supports IPv4 and IPv6, and accepts the dual-stack endpoint; the service name, ports and endpoint id pass between the accounts as module outputs. With `private_dns_name` and `hosted_zone_id`, the service account verifies the domain and the consumer account turns private DNS on once accepted.",
    ),
  );
  files.set("LICENSE", fs.readFileSync(path.join(ROOT, "LICENSE"), "utf8"));
  // Laid out as terraform fmt lays it out (the composed files are written unaligned).
  for (const [file, text] of files) if (file.endsWith(".tf")) files.set(file, formatHcl(text));
  files.set(".gitignore", ".terraform/\n.terraform.lock.hcl\n*.tfstate\n*.tfstate.*\n*.tfvars\n");
  return files;
}

function exampleReadme(title: string, text: string): string {
  return [`# Example: ${title.toLowerCase()}`, "", text, "", "```sh", "terraform init", "terraform apply", "terraform destroy", "```", "", "It creates real, billed resources (a Network Load Balancer and interface endpoints); destroy them when done.", ""].join("\n");
}

function rootReadme(source: string, version: string, root: ModuleFiles): string {
  return [
    `# ${REPOSITORY}`,
    "",
    "AWS PrivateLink end to end: publish an internal API from one VPC (or account) to others over the AWS backbone, with no internet path, no VPC peering and no transit gateway. These modules are generated from the PrivateLink as code constructs, so they create the same resources, with the same defaults and the same checks, as the TypeScript library and its cdktf app.",
    "",
    "The root module is the single-account flow, in the order AWS needs it:",
    "",
    "1. **service** — an internal, dual-stack Network Load Balancer with one listener and target group per entry of `listeners`, and a VPC endpoint service on it (acceptance required, allowed principals, IPv4/IPv6, private DNS name, supported regions, notifications);",
    "2. **dns_verification** — with a private DNS name: the TXT record from the service's own challenge in Route 53, then verification, waited for;",
    "3. **consumer_endpoint** — an interface endpoint with its own least-privilege security group (the service's ports, from the clients you list, nothing else), after a check that its subnets are in zones the service serves;",
    "4. **acceptance** — the provider accepts the endpoint's connection (when acceptance is required);",
    "5. **private_dns** — private DNS on the endpoint, once accepted and verified.",
    "",
    "Across accounts, call the submodules with one provider each: see [examples/two-account](examples/two-account).",
    "",
    usage("privatelink", source, version, ROOT_VARIABLES, ['allowed_ipv4_cidrs = ["10.1.0.0/16"]']),
    "## Submodules",
    "",
    ...SUBMODULES.map((m) => `- [modules/${m.name}](modules/${m.name}): ${m.title}.`),
    "",
    "## Examples",
    "",
    "- [examples/single-account](examples/single-account): the root module, service and consumer in one account.",
    "- [examples/two-account](examples/two-account): the submodules, service and consumer in two accounts with provider aliases.",
    "",
    "## Secure by default",
    "",
    "- The load balancer is internal, and only PrivateLink traffic reaches its listeners; its own group lets traffic out only to the VPC on the target ports.",
    "- Consumers' connections wait for acceptance unless `acceptance_required = false`; only the `allowed_principals` may create endpoints.",
    "- The endpoint's security group opens only the service's ports, only to the clients listed, with no egress rule; `0.0.0.0/0` and `::/0` are refused unless `allow_any_address = true`.",
    "- Deletion protection is on: set `deletion_protection = false` before destroying.",
    "",
    "## Day 2",
    "",
    "Resources of a listener, a principal, a client rule or an accepted endpoint are keyed by name (the listener's key, the principal, `<port name>/<protocol>/<client>`, the consumer's name), never by position: adding or removing one leaves the others alone, and moving a listener's port updates the listener in place. Keys must be known when Terraform plans: pass client CIDRs, principals and target ids as values (variables, locals, data sources), not as attributes of resources created in the same apply; register targets created alongside with your own `aws_lb_target_group_attachment` on `target_group_arns`.",
    "",
    requirementsTable(),
    providersTable(),
    resourcesTable(root["main.tf"]),
    inputsTable(ROOT_VARIABLES),
    outputsTable(root["outputs.tf"]),
  ].join("\n");
}

/**
 * Writes the module folder to `out` (complete or not at all); returns the files written. `out`
 * may be new, empty, a folder written here before, or a git clone of the module repository: its
 * `.git` is kept, so the release is a commit of what changed. Any other folder is refused.
 */
export function writeModules(out = MODULES_DIR): string[] {
  const existing = fs.existsSync(out) ? fs.readdirSync(out) : [];
  const others = existing.filter((f) => f !== ".git");
  if (others.length > 0 && !existing.includes(MARKER)) {
    throw new UsageError(`--out ${out}: a folder with other files (${others.slice(0, 3).join(", ")}${others.length > 3 ? "..." : ""}) that npm run modules did not write; expected a new or empty folder, one written by npm run modules, or a git clone of the module repository`);
  }
  const files = moduleFolder();
  files.set(MARKER, `Written by npm run modules (privatelink-as-code): the whole folder but .git is replaced on each run.\n`);
  const partial = `${out}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  try {
    for (const [file, text] of files) {
      const full = path.join(partial, file);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, text);
    }
    if (existing.includes(".git")) fs.renameSync(path.join(out, ".git"), path.join(partial, ".git"));
    fs.rmSync(out, { recursive: true, force: true });
    fs.renameSync(partial, out);
  } finally {
    fs.rmSync(partial, { recursive: true, force: true });
  }
  return [...files.keys()].filter((f) => f !== MARKER).sort();
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--out");
  if (args.some((a, i) => a !== "--out" && i !== at + 1) || (at >= 0 && !args[at + 1])) {
    console.error(`usage: npm run modules [-- --out DIR]   (default ${path.relative(process.cwd(), MODULES_DIR)}); received: ${args.join(" ")}`);
    process.exit(2);
  }
  const out = at >= 0 ? path.resolve(args[at + 1]) : MODULES_DIR;
  let written: string[];
  try {
    written = writeModules(out);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(e.message);
    process.exit(2);
  }
  console.log(`${path.relative(process.cwd(), out) || "."}: ${written.length} files (${SUBMODULES.length} modules, the root module, 2 examples)`);
}
