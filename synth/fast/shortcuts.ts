import * as crypto from "crypto";
import * as path from "path";
import { Node } from "constructs";

/*
 * Pieces of cdktf (and constructs) that cost a synth much and change nothing in its output,
 * replaced while the app checks its config, builds and synthesizes its stacks (and put back
 * afterwards):
 *
 * - cdktf records and formats a whole stack trace each time it creates a token, only to name where
 *   a token was made if it later fails to resolve: about a sixth of a synth.
 *   `PRIVATELINK_TOKEN_TRACES=1` keeps them, for debugging such a failure.
 * - cdktf turns the keys of every resource's and provider's meta-arguments into snake case with
 *   three regular expressions per key, every time: here each key is converted once per run, by
 *   cdktf's own snakeCase, in a copy of cdktf's keysToSnakeCase (util.js, the same in cdktf 0.21
 *   and cdktn 0.24).
 * - cdktf names each element by an MD5 of its path, through a new hash object each time; Node's
 *   one-shot crypto.hash gives the same digest for a fraction of the cost (the naming is a copy of
 *   cdktf's makeUniqueId, private/unique.js, the same in cdktf 0.21 and cdktn 0.24).
 * - cdktf builds a regular expression for every token it registers, to clean the token's display
 *   hint: here one expression serves them all (a copy of TokenMap.registerStringKey,
 *   tokens/private/token-map.js, the same in cdktf 0.21 and cdktn 0.24).
 * - constructs joins a construct's path from its scopes on every read, and cdktf reads it for
 *   every resource more than once (even for an assertion's message): a path never changes once
 *   the construct exists, so each is joined once.
 *
 * Each is replaced where cdktf's own modules look it up at every call: a module's exports or a
 * class's prototype. Installed by the speed layer's one door (./index.ts).
 */
export interface ShortcutParts {
  readonly tokenTraces: boolean;
  readonly snakeCase: boolean;
  readonly uniqueIds: boolean;
  readonly tokenKeys: boolean;
  readonly constructPaths: boolean;
}

/** Installs the chosen shortcuts on cdktf (the package `require("cdktf")` finds); returns what puts cdktf's own back. */
export function installShortcuts(parts: ShortcutParts): () => void {
  const restores: (() => void)[] = [];
  const lib = path.dirname(require.resolve("cdktf"));
  if (parts.tokenTraces && process.env.PRIVATELINK_TOKEN_TRACES !== "1") {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const traces: { captureStackTrace: () => string[]; captureCreationStack?: () => string[] } = require(path.join(lib, "tokens", "private", "stack-trace.js"));
    if (traces.captureCreationStack) {
      // CDK Terrain has a switch of its own for this.
      const saved = process.env.CDKTN_DISABLE_CREATION_STACK;
      process.env.CDKTN_DISABLE_CREATION_STACK = "true";
      restores.push(() => (saved === undefined ? delete process.env.CDKTN_DISABLE_CREATION_STACK : (process.env.CDKTN_DISABLE_CREATION_STACK = saved)));
    } else {
      const capture = traces.captureStackTrace;
      traces.captureStackTrace = () => [];
      restores.push(() => (traces.captureStackTrace = capture));
    }
  }
  if (parts.snakeCase) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const util: { keysToSnakeCase: (o: unknown) => unknown; snakeCase: (s: string) => string } = require(path.join(lib, "util.js"));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Tokenization }: typeof import("cdktf") = require("cdktf");
    const keysToSnakeCase = util.keysToSnakeCase;
    const snake = new Map<string, string>();
    const snakeCase = (key: string): string => {
      let s = snake.get(key);
      if (s === undefined) snake.set(key, (s = util.snakeCase(key)));
      return s;
    };
    const fastKeysToSnakeCase = (object: any): any => {
      if (Tokenization.isResolvable(object)) return object;
      if (Array.isArray(object)) return object.map((e) => (typeof e === "object" ? fastKeysToSnakeCase(e) : e));
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(object)) {
        if (key === "tags" || key === "environment") {
          out[key] = object[key];
          continue;
        }
        let value = object[key];
        if (typeof value === "object") value = fastKeysToSnakeCase(value);
        if (Array.isArray(value)) value = value.map((e) => (typeof e === "object" ? fastKeysToSnakeCase(e) : e));
        out[snakeCase(key)] = value;
      }
      return out;
    };
    util.keysToSnakeCase = fastKeysToSnakeCase;
    restores.push(() => (util.keysToSnakeCase = keysToSnakeCase));
  }
  const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;
  if (parts.uniqueIds && oneShot) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const unique: { makeUniqueId: (components: string[]) => string } = require(path.join(lib, "private", "unique.js"));
    const makeUniqueId = unique.makeUniqueId;
    unique.makeUniqueId = (components) => fastUniqueId(components, makeUniqueId, oneShot);
    restores.push(() => (unique.makeUniqueId = makeUniqueId));
  }
  if (parts.tokenKeys) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tokenMap: { TokenMap: { prototype: TokenMapInternals } } = require(path.join(lib, "tokens", "private", "token-map.js"));
    const registerStringKey = tokenMap.TokenMap.prototype.registerStringKey;
    tokenMap.TokenMap.prototype.registerStringKey = function (this: TokenMapInternals, token: unknown, displayHint?: string): string {
      const key = `${(displayHint || "TOKEN").replace(NOT_KEY_CHARS, ".")}.${this.tokenCounter++}`;
      this.stringTokenMap.set(key, token);
      return key;
    };
    restores.push(() => (tokenMap.TokenMap.prototype.registerStringKey = registerStringKey));
  }
  const pathGetter = Object.getOwnPropertyDescriptor(Node.prototype, "path");
  if (parts.constructPaths && pathGetter?.get && pathGetter.configurable) {
    const paths = new WeakMap<Node, string>();
    Object.defineProperty(Node.prototype, "path", {
      ...pathGetter,
      get(this: Node): string {
        let p = paths.get(this);
        if (p === undefined) paths.set(this, (p = pathGetter.get!.call(this) as string));
        return p;
      },
    });
    restores.push(() => Object.defineProperty(Node.prototype, "path", pathGetter));
  }
  return () => restores.reverse().forEach((restore) => restore());
}

const removeDisallowed = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, "");

/** cdktf's makeUniqueId (private/unique.js), hashing with crypto.hash. */
function fastUniqueId(all: string[], cdktfMakeUniqueId: (components: string[]) => string, hash: (algorithm: string, data: string, encoding: "hex") => string): string {
  const components = all.filter((x) => x !== "Default");
  // cdktf's own error for an empty path.
  if (components.length === 0) return cdktfMakeUniqueId(all);
  if (components.length === 1) {
    const candidate = removeDisallowed(components[0]);
    if (candidate.length <= 255) return candidate;
  }
  const digest = hash("md5", components.join("/"), "hex").slice(0, 8).toUpperCase();
  const deduped: string[] = [];
  for (const c of components) if (deduped.length === 0 || !deduped[deduped.length - 1].endsWith(c)) deduped.push(c);
  const human = deduped
    .filter((x) => x !== "Resource")
    .map(removeDisallowed)
    .join("_")
    .slice(0, 240);
  return `${human}_${digest}`;
}

interface TokenMapInternals {
  tokenCounter: number;
  stringTokenMap: Map<string, unknown>;
  registerStringKey(token: unknown, displayHint?: string): string;
}
// cdktf's VALID_KEY_CHARS (tokens/private/encoding.js) negated.
const NOT_KEY_CHARS = /[^a-zA-Z0-9:._-]/g;
