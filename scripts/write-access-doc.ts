import * as fs from "fs";
import * as path from "path";
import { permissionsMarkdown } from "../synth/pipelines/permissions";

// Writes the permission table of docs/github-actions-access.md from synth/pipelines/permissions.ts;
// a test fails when the committed doc is out of date.
const file = path.join(__dirname, "..", "docs", "github-actions-access.md");
const text = fs.readFileSync(file, "utf8");
fs.writeFileSync(file, text.replace(/(<!-- permissions:start -->\n)[\s\S]*?(<!-- permissions:end -->)/, (_all, start: string, end: string) => `${start}${permissionsMarkdown()}\n${end}`));
