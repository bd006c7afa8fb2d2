import { Token, Tokenization } from "cdktf";
import { resolve } from "cdktf/lib/_tokens";
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
const NUMBER_TOKEN = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/;
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

/** `resolve(scope, value)` as cdktf's `_tokens.resolve` does it, faster on plain values. */
export function resolveFast(scope: IConstruct, value: unknown): unknown {
  const walk = (x: unknown): unknown => {
    if (x === undefined || x === null) return x;
    switch (typeof x) {
      case "string":
        return plainString(x) ? x : resolve(scope, x);
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
