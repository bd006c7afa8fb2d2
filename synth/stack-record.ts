import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { jsonPath } from "../config/load";
import { shownPath } from "../config/shown-path";

let collator: Intl.Collator | undefined;
/**
 * Stack names in localeCompare's order, with one collator for the run instead of one per
 * comparison (made at first use: the start-up snapshot is built on another machine's locale).
 */
export function compareNames(a: string, b: string): number {
  return (collator ??= new Intl.Collator()).compare(a, b);
}

/**
 * The stack record: which stacks the synths of one config have produced, kept in a file the
 * user commits beside the config (`privatelink.config.json` -> `privatelink.stacks.json`). A
 * stack that leaves the config stays in the record and is synthesized as a retire stack until
 * it is forgotten (`npm run forget -- <stack>`), so nothing it created is orphaned.
 */
// The account as the config gave it: `id` too (a pipeline needs every stack's account id, retire stacks included).
const account = z.strictObject({ region: z.string(), id: z.string().optional(), roleArn: z.string().optional(), externalId: z.string().optional() });

const recordedStack = z.strictObject({
  status: z.enum(["live", "retired"]).describe("retired: no longer in the config; synthesized as a retire stack"),
  /** The accounts its providers deploy to: "default", and any aliased one such as "dns". */
  accounts: z.record(z.string(), account),
  /** Resources that retiring must forget rather than destroy (accepters, private DNS switches). */
  forget: z.array(z.string()).default([]),
});

const recordSchema = z.strictObject({
  $comment: z.string().optional(),
  stacks: z.record(z.string(), recordedStack),
});

export type StackRecord = z.output<typeof recordSchema>;
export type RecordedStack = StackRecord["stacks"][string];

export const EMPTY_RECORD: StackRecord = { stacks: {} };

const COMMENT =
  "Written by synth: every stack this config has produced. Commit it beside the config. A stack that leaves the config is synthesized as a retire stack that removes what it created; `npm run forget -- <stack>` drops it once its state is empty.";

/** The record beside a config file: foo.json -> foo.stacks.json, privatelink.config.json -> privatelink.stacks.json. */
export function recordPathFor(configFile: string): string {
  const base = path.basename(configFile).replace(/\.json$/i, "").replace(/\.config$/i, "");
  return path.join(path.dirname(configFile), `${base}.stacks.json`);
}

/** Raised when the record file cannot be read or does not have the record's shape. */
export class StackRecordError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${shownPath(file)}: not a stack record (${detail}). It is written by synth; restore it from version control, or delete it to start a new one (stacks already removed from the config are then no longer retired).`);
    this.name = "StackRecordError";
  }
}

/** Reads the record; an absent file is an empty record. */
export function readRecord(file: string): StackRecord {
  if (!fs.existsSync(file)) return EMPTY_RECORD;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new StackRecordError(file, (e as Error).message);
  }
  const parsed = recordSchema.safeParse(json);
  if (!parsed.success) {
    throw new StackRecordError(file, parsed.error.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`).join("; "));
  }
  return parsed.data;
}

/** What one synth produced, for the record. */
export interface SynthesizedStack {
  readonly name: string;
  readonly accounts: Record<string, RecordedStack["accounts"][string]>;
  readonly forget: readonly string[];
}

/** The record after a synth: live stacks as synthesized, earlier ones kept as retired. */
export function nextRecord(previous: StackRecord, live: readonly SynthesizedStack[]): StackRecord {
  const stacks: Record<string, RecordedStack> = {};
  for (const [name, entry] of Object.entries(previous.stacks)) stacks[name] = { ...entry, status: "retired" };
  for (const s of live) {
    const forget = [...new Set([...(previous.stacks[s.name]?.forget ?? []), ...s.forget])].sort();
    stacks[s.name] = { status: "live", accounts: s.accounts, forget };
  }
  return { $comment: COMMENT, stacks: Object.fromEntries(Object.entries(stacks).sort(([a], [b]) => compareNames(a, b))) };
}

/** The record as written: stable key order, one trailing newline. */
export function recordText(record: StackRecord): string {
  return `${JSON.stringify({ $comment: COMMENT, stacks: record.stacks }, null, 2)}\n`;
}

/** Writes the record atomically (a partial file is never left behind); returns whether it changed. */
export function writeRecord(file: string, record: StackRecord): boolean {
  const text = recordText(record);
  if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) return false;
  const partial = `${file}.partial-${process.pid}`;
  fs.writeFileSync(partial, text);
  fs.renameSync(partial, file);
  return true;
}

/** The record without one stack (once its retire stack has emptied its state). */
export function withoutStack(record: StackRecord, name: string): StackRecord {
  const { [name]: _dropped, ...stacks } = record.stacks;
  return { ...record, stacks };
}
