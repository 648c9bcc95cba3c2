/** royneary mod_push's command node names (its README; docs/conformance.md A2). */
export const LIST_COMMAND = "list-push-registrations";
export const UNREGISTER_COMMAND = "unregister-push";
const REGISTER_PREFIX = "register-push-";

export interface CommandDescription {
  node: string;
  name: string;
}

export function registerCommandNode(provider: string): string {
  return REGISTER_PREFIX + provider;
}

/** The provider a `register-push-<provider>` node names, if it is one of `providers`. */
export function providerOfCommand(node: string, providers: ReadonlyMap<string, unknown>): string | undefined {
  if (!node.startsWith(REGISTER_PREFIX)) return undefined;
  const provider = node.slice(REGISTER_PREFIX.length);
  return providers.has(provider) ? provider : undefined;
}

/** Every command the app server offers, in the order disco#items lists them (A2). */
export function commandList(providers: Iterable<string>): CommandDescription[] {
  return [
    ...[...providers].map((provider) => ({ node: registerCommandNode(provider), name: `Register a ${provider} device` })),
    { node: LIST_COMMAND, name: "List push registrations" },
    { node: UNREGISTER_COMMAND, name: "Unregister push" },
  ];
}
