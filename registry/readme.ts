import { AWS_PROVIDER_RANGE, TERRAFORM_RANGE, type VariableSpec } from "./module-stack";

// README sections as registry users expect them (the layout terraform-docs writes): usage,
// requirements, providers, resources, inputs and outputs, generated from the module's own
// variables and outputs and from its synthesized main.tf.

/** Table cell text: pipes escaped, and < > & as entities, so that <region> is not taken for HTML. */
const cell = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|").replace(/\n\s*/g, " ");
/** A type or default: code, a multi-line one as a <pre> block with its lines kept. */
const code = (text: string): string =>
  text.includes("\n")
    ? `<pre>${text
        .split("\n")
        .map((line) => line.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|"))
        .join("<br>")}</pre>`
    : `\`${text.replace(/\|/g, "\\|")}\``;

export function requirementsTable(): string {
  return ["## Requirements", "", "| Name | Version |", "|------|---------|", `| terraform | ${TERRAFORM_RANGE} |`, `| aws | ${AWS_PROVIDER_RANGE} |`, ""].join("\n");
}

export function providersTable(): string {
  return ["## Providers", "", "| Name | Version |", "|------|---------|", `| aws | ${AWS_PROVIDER_RANGE} |`, "", "No provider configuration inside the module: pass yours (or one of your aliases through `providers = { aws = aws.<alias> }`).", ""].join("\n");
}

/** Resources, data sources and module calls of a main.tf, in order. */
export function resourcesTable(mainTf: string): string {
  const rows = [...mainTf.matchAll(/^(resource|data|module) "([^"]+)"(?: "([^"]+)")? \{$/gm)].map(([, kind, type, name]) =>
    kind === "module" ? `| module.${type} | module |` : kind === "data" ? `| data.${type}.${name} | data source |` : `| ${type}.${name} | resource |`,
  );
  return ["## Resources", "", "| Name | Type |", "|------|------|", ...rows, ""].join("\n");
}

export function inputsTable(variables: readonly VariableSpec[]): string {
  const rows = variables.map((v) => `| ${v.name} | ${cell(v.description)} | ${code(v.type)} | ${v.default === undefined ? "n/a" : code(v.default)} | ${v.default === undefined ? "yes" : "no"} |`);
  return ["## Inputs", "", "| Name | Description | Type | Default | Required |", "|------|-------------|------|---------|:--------:|", ...rows, ""].join("\n");
}

/** Output blocks of an outputs.tf: name and description. */
export function outputsOf(outputsTf: string): { name: string; description: string }[] {
  return [...outputsTf.matchAll(/^output "([^"]+)" \{\n(?:[^\n]*\n)*?\s*description\s*=\s*("(?:[^"\\]|\\.)*")/gm)].map(([, name, description]) => ({ name, description: JSON.parse(description) as string }));
}

export function outputsTable(outputsTf: string): string {
  return ["## Outputs", "", "| Name | Description |", "|------|-------------|", ...outputsOf(outputsTf).map((o) => `| ${o.name} | ${cell(o.description)} |`), ""].join("\n");
}

/** A usage block: the module with its required variables (their examples). */
export function usage(name: string, source: string, version: string, variables: readonly VariableSpec[], optional: readonly string[] = []): string {
  const lines = [...variables.filter((v) => v.default === undefined).map((v) => [v.name, v.example ?? "..."]), ...optional.map((o) => o.split(" = "))];
  const width = Math.max(0, ...lines.map(([n]) => n.length));
  return ["## Usage", "", "```hcl", `module "${name}" {`, `  source  = "${source}"`, `  version = "${version}"`, "", ...lines.map(([n, value]) => `  ${n.padEnd(width)} = ${value}`), "}", "```", ""].join("\n");
}
