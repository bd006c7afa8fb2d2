import { IResolvable, Token, Tokenization } from "cdktf";
import { resolve } from "cdktf/lib/_tokens";
import { ref } from "cdktf/lib/tfExpression";
import { TokenMap } from "cdktf/lib/tokens/private/token-map";
import type { IConstruct } from "constructs";

/*
 * cdktf's resolve walks every value of every element with a fresh resolution context per key
 * (closures, path arrays, three regular expressions per string): for stacks made mostly of plain
 * strings, numbers and objects, that walk is most of a synth. This walk copies plain values as
 * cdktf's would (undefined dropped from objects and arrays, keys kept in order) and hands every
 * value that is or may hold a token to cdktf's own resolve, so each token is resolved exactly as
 * before. A value counts as plain only when none of cdktf's token tests could match it; anything
 * in doubt goes to cdktf.
 */

// cdktf's encodings (tokens/private/encoding.js): string, list and map markers, and numbers.
const MARKERS = ["${", "#{", "&{"];
// cdktf's number token pattern is [-|\d|.+]+(e[-|\d|.|e|E|+]+): a string can match it exactly when
// it holds one of the first characters, an "e" and one of the last, in a row.
export const NUMBER_TOKEN = /[-|\d.+]e[-|\d.eE+]/;
// Encoded token numbers carry 0xfdff in their top 16 bits: magnitudes near 1e289.
const TOKEN_NUMBER_MAGNITUDE = 1e250;

function plainString(s: string): boolean {
  return !MARKERS.some((m) => s.includes(m)) && !NUMBER_TOKEN.test(s) && s !== Token.STRING_MAP_TOKEN_VALUE && s !== Token.ANY_MAP_TOKEN_VALUE;
}

function plainNumber(n: number): boolean {
  return Math.abs(n) < TOKEN_NUMBER_MAGNITUDE && n !== Token.NUMBER_MAP_TOKEN_VALUE;
}

function plainObject(o: object): o is Record<string, unknown> {
  return Object.getPrototypeOf(o) === Object.prototype && !Tokenization.isResolvable(o);
}

/*
 * Most tokens in a stack are a whole string that stands for one attribute reference
 * (`vpc.id` -> "${TfToken[TOKEN.7]}"). cdktf resolves such a reference, outside its preparing pass
 * and with no cross-stack identifier for the stack, to "${" + identifier + "}" (tfExpression.js,
 * Reference.resolve), and that string resolves to itself once more when the identifier holds no
 * token: the walk writes that result directly. Other tokens, and subclasses of Reference, go to cdktf.
 */
const SINGLE_STRING_TOKEN = /^\$\{TfToken\[([a-zA-Z0-9:._-]+)\]\}$/;
const REFERENCE_PROTOTYPE: object = Object.getPrototypeOf(ref("reference"));

function plainReference(s: string): string | undefined {
  const key = SINGLE_STRING_TOKEN.exec(s)?.[1];
  if (key === undefined) return undefined;
  let token: IResolvable;
  try {
    token = TokenMap.instance().lookupToken(key);
  } catch {
    return undefined;
  }
  if (Object.getPrototypeOf(token) !== REFERENCE_PROTOTYPE) return undefined;
  const { identifier, crossStackIdentifier } = token as unknown as { identifier: unknown; crossStackIdentifier: Record<string, string> };
  if (typeof identifier !== "string" || !plainString(identifier) || Object.keys(crossStackIdentifier).length > 0) return undefined;
  return `\${${identifier}}`;
}

/** `resolve(scope, value)` as cdktf's `_tokens.resolve` does it, faster on plain values. */
export function resolveFast(scope: IConstruct, value: unknown): unknown {
  const walk = (x: unknown): unknown => {
    if (x === undefined || x === null) return x;
    switch (typeof x) {
      case "string":
        return plainString(x) ? x : (plainReference(x) ?? resolve(scope, x));
      case "number":
        return plainNumber(x) ? x : resolve(scope, x);
      case "boolean":
        return x;
      case "object":
        if (Array.isArray(x)) {
          // List tokens (a string or number element) make cdktf resolve the array as a whole.
          if (x.some((e) => (typeof e === "string" && e.includes("#{")) || (typeof e === "number" && !plainNumber(e)))) return resolve(scope, x);
          const out: unknown[] = [];
          for (const e of x) {
            const r = walk(e);
            if (r !== undefined) out.push(r);
          }
          return out;
        }
        if (!plainObject(x) || !Object.keys(x).every(plainString)) return resolve(scope, x);
        {
          const out: Record<string, unknown> = {};
          for (const key of Object.keys(x)) {
            const r = walk(x[key]);
            if (r !== undefined) out[key] = r;
          }
          return out;
        }
      default:
        return resolve(scope, x);
    }
  };
  return walk(value);
}
