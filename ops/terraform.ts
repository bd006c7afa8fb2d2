import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { UsageError } from "./errors";

/** The AWS provider version `@cdktf/provider-aws` 20.1.0 is generated from. */
export const AWS_PROVIDER_VERSION = "5.100.0";
const PROVIDER_DIR = path.join("registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION);

/** Environment variable that names a provider mirror folder explicitly. */
export const MIRROR_ENV = "PRIVATELINK_TF_PROVIDER_MIRROR";

/**
 * Finds a folder laid out as a Terraform filesystem mirror that holds the AWS provider.
 * Order: $PRIVATELINK_TF_PROVIDER_MIRROR, Terraform's implied local mirror folders, then
 * one level below the usual roots for third-party software (/opt, /usr/local/share, $HOME).
 * Returns undefined when there is none, so Terraform falls back to the public registry.
 */
export function findProviderMirror(): string | undefined {
  const explicit = process.env[MIRROR_ENV];
  if (explicit) {
    if (!fs.existsSync(path.join(explicit, PROVIDER_DIR))) {
      throw new Error(`${MIRROR_ENV}=${explicit} does not hold ${PROVIDER_DIR}; point it at the folder that contains registry.terraform.io/`);
    }
    return explicit;
  }
  const home = os.homedir();
  const implied = [
    path.join(home, ".terraform.d", "plugins"),
    path.join(process.env.XDG_DATA_HOME ?? path.join(home, ".local", "share"), "terraform", "plugins"),
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
  ];
  const roots = ["/opt", "/usr/local/share", home];
  const shallow = roots.flatMap((root) => {
    try {
      return fs.readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(root, e.name));
    } catch {
      return [];
    }
  });
  return [...implied, ...shallow].find((dir) => fs.existsSync(path.join(dir, PROVIDER_DIR)));
}

/**
 * A Terraform CLI config that installs the AWS provider from a mirror (a folder laid out as a
 * filesystem mirror, or a network mirror's URL) and every other provider from the registry.
 */
export function cliConfigText(mirror: { filesystem: string } | { network: string } | undefined): string {
  if (!mirror) return "# no provider mirror on this machine: providers come from the public registry\n";
  const source = "filesystem" in mirror ? `  filesystem_mirror {\n    path    = ${JSON.stringify(mirror.filesystem)}` : `  network_mirror {\n    url     = ${JSON.stringify(mirror.network)}`;
  return [
    "provider_installation {",
    source,
    '    include = ["registry.terraform.io/hashicorp/aws"]',
    "  }",
    '  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }',
    "}",
    "",
  ].join("\n");
}

/** Writes a Terraform CLI config that installs the AWS provider from the mirror, if one exists. */
export function writeCliConfig(dir: string): string {
  const mirror = findProviderMirror();
  const file = path.join(dir, "terraform.tfrc");
  fs.writeFileSync(file, cliConfigText(mirror ? { filesystem: mirror } : undefined));
  return file;
}

/** Throws a clear error when terraform is not on the PATH. */
export function requireTerraform(): string {
  const r = spawnSync("terraform", ["version", "-json"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    throw new UsageError(
      "terraform was not found on the PATH (needed for the terraform validate and sandbox suites). Install Terraform >= 1.10.",
    );
  }
  return JSON.parse(r.stdout).terraform_version as string;
}

let cliConfig: string | undefined;

/** Environment for terraform child processes: our CLI config, no checkpoint calls. */
export function terraformEnv(): NodeJS.ProcessEnv {
  if (!cliConfig) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-tfrc-"));
    cliConfig = writeCliConfig(dir);
    process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
}

export interface ValidateResult {
  readonly stack: string;
  readonly valid: boolean;
  readonly messages: string[];
}

/** Runs `terraform init` and `terraform validate -json` in every stack of a synthesized cdktf.out. */
export function validateSynthesized(outdir: string, stacksFolder = "stacks"): ValidateResult[] {
  requireTerraform();
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  return Object.keys(manifest.stacks).map((stack) => validateDir(stack, path.join(outdir, stacksFolder, stack)));
}

/** `terraform init -backend=false` and `terraform validate -json` in one working directory. */
export function validateDir(stack: string, cwd: string): ValidateResult {
  const env = terraformEnv();
  const init = spawnSync("terraform", ["init", "-input=false", "-backend=false", "-no-color"], { cwd, env, encoding: "utf8" });
  if (init.status !== 0) return { stack, valid: false, messages: [`terraform init failed: ${init.stderr || init.stdout}`] };
  const validate = spawnSync("terraform", ["validate", "-json", "-no-color"], { cwd, env, encoding: "utf8" });
  const result = JSON.parse(validate.stdout) as { valid: boolean; diagnostics: ValidateDiagnostic[] };
  const messages = result.diagnostics.filter((d) => d.severity === "error").map((d) => diagnosticMessage(d));
  return { stack, valid: result.valid, messages };
}

/** One diagnostic of `terraform validate -json`. */
export interface ValidateDiagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
  readonly range?: { readonly filename: string };
}

/** A validate error as ValidateResult.messages holds it: address (or the one given), summary, detail. */
export function diagnosticMessage(d: ValidateDiagnostic, address = d.address): string {
  return `${address ?? ""} ${d.summary}: ${d.detail ?? ""}`.trim();
}

export interface TerraformRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/** Runs terraform in a stack folder without a terminal; resolves with its exit code and output. */
export function terraform(cwd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<TerraformRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", args, { cwd, env: { ...terraformEnv(), ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
  });
}

/** The error blocks of terraform's output, for failure reports: from stderr alone when the errors are there (stdout holds the plan). */
export function terraformError(run: TerraformRun): string {
  const text = /^(?:│ )?Error: /m.test(run.stderr) ? run.stderr : `${run.stderr}\n${run.stdout}`;
  const errors = text.split(/\n(?=(?:│ )?Error: )/).filter((b) => /^(?:│ )?Error: /.test(b));
  return (errors.length > 0 ? errors.join("\n") : text).replace(/\u001b\[[0-9;]*m/g, "").trim();
}
