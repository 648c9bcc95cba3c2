export { connectComponent, type ComponentLink, type ComponentLinkEvents, type ComponentLinkOptions, type ComponentLinkStatus } from "./link.js";
export { ComponentLinkError, type ComponentLinkErrorCode } from "./errors.js";
export type { ReconnectOptions } from "./backoff.js";
