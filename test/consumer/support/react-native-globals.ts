// A JavaScript context with only the globals a React Native app has, to run a Metro bundle in.
// Which globals those are, and where each comes from:
//
// Hermes (the engine, RN ≥ 0.74): the ECMAScript built-ins listed below, plus atob, btoa
// (facebook/hermes 13fafde, d2177c3) and TextEncoder (7f9d9d5) — not TextDecoder, not
// structuredClone, no `crypto` at all. A fresh V8 context has more (console, WebAssembly,
// SharedArrayBuffer, Atomics, FinalizationRegistry, and whatever a newer Node adds): everything
// not listed is removed, so a built-in that is not known to be in Hermes is never there.
//
// React Native (InitializeCore, Libraries/Core/setUp*.js of 0.86, the native runtime): `global`,
// `window` and `self` (the global object), `navigator` ({ product: "ReactNative" }),
// `performance.now`, the timers, `queueMicrotask`, `WebSocket` (RN's class over its native
// socket), `URL` (RN's own, partial: see ReactNativeUrl), `RN$Bridgeless` (the new architecture,
// the default since 0.76), the native hooks `nativeLoggingHook` (console is built on it by the
// bundle's @react-native/js-polyfills) and `__turboModuleProxy` (native modules). `process` is
// `{ env: { NODE_ENV } }` only, and the bundle's own prelude defines it, so the context starts
// without one.
//
// Left out although RN has them, because nothing in this bundle touches them (their absence can
// only make the run stricter): XMLHttpRequest, fetch, Headers, Request, Response, FormData, Blob,
// File, FileReader, URLSearchParams, AbortController, AbortSignal, alert, requestIdleCallback,
// EventTarget and the DOM classes of 0.80+, HermesInternal, print, gc.
import { createContext, runInContext } from "node:vm";
import WsWebSocket from "ws";

export const HERMES_BUILTINS = [
  ...["globalThis", "Infinity", "NaN", "undefined", "eval", "isFinite", "isNaN", "parseFloat", "parseInt"],
  ...["decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "unescape"],
  ...["Object", "Function", "Array", "Number", "Boolean", "String", "Symbol", "BigInt", "Date", "RegExp", "Promise", "Proxy", "Reflect"],
  ...["Error", "AggregateError", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError"],
  ...["JSON", "Math", "Intl", "Map", "Set", "WeakMap", "WeakSet", "WeakRef", "ArrayBuffer", "DataView"],
  ...["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array"],
  ...["Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"],
];
export const HERMES_WEB_APIS = ["atob", "btoa", "TextEncoder"] as const;
export const REACT_NATIVE_GLOBALS = [
  "global",
  "window",
  "self",
  "navigator",
  "performance",
  "setTimeout",
  "clearTimeout",
  "setInterval",
  "clearInterval",
  "setImmediate",
  "clearImmediate",
  "requestAnimationFrame",
  "cancelAnimationFrame",
  "queueMicrotask",
  "WebSocket",
  "URL",
  "RN$Bridgeless",
  "nativeLoggingHook",
  "__turboModuleProxy",
] as const;

export interface ReactNativeContext {
  /** Runs a script (the bundle) in the context. */
  run(code: string, filename: string): unknown;
  /** A global of the context, as the bundle left it. */
  global<T>(name: string): T;
  /** The own property names of the context's global object, sorted. */
  globalNames(): string[];
  /** What the app logged through console (React Native's nativeLoggingHook). */
  readonly logs: string[];
  /** Cancels the timers still pending and closes the sockets still open. */
  dispose(): void;
}

export interface ReactNativeContextOptions {
  /** A certificate the WebSocket trusts besides the system's (a development CA installed on the phone). */
  trust?: string;
}

/** `nativeModules`: what `__turboModuleProxy(name)` returns, as the native side of an app would. */
export function reactNativeContext(nativeModules: Record<string, object>, options: ReactNativeContextOptions = {}): ReactNativeContext {
  const logs: string[] = [];
  const timers = numberedTimers();
  const sockets = new Set<WsWebSocket>();
  const context = createContext({});
  runInContext(`for (const name of Object.getOwnPropertyNames(globalThis)) if (!${JSON.stringify(HERMES_BUILTINS)}.includes(name)) delete globalThis[name];`, context);
  const globals: Record<(typeof REACT_NATIVE_GLOBALS)[number] | (typeof HERMES_WEB_APIS)[number], unknown> = {
    atob,
    btoa,
    TextEncoder,
    global: undefined, // set to the context's own global below
    window: undefined,
    self: undefined,
    navigator: { product: "ReactNative" },
    performance: { now: () => performance.now() },
    ...timers.globals,
    queueMicrotask,
    WebSocket: reactNativeWebSocket(sockets, options.trust),
    URL: ReactNativeUrl,
    RN$Bridgeless: true,
    nativeLoggingHook: (message: string) => void logs.push(message),
    __turboModuleProxy: (name: string) => nativeModules[name] ?? null,
  };
  Object.assign(context, globals);
  runInContext("globalThis.global = globalThis.window = globalThis.self = globalThis;", context);
  return {
    run: (code, filename) => runInContext(code, context, { filename }),
    global: <T>(name: string) => (context as Record<string, unknown>)[name] as T,
    globalNames: () => (runInContext("Object.getOwnPropertyNames(globalThis)", context) as string[]).slice().sort(),
    logs,
    dispose() {
      timers.dispose();
      for (const socket of sockets) socket.terminate();
    },
  };
}

/** Every global the context must hold before the bundle runs: the lists above, nothing else. */
export function expectedGlobalNames(): string[] {
  return [...HERMES_BUILTINS, ...HERMES_WEB_APIS, ...REACT_NATIVE_GLOBALS].sort();
}

/** React Native's timers hand out numbers, not Node's Timeout objects. */
function numberedTimers() {
  const pending = new Map<number, () => void>();
  let last = 0;
  let disposed = false;
  const schedule = (cancel: () => void): number => {
    if (disposed) cancel();
    else pending.set(last + 1, cancel);
    return ++last;
  };
  const clear = (id: unknown): void => {
    pending.get(id as number)?.();
    pending.delete(id as number);
  };
  type Callback = (...args: unknown[]) => void;
  const globals = {
    setTimeout: (callback: Callback, delay = 0, ...args: unknown[]) => {
      const id = last + 1;
      const handle = setTimeout(() => {
        pending.delete(id);
        callback(...args);
      }, delay);
      return schedule(() => clearTimeout(handle));
    },
    setInterval: (callback: Callback, delay = 0, ...args: unknown[]) => {
      const handle = setInterval(() => callback(...args), delay);
      return schedule(() => clearInterval(handle));
    },
    setImmediate: (callback: Callback, ...args: unknown[]) => {
      const id = last + 1;
      const handle = setImmediate(() => {
        pending.delete(id);
        callback(...args);
      });
      return schedule(() => clearImmediate(handle));
    },
    requestAnimationFrame: (callback: (time: number) => void) => globals.setTimeout(() => callback(performance.now()), 16),
    clearTimeout: clear,
    clearInterval: clear,
    clearImmediate: clear,
    cancelAnimationFrame: clear,
  };
  return {
    globals,
    /** Cancels what is pending; whatever the app schedules afterwards never runs. */
    dispose() {
      disposed = true;
      for (const id of [...pending.keys()]) clear(id);
    },
  };
}

/**
 * React Native's WebSocket has the browser's API only (addEventListener, on* handlers, send,
 * close): this one too, over `ws`, whose Node-style `on()` stays hidden.
 */
function reactNativeWebSocket(sockets: Set<WsWebSocket>, trust: string | undefined) {
  return class WebSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly #socket: WsWebSocket;

    constructor(url: string, protocols?: string | string[]) {
      this.#socket = new WsWebSocket(url, protocols, trust === undefined ? {} : { ca: trust });
      sockets.add(this.#socket);
      this.#socket.addEventListener("close", () => sockets.delete(this.#socket));
    }

    get url(): string {
      return this.#socket.url;
    }
    get readyState(): number {
      return this.#socket.readyState;
    }
    get protocol(): string {
      return this.#socket.protocol;
    }
    get bufferedAmount(): number {
      return this.#socket.bufferedAmount;
    }
    send(data: string): void {
      this.#socket.send(data);
    }
    close(code?: number, reason?: string): void {
      this.#socket.close(code, reason);
    }
    addEventListener(type: "open" | "message" | "error" | "close", listener: (event: unknown) => void, options?: { once?: boolean }): void {
      this.#socket.addEventListener(type, listener, options);
    }
    removeEventListener(type: "open" | "message" | "error" | "close", listener: (event: unknown) => void): void {
      this.#socket.removeEventListener(type, listener);
    }
    set onopen(listener: ((event: unknown) => void) | null) {
      this.#socket.onopen = listener;
    }
    set onmessage(listener: ((event: unknown) => void) | null) {
      this.#socket.onmessage = listener;
    }
    set onerror(listener: ((event: unknown) => void) | null) {
      this.#socket.onerror = listener;
    }
    set onclose(listener: ((event: unknown) => void) | null) {
      this.#socket.onclose = listener;
    }
  };
}

/**
 * React Native's URL (Libraries/Blob/URL.js) is no WHATWG parser: it reads the scheme and the port
 * of any URL, but the host name only of http(s) URLs. So does this one, so that code that needs
 * more (a `ws:` URL's hostname) sees what it would see on a phone.
 */
class ReactNativeUrl {
  readonly href: string;

  constructor(url: string, base?: string) {
    if (base !== undefined) throw new TypeError("ReactNativeUrl: relative URLs are not needed by this bundle");
    this.href = String(url);
  }
  get protocol(): string {
    const scheme = /^([a-zA-Z][a-zA-Z\d+.-]*):/.exec(this.href);
    return scheme ? `${scheme[1]}:` : "";
  }
  get hostname(): string {
    return /^https?:\/\/(?:[^@]+@)?([^:/?#]+)/.exec(this.href)?.[1] ?? "";
  }
  get port(): string {
    return /:(\d+)(?=[/?#]|$)/.exec(this.href)?.[1] ?? "";
  }
  toString(): string {
    return this.href;
  }
}
