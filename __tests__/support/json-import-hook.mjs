// A module loader hook (node:module register) that loads .json files as JSON modules without an
// import attribute: @actions/workflow-parser (ESM) imports its schema as `import schema from
// "../workflow-v1.0.min.json"`, which Node 20 refuses without `with { type: "json" }`.
import { readFile } from "node:fs/promises";

export async function load(url, context, nextLoad) {
  if (url.startsWith("file:") && url.endsWith(".json")) return { format: "json", source: await readFile(new URL(url)), shortCircuit: true };
  return nextLoad(url, context);
}
