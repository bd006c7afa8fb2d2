export * from "./rule";
export { ALL_RULES } from "./all-rules";
export { blockingFindings, checkSynthesized, SUPPRESSION_FINDING_ID, withinConfigPath } from "./check";
export { formatFindings } from "./findings-table";
export { rulesMarkdown } from "./rules-markdown";
export { createRuleContext } from "./terraform-json";
