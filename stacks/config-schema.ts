import { z } from "zod";
import { configSchema } from "./config";

/** JSON schema (draft 2020-12) of the config file, as text. */
export function configSchemaJson(): string {
  const schema = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" });
  return `${JSON.stringify({ ...schema, title: "PrivateLink as code configuration" }, null, 2)}\n`;
}
