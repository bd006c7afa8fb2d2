/*
 * The little YAML the pipelines need, written by hand so that a workflow reads as people write
 * them: block style, keys in the order given, multi-line scripts as literal blocks, a comment
 * after a value where one helps (the version behind a pinned commit).
 */

/** A scalar with a comment after it on its line. */
export class Commented {
  constructor(
    readonly value: string,
    readonly comment: string,
  ) {}
}

export type YamlValue = string | number | boolean | null | Commented | YamlValue[] | { readonly [key: string]: YamlValue | undefined };

/** Scalars YAML 1.1 or 1.2 would read as something else than a string. */
const SPECIAL = /^(?:true|false|yes|no|on|off|null|~|y|n)$/i;

function scalar(value: string | number | boolean | null): string {
  if (value === null) return "";
  if (typeof value !== "string") return String(value);
  const plain =
    value.length > 0 &&
    value === value.trim() &&
    /^[A-Za-z_$./(]/.test(value) &&
    !/[\n\t]/.test(value) &&
    !value.includes(": ") &&
    !value.includes(" #") &&
    !value.endsWith(":") &&
    !SPECIAL.test(value);
  return plain ? value : JSON.stringify(value);
}

const key = (k: string): string => (/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k));

function lines(value: YamlValue, indent: string): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return ["[]"];
    return value.flatMap((item) => {
      const [first, ...rest] = lines(item, `${indent}  `);
      return isBlock(item) ? [`${indent}- ${first.trimStart()}`, ...rest] : [`${indent}- ${first}`];
    });
  }
  if (value instanceof Commented) return [`${scalar(value.value)} # ${value.comment}`];
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter((e): e is [string, YamlValue] => e[1] !== undefined);
    if (entries.length === 0) return ["{}"];
    return entries.flatMap(([k, v]) => {
      if (typeof v === "string" && v.includes("\n")) {
        const body = v.endsWith("\n") ? v.slice(0, -1) : v;
        return [`${indent}${key(k)}: ${v.endsWith("\n") ? "|" : "|-"}`, ...body.split("\n").map((l) => (l.length > 0 ? `${indent}  ${l}` : ""))];
      }
      if (isBlock(v)) return [`${indent}${key(k)}:`, ...lines(v, `${indent}  `)];
      const text = lines(v, indent)[0];
      return [text === "" ? `${indent}${key(k)}:` : `${indent}${key(k)}: ${text}`];
    });
  }
  return [scalar(value)];
}

/** A non-empty mapping or list: written on the lines below its key. */
function isBlock(v: YamlValue): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return v !== null && typeof v === "object" && !(v instanceof Commented) && Object.values(v).some((x) => x !== undefined);
}

/**
 * A YAML document: a header of comment lines, then the mapping, a blank line between its
 * entries and between the entries of those under `spaced` (a workflow's jobs).
 */
export function yamlDocument(value: { readonly [key: string]: YamlValue | undefined }, header: readonly string[] = [], spaced: readonly string[] = []): string {
  const sections = Object.entries(value)
    .filter((e): e is [string, YamlValue] => e[1] !== undefined)
    .map(([k, v]) => {
      if (!spaced.includes(k) || !isBlock(v) || Array.isArray(v)) return lines({ [k]: v }, "").join("\n");
      const children = Object.entries(v as Record<string, YamlValue | undefined>).filter((e): e is [string, YamlValue] => e[1] !== undefined);
      return [`${key(k)}:`, children.map(([ck, cv]) => lines({ [ck]: cv }, "  ").join("\n")).join("\n\n")].join("\n");
    });
  return `${[header.map((h) => (h ? `# ${h}` : "#")).join("\n"), ...sections].filter((x) => x.length > 0).join("\n\n")}\n`;
}
