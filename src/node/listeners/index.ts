export { listenTcp } from "./tcp.js";
export { listenWebSocket, type WebSocketListenOptions } from "./websocket.js";
export type { XmppListener, ListenOptions } from "./listener.js";
