export * from "./version";
export * from "./host";
export * from "./container";
export * from "./messages";
export * from "./events";
export * from "./commands";
