import { IResolvable, IResolveContext, Token, Tokenization } from "cdktf";
import { isToken } from "./validation";

// Terraform expressions built from prop values, for the constructs' paths that take a whole list
// or map as a Terraform value (a module variable, a remote-state output): one resource with
// `for_each` over it instead of one resource per element written out. Internal: not exported
// from the package.

/** A quoted HCL string of the text, its "${" and "%{" escaped so that it is no template. */
export const hclString = (text: string): string => JSON.stringify(text).replace(/\$\{/g, "$$${").replace(/%\{/g, "%%{");

/**
 * The HCL expression of a value, for use inside a `${...}` expression: a token as the reference
 * it stands for, a written value as an HCL literal (its elements may be tokens). Undefined is null.
 */
export function hcl(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (typeof value === "string" && isToken(value)) {
    // One whole token is its reference; text around tokens is a quoted template.
    const fragments = Tokenization.reverseString(value);
    if (fragments.length > 1) return templateOf(value);
  }
  if (isToken(value)) return Token.asString(value);
  if (typeof value === "string") return hclString(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(hcl).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)} = ${hcl(v)}`).join(", ")} }`;
  }
  throw new Error(`no HCL literal for ${typeof value}`);
}

/**
 * `${expression}` as a value resolved when the stack is synthesized. cdktf takes the first '}'
 * after a "${" for the end of the interpolation, so a token placed after an HCL object or `for`
 * brace would come out as a nested "${reference}": those are unwrapped here, once every token in
 * the expression is resolved. (Expressions built here write no templates of their own: they use
 * format(), and hcl() escapes "${" in literals as "$${".)
 */
function expression(text: string): IResolvable {
  const value: IResolvable = {
    creationStack: [],
    resolve: (context: IResolveContext) => unnest(context.resolve(`\${${text}}`)),
    toString: () => Token.asString(value),
  };
  return value;
}

/**
 * "${a ${b} c}" -> "${a b c}": every "${...}" inside the outer one is replaced by its content, but
 * within quoted strings (templates: "x-${var.y}"), which are left as they are.
 */
export function unnest(resolved: unknown): unknown {
  if (typeof resolved !== "string" || !resolved.startsWith("${")) return resolved;
  let out = "";
  let i = 0;
  let quoted = false;
  while (i < resolved.length) {
    const c = resolved[i];
    if (quoted) {
      // (inside a template, a "${...}" is an interpolation: kept, its braces skipped over)
      if (c === "\\") {
        out += resolved.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      out += c;
      i++;
      continue;
    }
    if (c === '"') {
      quoted = true;
      out += c;
      i++;
    } else if (i > 0 && resolved.startsWith("${", i) && resolved[i - 1] !== "$") {
      const end = closing(resolved, i + 2);
      out += (unnest(`\${${resolved.slice(i + 2, end)}}`) as string).slice(2, -1);
      i = end + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The index of the '}' that closes an expression starting at `from`, skipping quoted strings. */
function closing(text: string, from: number): number {
  let depth = 1;
  let quoted = false;
  for (let j = from; j < text.length; j++) {
    const c = text[j];
    if (quoted) {
      if (c === "\\") j++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return j;
  }
  return text.length;
}

/** A string with tokens among its text as a quoted HCL template: "text-${reference}". */
function templateOf(value: string): string {
  const literal = (text: string) => hclString(text).slice(1, -1);
  let out = "";
  let last = 0;
  // (cdktf's marker of a string token: ${TfToken[TOKEN.<n>]})
  for (const m of value.matchAll(/\$\{TfToken\[[^\]]+\]\}/g)) {
    out += `${literal(value.slice(last, m.index))}\${${m[0]}}`;
    last = m.index! + m[0].length;
  }
  return `"${out}${literal(value.slice(last))}"`;
}

/** `${expression}` as a string token. */
export const exprString = (text: string): string => Token.asString(expression(text));
/** `${expression}` as a number token. */
export const exprNumber = (text: string): number => Token.asNumber(expression(text));
/** `${expression}` as a list token. */
export const exprList = (text: string): string[] => Token.asList(expression(text));
/** `${expression}` as a map token. */
export const exprMap = (text: string): { [key: string]: unknown } => Token.asAnyMap(expression(text));

/**
 * `attribute` of an object expression (`each.value.target.port`) when it is set, else the
 * fallback: a written default or null. `try` lets the object lack the attribute altogether.
 */
export function attrOr(path: string, fallback: unknown): string {
  return fallback === undefined || fallback === null ? `try(${path}, null)` : `coalesce(try(${path}, null), ${hcl(fallback)})`;
}

/**
 * A list or map of elements keyed for `for_each`: each element's `id` when it has one, else its
 * key (a map) or its position (a list), as in the props' written form.
 */
export function keyedById(collection: string): string {
  return `{ for k, e in ${collection} : (try(e.id, null) != null ? tostring(e.id) : tostring(k)) => e }`;
}

/** The IP protocols a listener of the protocol expression receives (ipProtocolsOf in HCL). */
export function ipProtocolsExpr(protocol: string): string {
  return `lookup({ TCP_UDP = ["tcp", "udp"], UDP = ["udp"] }, ${protocol}, ["tcp"])`;
}
