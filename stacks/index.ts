export * from "./app";
export * from "./state";
export * from "./provider-stack";
export * from "./dns-verification-stack";
export * from "./consumer-stack";
export * from "./acceptance-stack";
export * from "./consumer-private-dns-stack";
export * from "./privatelink-stack";
