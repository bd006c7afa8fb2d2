import { DefaultTokenResolver, IPostProcessor, IResolvable, IResolveContext, StringConcat, Token, Tokenization } from "cdktf";
import { TokenString } from "cdktf/lib/tokens/private/encoding";
import { resolve as cdktfResolve } from "cdktf/lib/tokens/private/resolve";
import { call, ref } from "cdktf/lib/tfExpression";
import { TokenMap } from "cdktf/lib/tokens/private/token-map";
import type { IConstruct } from "constructs";

/*
 * cdktf's resolve walks every value of every element with a fresh resolution context per key
 * (closures, path arrays, three regular expressions per string): for stacks made mostly of plain
 * strings, numbers and objects, that walk is most of a synth. This walk copies plain values as
 * cdktf's would (undefined dropped from objects and arrays, keys kept in order), writes attribute
 * references directly, and resolves strings with tokens and Terraform function calls with
 * cdktf's own code in a context of its own, whose resolve is this walk again: a function call's
 * argument (the document given to Fn.jsonencode) is resolved again at every level of nesting,
 * which with cdktf's contexts made each policy document cost as much as a whole stack of plain
 * values. Every other value that is or may hold a token goes to cdktf's own resolve, so each
 * token is resolved exactly as before. A value counts as plain only when none of cdktf's token
 * tests could match it; anything in doubt goes to cdktf.
 *
 * The walk loops by index, not by for...of: a synth runs mostly unoptimized code (see V8_FLAGS in
 * scripts/run-compiled.js), where each for...of step allocates an iterator result.
 */

// cdktf's encodings (tokens/private/encoding.js): string, list and map markers, and numbers.
const MARKERS = ["${", "#{", "&{"];
// cdktf's number token pattern is [-|\d|.+]+(e[-|\d|.|e|E|+]+): a string can match it exactly when
// it holds one of the first characters, an "e" and one of the last, in a row.
export const NUMBER_TOKEN = /[-|\d.+]e[-|\d.eE+]/;
// Encoded token numbers carry 0xfdff in their top 16 bits: magnitudes near 1e289.
const TOKEN_NUMBER_MAGNITUDE = 1e250;

function plainString(s: string): boolean {
  return (!s.includes("{") || !(s.includes(MARKERS[0]) || s.includes(MARKERS[1]) || s.includes(MARKERS[2]))) && !NUMBER_TOKEN.test(s) && s !== Token.STRING_MAP_TOKEN_VALUE && s !== Token.ANY_MAP_TOKEN_VALUE;
}

function plainNumber(n: number): boolean {
  return Math.abs(n) < TOKEN_NUMBER_MAGNITUDE && n !== Token.NUMBER_MAP_TOKEN_VALUE;
}

/** Whether an array holds a list token (a string or number element), which makes cdktf resolve the array as a whole. */
function holdsListToken(xs: readonly unknown[]): boolean {
  for (let i = 0; i < xs.length; i++) {
    const e = xs[i];
    if ((typeof e === "string" && e.includes("#{")) || (typeof e === "number" && !plainNumber(e))) return true;
  }
  return false;
}

function plainObject(o: object): o is Record<string, unknown> {
  // cdktf refuses to resolve a construct (an object with _children and _metadata): it goes to cdktf.
  return Object.getPrototypeOf(o) === Object.prototype && !Tokenization.isResolvable(o) && !("_children" in o && "_metadata" in o);
}

// Most tokens in a stack are a whole string that stands for one attribute reference
// (`vpc.id` -> "${TfToken[TOKEN.7]}"); the next commonest are Terraform function calls.
const SINGLE_STRING_TOKEN = /^\$\{TfToken\[([a-zA-Z0-9:._-]+)\]\}$/;
const REFERENCE_PROTOTYPE: object = Object.getPrototypeOf(ref("reference"));
const FUNCTION_CALL_PROTOTYPE: object = Object.getPrototypeOf(call("function", []));
// What cdktf's resolve is given by `resolve(scope, value)` (_tokens.js), stateless.
const RESOLVER = new DefaultTokenResolver(new StringConcat());
// How many resolutions so far might give another result or print again when repeated: values
// resolved by cdktf itself, and strings whose tokens cdktf splits with a warning about escape
// sequences (tokens/private/encoding.js, TokenString.split). A memo keeps only what resolved without one.
let unrepeatable = 0;
const ESCAPE_SEQUENCE = /\$\{(?!TfToken\[)/;

/** The token a string stands for when it is nothing but that token's marker. */
function soleToken(s: string): IResolvable | undefined {
  const key = SINGLE_STRING_TOKEN.exec(s)?.[1];
  if (key === undefined) return undefined;
  try {
    return TokenMap.instance().lookupToken(key);
  } catch {
    return undefined;
  }
}

const lookupToken = (key: string): IResolvable => TokenMap.instance().lookupToken(key);

/**
 * cdktf resolves an attribute reference, outside its preparing pass and with no cross-stack
 * identifier for the stack, to its identifier (inside an expression, where braces are
 * suppressed) or to "${" + identifier + "}" (tfExpression.js, Reference.resolve), and that string
 * resolves to itself once more when the identifier holds no token. Subclasses of Reference go to cdktf.
 */
function referenceIdentifier(token: IResolvable): string | undefined {
  if (Object.getPrototypeOf(token) !== REFERENCE_PROTOTYPE) return undefined;
  const { identifier, crossStackIdentifier } = token as unknown as { identifier: unknown; crossStackIdentifier: Record<string, string> };
  if (typeof identifier !== "string" || !plainString(identifier) || Object.keys(crossStackIdentifier).length > 0) return undefined;
  return identifier;
}

/**
 * A resolution context as cdktf's resolve makes one for each value (tokens/private/resolve.js,
 * makeContext: the flags of the context it was made in, no post-processor yet), whose resolve
 * gives what cdktf's resolve gives in it: plain values copied; strings with tokens split and
 * joined by cdktf's own string code, and attribute references and Terraform function calls
 * resolved as cdktf resolves them (the call's own resolve, in a context of this kind); any other
 * value that is or may hold a token resolved by cdktf itself in a context with the same flags.
 * It keeps no path of keys, which cdktf keeps for its error messages: a token that fails here is
 * resolved again by cdktf, which raises its own error.
 */
class FastContext implements IResolveContext {
  readonly preparing = false;
  suppressBraces?: boolean;
  ignoreEscapes?: boolean;
  warnEscapes?: boolean;
  iteratorContext?: IResolveContext["iteratorContext"];
  postProcessor?: IPostProcessor;
  /**
   * In a function call's context: what each argument value resolved to. cdktf's FunctionCall
   * resolves an argument whole and then each of its members again, level by level, all in its one
   * context, whose flags it sets before the first and keeps until the last; a value whose
   * resolution met only plain values, attribute references and function calls resolves to the
   * same again (see unrepeatable).
   */
  private memo?: Map<unknown, unknown>;

  constructor(
    readonly scope: IConstruct,
    previous?: IResolveContext,
  ) {
    this.suppressBraces = previous?.suppressBraces;
    this.ignoreEscapes = previous?.ignoreEscapes;
    this.warnEscapes = previous?.warnEscapes;
    this.iteratorContext = previous?.iteratorContext;
  }

  registerPostProcessor(postProcessor: IPostProcessor): void {
    this.postProcessor = postProcessor;
  }

  resolve(x: unknown): unknown {
    if (this.memo === undefined || x === null || (typeof x !== "object" && typeof x !== "string") || (typeof x === "string" && plainString(x))) return this.walk(x);
    if (this.memo.has(x)) return this.memo.get(x);
    const before = unrepeatable;
    const resolved = this.walk(x);
    if (unrepeatable === before) this.memo.set(x, resolved);
    return resolved;
  }

  private walk(x: unknown): unknown {
    switch (typeof x) {
      case "undefined":
      case "boolean":
        return x;
      case "string": {
        if (plainString(x)) return x;
        // The commonest token, one attribute reference, without splitting the string.
        const token = soleToken(x);
        const identifier = token && referenceIdentifier(token);
        if (identifier !== undefined) return this.suppressBraces ? identifier : `\${${identifier}}`;
        return this.string(x);
      }
      case "number":
        return plainNumber(x) ? x : this.byCdktf(x);
      case "object": {
        if (x === null) return x;
        if (Array.isArray(x)) {
          // List tokens (a string or number element) make cdktf resolve the array as a whole.
          if (holdsListToken(x)) return this.byCdktf(x);
          const out: unknown[] = [];
          for (let i = 0; i < x.length; i++) {
            const r = this.resolve(x[i]);
            if (r !== undefined) out.push(r);
          }
          return out;
        }
        const proto: unknown = Object.getPrototypeOf(x);
        if (proto === REFERENCE_PROTOTYPE || proto === FUNCTION_CALL_PROTOTYPE) return this.token(x as IResolvable);
        if (proto !== Object.prototype || !plainObject(x)) return this.byCdktf(x);
        const keys = Object.keys(x);
        for (let i = 0; i < keys.length; i++) if (!plainString(keys[i])) return this.byCdktf(x);
        const out: Record<string, unknown> = {};
        for (let i = 0; i < keys.length; i++) {
          const r = this.resolve(x[keys[i]]);
          if (r !== undefined) out[keys[i]] = r;
        }
        return out;
      }
      default:
        return this.byCdktf(x);
    }
  }

  /** cdktf's resolve of a value in a context with this one's flags. */
  private byCdktf(x: unknown): unknown {
    unrepeatable++;
    return cdktfResolve(x, { scope: this.scope, preparing: false, resolver: RESOLVER, prefix: [], previousContext: this });
  }

  /**
   * A string that holds tokens, as cdktf's resolve takes one: refused when it holds a list or map
   * token (by cdktf), else its tokens split out and resolved, the parts joined, and encoded
   * numbers in the result resolved, each by cdktf's own code in a context of this kind.
   */
  private string(s: string): unknown {
    if (TokenString.forListToken(s).test() || s === Token.STRING_MAP_TOKEN_VALUE || s === Token.ANY_MAP_TOKEN_VALUE) return this.byCdktf(s);
    let str: unknown = s;
    const tokens = TokenString.forString(s, !this.ignoreEscapes, this.warnEscapes);
    if (tokens.test()) {
      if (this.warnEscapes && ESCAPE_SEQUENCE.test(s)) unrepeatable++;
      str = RESOLVER.resolveString(tokens.split(lookupToken), new FastContext(this.scope, this));
    }
    const numbers = TokenString.forNumbers(str as string);
    if (numbers.test()) {
      str = numbers.split((id) => TokenMap.instance().lookupNumberToken(parseFloat(id))).mapTokens(new FastContext(this.scope, this)).join(new StringConcat());
    }
    return str;
  }

  /**
   * An attribute reference or a Terraform function call, as cdktf resolves a token
   * (DefaultTokenResolver.resolveToken): its own resolve in a fresh context, the result resolved
   * once more and post-processed. A function call's arguments (objects, as for jsonencode) are
   * resolved through that context, where cdktf would resolve each again, context by context, at
   * every level of nesting.
   */
  private token(token: IResolvable): unknown {
    const identifier = referenceIdentifier(token);
    if (identifier !== undefined) return this.suppressBraces ? identifier : `\${${identifier}}`;
    if (Object.getPrototypeOf(token) !== FUNCTION_CALL_PROTOTYPE) return this.byCdktf(token);
    const context = new FastContext(this.scope, this);
    context.memo = new Map();
    try {
      const expression = token.resolve(context);
      // The call has put its context's flags back: no value resolves from the memo any more.
      context.memo = undefined;
      const resolved = context.resolve(expression);
      return context.postProcessor ? context.postProcessor.postProcess(resolved, context) : resolved;
    } catch {
      return this.byCdktf(token);
    }
  }
}

/** `resolve(scope, value)` as cdktf's `_tokens.resolve` does it, faster on plain values, attribute references and function calls. */
export function resolveFast(scope: IConstruct, value: unknown): unknown {
  return new FastContext(scope).resolve(value);
}
