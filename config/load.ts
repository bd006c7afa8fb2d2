import * as fs from "fs";
import * as path from "path";
import { ParseError, parse as parseJson, printParseErrorCode } from "jsonc-parser";
import { z } from "zod";
import { Problem, Problems, formatProblem } from "../modules/validation";
import { checkPrivateLinkRules } from "./checks";
import { PrivateLinkConfig, configSchema } from "./schema";
import { shownPath } from "./shown-path";

/** Raised when a config has problems; lists every one with its JSON path. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly Problem[],
  ) {
    super(`${shownPath(source)}: ${problems.length} problem(s) in the config:\n${problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function jsonPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((acc, s) => (typeof s === "number" ? `${acc}[${s}]` : acc ? `${acc}.${String(s)}` : String(s)), "") || "(root)";
}

function valueAt(input: unknown, segments: readonly PropertyKey[]): unknown {
  return segments.reduce<unknown>((v, s) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[s] : undefined), input);
}

/** Checks shape and PrivateLink rules; returns the config with defaults applied, or throws ConfigError. */
export function parseConfig(input: unknown, source = "config"): PrivateLinkConfig {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue): Problem[] => {
      if (issue.code === "unrecognized_keys") {
        const valid = keysAt(configSchema, issue.path, input);
        return issue.keys.map((key) => ({ path: jsonPath([...issue.path, key]), received: valueAt(input, [...issue.path, key]), expected: unknownKeyHint(key, valid) }));
      }
      const received = valueAt(input, issue.path);
      return [{ path: jsonPath(issue.path), received, expected: expectedOf(issue, received) }];
    });
    const reported = problems.map((q) => q.path);
    const more = independentRuleProblems(input, parsed.error.issues).filter((q) => !reported.some((r) => q.path === r || q.path.startsWith(`${r}.`) || q.path.startsWith(`${r}[`)));
    throw new ConfigError(source, [...problems, ...more]);
  }
  const rules = ruleProblems(parsed.data);
  if (rules.length > 0) throw new ConfigError(source, rules);
  return parsed.data;
}

/** zod's wording, turned into what would be valid. */
function expectedOf(issue: z.core.$ZodIssue, received: unknown): string {
  const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
  if (issue.code === "invalid_type") return received === undefined ? `${article(issue.expected)}: this key is required` : article(issue.expected);
  if (issue.code === "invalid_value") return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  if (issue.code === "invalid_union" && "options" in issue && Array.isArray(issue.options)) return `one of ${issue.options.map((v) => JSON.stringify(v)).join(", ")}`;
  if (issue.code === "too_small" && issue.origin === "array") return `at least ${issue.minimum} item(s)`;
  return issue.message.replace(/^(Invalid input|Too small|Too big): (expected )?/, "");
}

/**
 * Shape problems do not hide the other rules: the config is judged without the faulty values
 * (unknown keys, values of the wrong kind) when what is left is well formed. Nor do they bring
 * follow-on errors: the config is judged again with each faulty value replaced by what the user
 * may have meant (the key an unknown key is close to; each value an enum allows), and only the
 * problems found whatever was meant are reported. A typo'd `privateDNSName` then does not also
 * report the consumers' private DNS, nor protocol "HTTPS" the listener's certificate.
 */
function independentRuleProblems(input: unknown, issues: readonly z.core.$ZodIssue[]): Problem[] {
  const judged = (candidate: unknown): Problem[] | undefined => {
    const r = configSchema.safeParse(candidate);
    return r.success ? ruleProblems(r.data) : undefined;
  };
  const stripped = withoutPaths(input, issues);
  let kept = judged(stripped);
  for (const variant of meantVariants(input, issues, stripped)) {
    if (!kept || kept.length === 0) break;
    const found = judged(variant);
    if (found) {
      const keys = new Set(found.map(problemKey));
      kept = kept.filter((q) => keys.has(problemKey(q)));
    }
  }
  return kept ?? [];
}

const problemKey = (q: Problem) => `${q.path}|${q.expected}|${JSON.stringify(q.received)}`;

/** Copies of the stripped config, each with one faulty value replaced by something the user may have meant. */
function* meantVariants(input: unknown, issues: readonly z.core.$ZodIssue[], stripped: unknown): Generator<unknown> {
  const withValue = (at: readonly PropertyKey[], value: unknown): unknown => {
    const copy = JSON.parse(JSON.stringify(stripped));
    const holder = valueAt(copy, at.slice(0, -1));
    if (holder === null || typeof holder !== "object") return undefined;
    (holder as Record<PropertyKey, unknown>)[at[at.length - 1] as string] = value;
    return copy;
  };
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      const valid = keysAt(configSchema, issue.path, input);
      const holder = valueAt(input, issue.path) as Record<string, unknown>;
      for (const key of issue.keys) {
        const meant = nearestKey(key, valid);
        if (meant && !(meant in holder)) yield withValue([...issue.path, meant], holder[key]);
      }
    } else if (issue.code === "invalid_value" && issue.path.length > 0) {
      for (const value of issue.values) yield withValue(issue.path, value);
    }
  }
}

function withoutPaths(input: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  const copy = JSON.parse(JSON.stringify(input ?? null));
  for (const issue of issues) {
    const paths = issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    for (const at of paths) {
      const holder = valueAt(copy, at.slice(0, -1)) as Record<PropertyKey, unknown> | undefined;
      if (holder !== null && typeof holder === "object" && at.length > 0) delete holder[at[at.length - 1] as string];
    }
  }
  return copy;
}

/** The PrivateLink rules of a config whose shape is right. */
function ruleProblems(config: PrivateLinkConfig): Problem[] {
  const problems = new Problems();
  checkPrivateLinkRules(config, problems);
  // One mistake can reach a rule through several consumers (their shared listener ports): say it once.
  return [...new Map(problems.all.map((q) => [`${q.path}|${q.expected}|${JSON.stringify(q.received)}`, q])).values()];
}

/** The keys a config object may have at a JSON path, read from the schema itself. */
function keysAt(schema: z.ZodType, segments: readonly PropertyKey[], input: unknown): string[] {
  const unwrap = (t: any): any => {
    while (t?._zod?.def && ["optional", "default", "prefault", "nullable"].includes(t._zod.def.type)) t = t._zod.def.innerType;
    return t;
  };
  // Of a union's object options, the one whose keys best cover the value's keys.
  const pick = (t: any, v: unknown): any => {
    if (t?._zod?.def?.type !== "union") return t;
    // A discriminated union's option is the one its discriminator names ("provider": "external").
    const discriminator: string | undefined = t._zod.def.discriminator;
    if (discriminator && v !== null && typeof v === "object") {
      const named = (t._zod.def.options as any[]).map(unwrap).find((o) => o._zod.def.shape?.[discriminator]?._zod?.def?.values?.includes((v as Record<string, unknown>)[discriminator]));
      if (named) return named;
    }
    const keys = v !== null && typeof v === "object" ? Object.keys(v) : [];
    const score = (o: any) => keys.filter((k) => k in o._zod.def.shape).length;
    const options = (t._zod.def.options as any[]).map(unwrap).filter((o) => o._zod.def.type === "object");
    return options.sort((a, b) => score(b) - score(a))[0];
  };
  let t = pick(unwrap(schema), input);
  segments.forEach((seg, i) => {
    const def = t?._zod?.def;
    const next = def?.type === "object" ? def.shape[seg as string] : def?.type === "array" ? def.element : undefined;
    t = pick(unwrap(next), valueAt(input, segments.slice(0, i + 1)));
  });
  return t?._zod?.def?.type === "object" ? Object.keys(t._zod.def.shape) : [];
}

/** The valid key a mistyped key is close to, if one is. */
function nearestKey(key: string, valid: string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const d = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let prev = d[0];
      d[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const tmp = d[j];
        d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
        prev = tmp;
      }
    }
    return d[b.length];
  };
  const best = valid.map((k) => ({ k, d: distance(key, k) })).sort((a, b) => a.d - b.d)[0];
  return best && best.d <= Math.max(2, Math.floor(best.k.length / 3)) ? best.k : undefined;
}

function unknownKeyHint(key: string, valid: string[]): string {
  const near = nearestKey(key, valid);
  return `no such key: ${near ? `did you mean "${near}"? ` : ""}valid keys here: ${valid.join(", ")}`;
}

/** Where the config comes from: $PRIVATELINK_CONFIG, else ./privatelink.config.json, else the built-in example. */
export function resolveConfigPath(cwd = process.cwd(), env = process.env): string {
  if (env.PRIVATELINK_CONFIG) return path.resolve(cwd, env.PRIVATELINK_CONFIG);
  const local = path.join(cwd, "privatelink.config.json");
  return fs.existsSync(local) ? local : EXAMPLE_CONFIG_PATH;
}

/**
 * The built-in example: beside stacks/ in the project, two levels up in the compiled package, four
 * in a flavour's build (flavours/<name>/.build/stacks).
 */
export const EXAMPLE_CONFIG_PATH = [1, 2, 3, 4]
  .map((up) => path.join(__dirname, ...Array<string>(up).fill(".."), "examples", "privatelink.config.json"))
  .find((f) => fs.existsSync(f)) as string;

/** Reads and checks a config file (JSONC); syntax errors name the line and column. */
export function loadConfig(file: string): PrivateLinkConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(file, [{ path: "(file)", received: shownPath(file), expected: `a readable JSON file (${(e as Error).message})` }]);
  }
  // The config is JSONC (comments and trailing commas, as in tsconfig.json). Plain JSON, the
  // common case, goes through JSON.parse; jsonc-parser reads the rest and places each mistake.
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const errors: ParseError[] = [];
    json = parseJson(text, errors, { disallowComments: false, allowTrailingComma: true, allowEmptyContent: false });
    if (errors.length > 0) {
      throw new ConfigError(
        file,
        errors.map((e) => {
          const where = lineColumn(text, e.offset);
          return { path: `(line ${where.line}, column ${where.column})`, received: text.slice(e.offset, e.offset + Math.max(e.length, 1)), expected: `valid JSON with comments (${printParseErrorCode(e.error)})` };
        }),
      );
    }
  }
  return parseConfig(json, file);
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
