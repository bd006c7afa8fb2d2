export * from "./dual-stack-nlb";
export * from "./endpoint-service";
export * from "./private-dns-verification";
export * from "./consumer-endpoint";
export * from "./connection-accepter";
export * from "./endpoint-private-dns";
export * from "./validation";
