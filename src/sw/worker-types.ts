/**
 * The parts of the service worker platform this entry uses. They are declared here because the
 * project compiles against lib DOM, not WebWorker; the WebWorker lib's `PushEvent`,
 * `NotificationEvent`, `Clients` and `WindowClient` satisfy them, so apps pass the real ones.
 */
export interface ExtendableEventLike {
  waitUntil(promise: Promise<unknown>): void;
}

export interface PushEventLike extends ExtendableEventLike {
  readonly data: { text(): string } | null;
}

export interface NotificationEventLike extends ExtendableEventLike {
  readonly notification: { readonly data: unknown; close(): void };
}

export interface WindowClientLike {
  readonly url: string;
  focus(): Promise<unknown>;
  postMessage(message: unknown): void;
}

/** lib DOM dropped `renotify`; browsers that know it replace a same-tag notification with a fresh alert. */
export interface ShowNotificationOptions extends NotificationOptions {
  renotify?: boolean;
}

export interface ServiceWorkerScopeLike {
  readonly registration: {
    readonly scope: string;
    showNotification(title: string, options?: ShowNotificationOptions): Promise<void>;
  };
  readonly clients: {
    matchAll(options: { type: "window"; includeUncontrolled: boolean }): Promise<readonly WindowClientLike[]>;
    openWindow(url: string): Promise<unknown>;
  };
}

/** `self` inside a service worker. */
export function serviceWorkerScope(): ServiceWorkerScopeLike {
  return globalThis as unknown as ServiceWorkerScopeLike;
}
