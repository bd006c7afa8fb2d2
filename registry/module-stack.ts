import { App, TerraformDataSource, TerraformElement, TerraformLocal, TerraformOutput, TerraformResource, TerraformStack, TerraformVariable } from "cdktf";
import { Construct, Node } from "constructs";
import * as fs from "fs";
import * as path from "path";
import { hclString } from "../modules/terraform-values";
import { formatHcl } from "../synth/hcl-format";
import { validHcl, withHclOutput } from "../synth/synth";

// A Terraform module synthesized from the constructs: a cdktf stack whose variables and outputs
// are the module's, whose resource addresses are readable (no hash suffixes) and which carries no
// backend and no provider configuration. Its HCL is split into the files the registry's standard
// module structure names (main.tf, variables.tf, outputs.tf, versions.tf).

/** A rule of a variable's `validation` block. */
export interface VariableRule {
  /** The condition, an HCL expression (without "${}"). */
  readonly condition: string;
  /** What is wrong and what would be valid. */
  readonly errorMessage: string;
}

/** A module input. */
export interface VariableSpec {
  /** snake_case name. */
  readonly name: string;
  /** HCL type constraint, such as list(string). */
  readonly type: string;
  readonly description: string;
  /** The default, as an HCL literal (`null`, `[]`, `"ipv4"`); required when absent. */
  readonly default?: string;
  readonly validation?: readonly VariableRule[];
  /** A value for the README's usage example (required variables). */
  readonly example?: string;
}

/** A module output. */
export interface OutputSpec {
  readonly name: string;
  readonly description: string;
  /** A token or an expression token from the constructs. */
  readonly value: unknown;
}

/** What a module is: its name, what it says of itself, and its inputs and outputs. */
export interface ModuleSpec {
  /** Folder under modules/ (or "" for the root module). */
  readonly name: string;
  /** One-line title for the README. */
  readonly title: string;
  /** The README's description, markdown. */
  readonly description: string;
  readonly variables: readonly VariableSpec[];
  /** Builds the module's resources from the constructs; returns its outputs. */
  readonly build: (stack: ModuleStack) => readonly OutputSpec[];
  /** The constructs the module is built from, for its README. */
  readonly constructs: readonly string[];
}

const snake = (id: string): string =>
  id
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toLowerCase();

/**
 * The stack a module is built in. Addresses are the construct path below the module's top-level
 * construct in snake_case (`aws_lb.load_balancer`, `aws_lb_listener.listener["https"]`): stable
 * and short enough to type in moved and import blocks. Two elements that would share a name are
 * refused at synthesis.
 */
export class ModuleStack extends TerraformStack {
  private readonly names = new Map<string, string>();
  private readonly inputs = new Map<string, TerraformVariable>();

  constructor(scope: Construct, id: string, readonly spec: ModuleSpec) {
    super(scope, id);
    // Variables and outputs may share names: each kind has its own scope (left out of the names).
    const variables = new Construct(this, "variables");
    for (const v of spec.variables) this.inputs.set(v.name, new TerraformVariable(variables, v.name, { type: v.type }));
  }

  /** The module's variable `name`, as a token. */
  variable(name: string): TerraformVariable {
    const v = this.inputs.get(name);
    if (!v) throw new Error(`module ${this.spec.name || "(root)"} has no variable ${name}`);
    return v;
  }

  protected override allocateLogicalId(element: TerraformElement | Node): string {
    // (a Node-like { scopes } too: moved blocks ask for the name of an earlier path)
    const scopes: readonly { node: { id: string } }[] = "scopes" in element ? element.scopes : element.node.scopes;
    const below = scopes.slice(scopes.indexOf(this) + 1).map((c) => c.node.id);
    // The top-level construct's id is left out where something is below it: its resources are the module's.
    const name = snake((below.length > 1 ? below.slice(1) : below).join("_"));
    const path = below.join("/");
    const key = `${namespace(element)}.${name}`;
    const earlier = this.names.get(key);
    if (earlier !== undefined && earlier !== path) throw new Error(`module ${this.spec.name || "(root)"}: ${path} and ${earlier} would both be ${key}`);
    this.names.set(key, path);
    return name;
  }
}

/** The namespace an element's name is unique in: var, local, output, data.<type> or <type>. */
function namespace(element: unknown): string {
  if (element instanceof TerraformVariable) return "var";
  if (element instanceof TerraformLocal) return "local";
  if (element instanceof TerraformOutput) return "output";
  if (element instanceof TerraformDataSource) return `data.${element.terraformResourceType}`;
  if (element instanceof TerraformResource) return element.terraformResourceType;
  return "resource"; // an earlier path asked for by a moved block
}

/** The module's files: main.tf, variables.tf, outputs.tf, versions.tf. */
export interface ModuleFiles {
  readonly [file: string]: string;
}

/** The provider version range the modules declare: the AWS provider majors the constructs are built and tested on. */
export const AWS_PROVIDER_RANGE = ">= 5.100.0, < 7.0.0";
/** The Terraform versions the modules declare: variable validations that read other variables need 1.9. */
export const TERRAFORM_RANGE = ">= 1.10.0";

export function versionsTf(): string {
  return `terraform {\n  required_version = "${TERRAFORM_RANGE}"\n\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "${AWS_PROVIDER_RANGE}"\n    }\n  }\n}\n`;
}

/** An HCL string literal. */
export const quote = hclString;

export function variablesTf(variables: readonly VariableSpec[]): string {
  return variables
    .map((v) => {
      const lines = [`variable "${v.name}" {`, `  description = ${quote(v.description)}`, `  type        = ${v.type}`];
      if (v.default !== undefined) lines.push(`  default     = ${v.default}`);
      for (const rule of v.validation ?? []) lines.push("", "  validation {", `    condition     = ${rule.condition}`, `    error_message = ${quote(rule.errorMessage)}`, "  }");
      lines.push("}");
      return lines.join("\n");
    })
    .join("\n\n")
    .concat("\n");
}

/** Top-level HCL blocks of formatted HCL, each with its kind (resource, output...) and text. */
export function topLevelBlocks(hcl: string): { kind: string; text: string }[] {
  const blocks: { kind: string; text: string }[] = [];
  let current: string[] | undefined;
  let kind = "";
  for (const line of hcl.split("\n")) {
    if (current === undefined) {
      const m = /^([a-z_]+)\b.*\{$/.exec(line);
      if (m) {
        kind = m[1];
        current = [line];
        if (line.endsWith("{}")) {
          blocks.push({ kind, text: line });
          current = undefined;
        }
      }
      continue;
    }
    current.push(line);
    if (line === "}") {
      blocks.push({ kind, text: current.join("\n") });
      current = undefined;
    }
  }
  return blocks;
}

/** `"${aws_lb.load_balancer.arn}"` -> `aws_lb.load_balancer.arn` in lists and maps, where formatting leaves the quotes. */
function unquoteReferences(hcl: string): string {
  return hcl.replace(/"\$\{((?:var|local|data\.[a-z0-9_]+|aws_[a-z0-9_]+|terraform_data)\.[A-Za-z0-9_.]+)\}"/g, "$1");
}

/** Synthesizes a module: its files by name. */
export function synthesizeModule(spec: ModuleSpec, scratch: string): ModuleFiles {
  return withHclOutput(true, () => {
    const app = new App({ outdir: scratch, hclOutput: true, skipValidation: true });
    const stack = new ModuleStack(app, "module", spec);
    const outputs = spec.build(stack);
    const scope = new Construct(stack, "outputs");
    for (const o of outputs) new TerraformOutput(scope, o.name, { value: o.value, description: o.description });
    app.synth();
    const hcl = unquoteReferences(formatHcl(validHcl(fs.readFileSync(path.join(scratch, "stacks", "module", "cdk.tf"), "utf8"))));
    const blocks = topLevelBlocks(hcl);
    const of = (...kinds: string[]) => blocks.filter((b) => kinds.includes(b.kind)).map((b) => b.text).join("\n\n") + "\n";
    return {
      "main.tf": of("locals", "data", "resource", "moved"),
      "variables.tf": variablesTf(spec.variables),
      "outputs.tf": of("output"),
      "versions.tf": versionsTf(),
    };
  });
}
