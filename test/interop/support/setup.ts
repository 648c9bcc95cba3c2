import { WebSocket } from "ws";

// @xmpp/websocket uses the global WebSocket, which Node 20 lacks (without --experimental-websocket).
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
