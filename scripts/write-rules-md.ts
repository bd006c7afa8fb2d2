import * as fs from "fs";
import * as path from "path";
import { rulesMarkdown } from "../rules";

// Writes RULES.md from the rules themselves; a test fails when the committed file is out of date.
fs.writeFileSync(path.join(__dirname, "..", "RULES.md"), rulesMarkdown());
