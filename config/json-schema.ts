import { z } from "zod";
import { configSchema } from "./schema";

/**
 * JSON schema (draft 2020-12) of the config file, as text. The config is JSONC: `allowComments`
 * and `allowTrailingCommas` tell editors that read them (VS Code's JSON service) not to flag comments.
 */
export function configSchemaJson(): string {
  const schema = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" });
  return `${JSON.stringify({ ...schema, title: "PrivateLink as code configuration", allowComments: true, allowTrailingCommas: true }, null, 2)}\n`;
}
