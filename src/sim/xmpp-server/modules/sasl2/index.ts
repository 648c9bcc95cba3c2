export { bind2Module } from "./bind2.js";
export { NS_BIND2, NS_SASL2 } from "./namespaces.js";
export { sasl2Module } from "./sasl2.js";
