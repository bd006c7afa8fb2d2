import * as fs from "fs";
import * as path from "path";
import { configSchemaJson } from "../config/json-schema";

// Writes privatelink.schema.json, the editor schema of the config file, from the same zod
// definition that checks configs; a test fails when the committed file is out of date.
fs.writeFileSync(path.join(__dirname, "..", "privatelink.schema.json"), configSchemaJson());
