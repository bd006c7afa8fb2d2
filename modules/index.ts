export * from "./dual-stack-nlb";
export * from "./network-listener";
export * from "./endpoint-service";
export * from "./private-dns-verification";
export * from "./consumer-endpoint";
export * from "./connection-accepter";
export * from "./endpoint-private-dns";
export * from "./dual-stack-vpc";
export * from "./hello-world-instance";
export * from "./privatelink-service";
export * from "./privatelink-consumer";
// The validation helpers are internal; a construct's error and its problems are public.
export { PropsError } from "./validation";
export type { Problem } from "./validation";
export * from "./replacement-trigger";
