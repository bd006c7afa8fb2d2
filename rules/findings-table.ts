import { Finding } from "./rule";

const COLUMNS = ["id", "level", "config", "stack", "resource", "reason"] as const;

function originText(f: Finding): string {
  if (!f.origin) return "-";
  return f.origin.value === undefined ? f.origin.path : `${f.origin.path} = ${JSON.stringify(f.origin.value)}`;
}

/**
 * The findings as a plain-text table (id, level, config path and value, stack, resource, reason)
 * with a summary line;
 * a suppressed finding's level reads "<level> (suppressed)" and its reason ends with the
 * suppression's reason.
 */
export function formatFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return "Security rules: no findings.";
  const rows = findings.map((f) => [
    f.id,
    f.suppressed === undefined ? f.level : `${f.level} (suppressed)`,
    originText(f),
    f.stack,
    f.resource,
    [f.reason, f.detail && `-> ${f.detail}`, f.suppressed !== undefined && `[suppressed: ${f.suppressed}]`].filter(Boolean).join(" "),
  ]);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const open = findings.filter((f) => f.suppressed === undefined);
  const summary = [
    count(open.filter((f) => f.level === "error").length, "error"),
    count(open.filter((f) => f.level === "warning").length, "warning"),
    `${findings.length - open.length} suppressed`,
  ].join(", ");
  return [line(COLUMNS), line(widths.map((w) => "-".repeat(w))), ...rows.map(line), "", `Security rules: ${summary}.`].join("\n");
}
