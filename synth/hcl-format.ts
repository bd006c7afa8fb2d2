/*
 * HCL in Terraform's canonical layout, as `terraform fmt` (1.11: hclwrite's formatter plus
 * Terraform's unwrapping of interpolation-only strings) lays it out, so pipelines that run
 * `terraform fmt -check` accept the synthesized cdk.tf. Synthesis must not need the terraform
 * binary, hence this port. It changes whitespace only, apart from the unwrapping: it never
 * moves tokens across lines. Not ported, as cdktf never writes them: fmt's rewrite of legacy
 * `variable` type expressions and its re-quoting of unquoted block labels.
 */

// Token kinds (hclsyntax's names).
const NEWLINE = 0;
const COMMENT = 1;
const IDENT = 2;
const NUMBER = 3;
const O_BRACE = 4;
const C_BRACE = 5;
const O_BRACK = 6;
const C_BRACK = 7;
const O_PAREN = 8;
const C_PAREN = 9;
const EQUAL = 10;
const COMMA = 11;
const DOT = 12;
const MINUS = 13;
const BANG = 14;
const ELLIPSIS = 15;
const DOUBLE_COLON = 16;
const O_QUOTE = 17;
const C_QUOTE = 18;
const QUOTED_LIT = 19;
const INTERP = 20;
const CONTROL = 21;
const SEQ_END = 22;
const O_HEREDOC = 23;
const STRING_LIT = 24;
const C_HEREDOC = 25;
/** Negation follows these (hclwrite's guess between subtraction and negation). */
const NEGATION_AFTER = 26; // ( { [ = : , ? + * / % - == != > >= < <= && || !
const OTHER_OP = 27; // => ? : and anything else
const NIL = 28;

const OPERATORS: Record<string, number> = {
  "...": ELLIPSIS,
  "::": DOUBLE_COLON,
  "==": NEGATION_AFTER,
  "!=": NEGATION_AFTER,
  "<=": NEGATION_AFTER,
  ">=": NEGATION_AFTER,
  "&&": NEGATION_AFTER,
  "||": NEGATION_AFTER,
  "=>": OTHER_OP,
  "=": EQUAL,
  ",": COMMA,
  ".": DOT,
  "-": MINUS,
  "!": BANG,
  "(": O_PAREN,
  ")": C_PAREN,
  "[": O_BRACK,
  "]": C_BRACK,
  ":": NEGATION_AFTER,
  "?": NEGATION_AFTER,
  "+": NEGATION_AFTER,
  "*": NEGATION_AFTER,
  "/": NEGATION_AFTER,
  "%": NEGATION_AFTER,
  "<": NEGATION_AFTER,
  ">": NEGATION_AFTER,
};

interface Tokens {
  readonly type: number[];
  readonly text: string[];
}

const IDENT_RE = /[\p{ID_Start}_][\p{ID_Continue}-]*/uy;
const NUMBER_RE = /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEREDOC_RE = /<<(-?)([\p{ID_Start}_][\p{ID_Continue}-]*)\r?\n/uy;

/** A lexing context: code (at top level or inside `${ }`), a quoted template or a heredoc. */
interface Context {
  readonly kind: "code" | "quoted" | "heredoc";
  /** Open braces inside this `${ }` (code inside a template only). */
  braces: number;
  readonly inTemplate: boolean;
  readonly marker?: string;
  startOfLine?: boolean;
}

const isIdentStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isIdentPart = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57) || c === 45;

function lex(src: string): Tokens {
  const type: number[] = [];
  const text: string[] = [];
  const push = (t: number, s: string) => {
    type.push(t);
    text.push(s);
  };
  const stack: Context[] = [{ kind: "code", braces: 0, inTemplate: false }];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const ctx = stack[stack.length - 1];
    const c = src[i];
    if (ctx.kind === "quoted") {
      if (c === '"') {
        push(C_QUOTE, c);
        stack.pop();
        i++;
      } else if (c === "\n" || (c === "\r" && src[i + 1] === "\n")) {
        stack.pop(); // unterminated: Terraform would refuse the file; lay the rest out as code
      } else if ((c === "$" || c === "%") && src[i + 1] === "{") {
        const len = src[i + 2] === "~" ? 3 : 2;
        push(c === "$" ? INTERP : CONTROL, src.slice(i, i + len));
        stack.push({ kind: "code", braces: 0, inTemplate: true });
        i += len;
      } else {
        const start = i;
        while (i < n) {
          const d = src[i];
          if (d === '"' || d === "\n" || (d === "\r" && src[i + 1] === "\n")) break;
          if (d === "\\") i += 2;
          else if ((d === "$" || d === "%") && src[i + 1] === "{") break;
          else if ((d === "$" || d === "%") && src[i + 1] === d && src[i + 2] === "{") i += 3;
          else i++;
        }
        push(QUOTED_LIT, src.slice(start, i));
      }
      continue;
    }
    if (ctx.kind === "heredoc") {
      if (ctx.startOfLine) {
        let end = src.indexOf("\n", i);
        if (end < 0) end = n;
        const line = src.slice(i, end).replace(/\r$/, "");
        if (line.trim() === ctx.marker) {
          push(C_HEREDOC, line);
          i += line.length;
          stack.pop();
          continue;
        }
      }
      if ((c === "$" || c === "%") && src[i + 1] === "{") {
        const len = src[i + 2] === "~" ? 3 : 2;
        push(c === "$" ? INTERP : CONTROL, src.slice(i, i + len));
        ctx.startOfLine = false;
        stack.push({ kind: "code", braces: 0, inTemplate: true });
        i += len;
        continue;
      }
      const start = i;
      while (i < n) {
        const d = src[i];
        if (d === "\n") {
          i++;
          break;
        }
        if ((d === "$" || d === "%") && src[i + 1] === "{") break;
        if ((d === "$" || d === "%") && src[i + 1] === d && src[i + 2] === "{") i += 3;
        else i++;
      }
      ctx.startOfLine = src[i - 1] === "\n";
      push(STRING_LIT, src.slice(start, i));
      continue;
    }
    // Code.
    if (c === " " || c === "\t" || (c === "\r" && src[i + 1] !== "\n")) {
      i++;
    } else if (c === "\n" || c === "\r") {
      const len = c === "\r" ? 2 : 1;
      push(NEWLINE, src.slice(i, i + len));
      i += len;
    } else if (c === "#" || (c === "/" && src[i + 1] === "/")) {
      let end = src.indexOf("\n", i);
      end = end < 0 ? n : end + 1;
      push(COMMENT, src.slice(i, end));
      i = end;
    } else if (c === "/" && src[i + 1] === "*") {
      let end = src.indexOf("*/", i + 2);
      end = end < 0 ? n : end + 2;
      push(COMMENT, src.slice(i, end));
      i = end;
    } else if (c === '"') {
      push(O_QUOTE, c);
      stack.push({ kind: "quoted", braces: 0, inTemplate: false });
      i++;
    } else if (c === "{") {
      push(O_BRACE, c);
      ctx.braces++;
      i++;
    } else if ((c === "}" || (c === "~" && src[i + 1] === "}")) && ctx.inTemplate && ctx.braces === 0) {
      const len = c === "~" ? 2 : 1;
      push(SEQ_END, src.slice(i, i + len));
      stack.pop();
      if (stack[stack.length - 1].kind === "heredoc") stack[stack.length - 1].startOfLine = false;
      i += len;
    } else if (c === "}") {
      push(C_BRACE, c);
      ctx.braces--;
      i++;
    } else {
      HEREDOC_RE.lastIndex = i;
      const heredoc = c === "<" ? HEREDOC_RE.exec(src) : null;
      if (heredoc) {
        push(O_HEREDOC, heredoc[0]);
        stack.push({ kind: "heredoc", braces: 0, inTemplate: false, marker: heredoc[2], startOfLine: true });
        i += heredoc[0].length;
        continue;
      }
      NUMBER_RE.lastIndex = i;
      const number = c >= "0" && c <= "9" ? NUMBER_RE.exec(src) : null;
      if (number) {
        push(NUMBER, number[0]);
        i += number[0].length;
        continue;
      }
      // ASCII identifiers (nearly all) without the Unicode-aware regex.
      let end = i;
      if (isIdentStart(src.charCodeAt(i))) while (end < n && isIdentPart(src.charCodeAt(end))) end++;
      if (end > i && !(src.charCodeAt(end) > 0x7f)) {
        push(IDENT, src.slice(i, end));
        i = end;
        continue;
      }
      IDENT_RE.lastIndex = i;
      const ident = IDENT_RE.exec(src);
      if (ident) {
        push(IDENT, ident[0]);
        i += ident[0].length;
        continue;
      }
      const op = src.startsWith("...", i) ? "..." : OPERATORS[src.slice(i, i + 2)] !== undefined ? src.slice(i, i + 2) : c;
      push(OPERATORS[op] ?? OTHER_OP, op);
      i += op.length;
    }
  }
  return { type, text };
}

function bracketChange(t: number): number {
  if (t === O_BRACE || t === O_BRACK || t === O_PAREN || t === INTERP || t === CONTROL) return 1;
  if (t === C_BRACE || t === C_BRACK || t === C_PAREN || t === SEQ_END) return -1;
  return 0;
}

function endsLine(tokens: Tokens, k: number): boolean {
  const t = tokens.type[k];
  return t === NEWLINE || (t === COMMENT && tokens.text[k].endsWith("\n"));
}

/**
 * Terraform's fmt step before layout: the value of each attribute of a block body (not of an
 * object) that is one interpolation and nothing else, `"${expr}"`, becomes `expr`.
 */
function unwrapInterpolations(tokens: Tokens): Tokens {
  const { type } = tokens;
  const n = type.length;
  const drop = new Uint8Array(n);
  const openParen = new Uint8Array(n);
  const closeParen = new Uint8Array(n);
  const unwrap = (start: number, end: number) => {
    if (end - start < 5 || type[start] !== O_QUOTE || type[start + 1] !== INTERP || type[end - 2] !== SEQ_END || type[end - 1] !== C_QUOTE) return;
    let quotes = 0;
    for (let k = start + 2; k < end - 2; k++) {
      const t = type[k];
      if (t === O_QUOTE) quotes++;
      else if (t === C_QUOTE) quotes--;
      else if (quotes === 0 && (t === INTERP || t === SEQ_END || t === QUOTED_LIT)) return;
    }
    let first = start + 2;
    let last = end - 3;
    while (first <= last && type[first] === NEWLINE) drop[first++] = 1;
    while (last >= first && type[last] === NEWLINE) drop[last--] = 1;
    drop[start] = drop[start + 1] = drop[end - 2] = drop[end - 1] = 1;
    let multiLine = false;
    for (let k = first; k <= last; k++) if (type[k] === NEWLINE) multiLine = true;
    if (multiLine && !(type[first] === O_PAREN && type[last] === C_PAREN)) {
      openParen[first] = 1;
      closeParen[last] = 1;
    }
  };
  // A body: attributes `name = expr` and blocks `type "label"... { body }`, to its closing brace.
  let i = 0;
  const body = (): void => {
    while (i < n) {
      const t = type[i];
      if (t === C_BRACE) return;
      if (t === IDENT && type[i + 1] === EQUAL) {
        const start = i + 2;
        let k = start;
        let depth = 0;
        while (k < n && !(depth === 0 && (endsLine(tokens, k) || type[k] === C_BRACE))) depth += bracketChange(type[k++]);
        let end = k;
        while (end > start && type[end - 1] === COMMENT) end--;
        unwrap(start, end);
        i = k;
        continue;
      }
      if (t === IDENT) {
        let k = i + 1;
        for (;;) {
          if (type[k] === IDENT) k++;
          else if (type[k] === O_QUOTE && type[k + 1] === QUOTED_LIT && type[k + 2] === C_QUOTE) k += 3;
          else if (type[k] === O_QUOTE && type[k + 1] === C_QUOTE) k += 2;
          else break;
        }
        if (type[k] === O_BRACE) {
          i = k + 1;
          body();
          i++;
          continue;
        }
      }
      i++;
    }
  };
  while (i < n) {
    body();
    i++; // a stray closing brace at top level
  }
  const out: Tokens = { type: [], text: [] };
  for (let k = 0; k < n; k++) {
    if (openParen[k]) {
      out.type.push(O_PAREN);
      out.text.push("(");
    }
    if (!drop[k]) {
      out.type.push(type[k]);
      out.text.push(tokens.text[k]);
    }
    if (closeParen[k]) {
      out.type.push(C_PAREN);
      out.text.push(")");
    }
  }
  return out;
}

/** hclwrite's spaceAfterToken: whether `subject` is followed by a space before `after`. */
function spaceAfter(subject: number, subjectText: string, before: number, after: number): boolean {
  if (after === NEWLINE || after === NIL) return false;
  if (subject === IDENT && after === O_PAREN) return false;
  if ((subject === IDENT && after === DOUBLE_COLON) || (subject === DOUBLE_COLON && after === IDENT)) return false;
  if (subject === DOT || after === DOT) return false;
  if (after === COMMA || after === ELLIPSIS) return false;
  if (subject === COMMA) return true;
  if (subject === QUOTED_LIT || subject === STRING_LIT || subject === O_QUOTE || subject === O_HEREDOC || after === QUOTED_LIT || after === STRING_LIT || after === C_QUOTE || after === C_HEREDOC) return false;
  if (subject === IDENT && subjectText === "in" && before === IDENT) return true;
  if (after === O_BRACK && (subject === IDENT || subject === NUMBER || bracketChange(subject) < 0)) return false;
  if (subject === BANG) return false;
  if (subject === MINUS) {
    return !(before === NIL || before === O_PAREN || before === O_BRACE || before === O_BRACK || before === EQUAL || before === COMMA || before === MINUS || before === BANG || before === NEGATION_AFTER);
  }
  if (subject === O_BRACE || after === C_BRACE) return !(subject === O_BRACE && after === C_BRACE);
  if ((subject === INTERP || subject === CONTROL) && after === O_BRACE) return true;
  if (subject === C_BRACE && after === SEQ_END) return true;
  if (subject === SEQ_END && (after === INTERP || after === CONTROL)) return false;
  if (bracketChange(subject) > 0) return false;
  if (bracketChange(after) < 0) return false;
  return true;
}

// Made at first use: V8 cannot put an Intl object into the app's start-up snapshot.
let segmenter: Intl.Segmenter | undefined;
/** Columns a token takes: its grapheme clusters (one per character for ASCII). */
function width(s: string): number {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(s) || typeof Intl === "undefined" || !("Segmenter" in Intl)) return s.length;
  let count = 0;
  for (const _ of (segmenter ??= new Intl.Segmenter()).segment(s)) count++;
  return count;
}

const SPACES: string[] = [];
const spaces = (k: number) => (SPACES[k] ??= " ".repeat(k));

/** `hcl` laid out as `terraform fmt` lays it out. */
export function formatHcl(hcl: string): string {
  let tail = hcl.length;
  while (tail > 0 && (hcl[tail - 1] === " " || hcl[tail - 1] === "\t")) tail--;
  const trailing = hcl.slice(tail);
  const tokens = unwrapInterpolations(lex(hcl));
  const { type, text } = tokens;
  const n = type.length;
  const space = new Array<number>(n).fill(0);

  // Lines, each split into cells: lead, then assign (from `=` if the rest is a whole
  // expression), then a trailing comment.
  const leadStart: number[] = [];
  const assignStart: number[] = [];
  const commentStart: number[] = [];
  const lineEnd: number[] = [];
  for (let start = 0; start < n; ) {
    let end = start;
    while (end < n && !endsLine(tokens, end)) end++;
    end = Math.min(end + 1, n);
    let leadEnd = end;
    let comment = -1;
    if (end - start > 1 && type[end - 1] === COMMENT) comment = leadEnd = end - 1;
    let assign = -1;
    for (let k = start + 1; k < leadEnd; k++) {
      if (type[k] !== EQUAL) continue;
      let net = 0;
      for (let m = k; m < leadEnd; m++) net += bracketChange(type[m]);
      if (net === 0) assign = k;
      break;
    }
    leadStart.push(start);
    assignStart.push(assign);
    commentStart.push(comment);
    lineEnd.push(end);
    start = end;
  }
  const lines = leadStart.length;
  const leadEndOf = (l: number) => (assignStart[l] >= 0 ? assignStart[l] : commentStart[l] >= 0 ? commentStart[l] : lineEnd[l]);
  const assignEndOf = (l: number) => (commentStart[l] >= 0 ? commentStart[l] : lineEnd[l]);

  // Indentation: two spaces per level of brackets left open by earlier lines.
  const indents: number[] = [];
  for (let l = 0; l < lines; l++) {
    const first = leadStart[l];
    if (type[first] === NEWLINE) continue;
    let net = 0;
    for (let k = first; k < leadEndOf(l); k++) {
      net += bracketChange(type[k]);
      if (type[k] === O_HEREDOC) break;
    }
    if (assignStart[l] >= 0) for (let k = assignStart[l]; k < assignEndOf(l); k++) net += bracketChange(type[k]);
    if (net > 0) {
      space[first] = 2 * indents.length;
      indents.push(net);
      continue;
    }
    let closed = -net;
    while (closed > 0 && indents.length > 0) {
      const top = indents[indents.length - 1];
      if (closed >= top) {
        closed -= top;
        indents.pop();
      } else {
        indents[indents.length - 1] -= closed;
        closed = 0;
      }
    }
    space[first] = 2 * indents.length;
  }

  // Spaces between the tokens of each cell.
  const cellSpaces = (from: number, to: number) => {
    for (let k = from; k < to - 1; k++) space[k + 1] = spaceAfter(type[k], text[k], k > from ? type[k - 1] : NIL, type[k + 1]) ? 1 : 0;
  };
  for (let l = 0; l < lines; l++) {
    cellSpaces(leadStart[l], leadEndOf(l));
    if (assignStart[l] >= 0) {
      space[assignStart[l]] = 1;
      cellSpaces(assignStart[l], assignEndOf(l));
    }
  }

  // `=` of consecutive attribute lines aligned one column after the longest lead; then
  // trailing comments of consecutive lines likewise.
  const columns = (from: number, to: number) => {
    let c = 0;
    for (let k = from; k < to; k++) c += space[k] + width(text[k]);
    return c;
  };
  const align = (cell: number[], before: (l: number) => number) => {
    for (let l = 0; l < lines; ) {
      if (cell[l] < 0) {
        l++;
        continue;
      }
      let end = l;
      let max = 0;
      const widths: number[] = [];
      for (; end < lines && cell[end] >= 0; end++) {
        const w = before(end);
        widths.push(w);
        if (w > max) max = w;
      }
      for (let m = l; m < end; m++) space[cell[m]] = max - widths[m - l] + 1;
      l = end;
    }
  };
  align(assignStart, (l) => columns(leadStart[l], leadEndOf(l)));
  align(commentStart, (l) => columns(leadStart[l], leadEndOf(l)) + (assignStart[l] >= 0 ? columns(assignStart[l], assignEndOf(l)) : 0));

  const out: string[] = new Array(2 * n + 1);
  for (let k = 0; k < n; k++) {
    out[2 * k] = spaces(space[k]);
    out[2 * k + 1] = text[k];
  }
  out[2 * n] = trailing;
  return out.join("");
}
