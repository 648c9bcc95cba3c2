import { type DataForm, getValue, getValues, type Jid } from "../../protocol/index.js";
import type { AppServerContext } from "./context.js";
import { badPayload } from "./iq-errors.js";
import type { AppRegistration } from "./types.js";

/**
 * Removes the requester's registrations named by `nodes`, else those of `device-id`, else those
 * of the requesting resource (royneary: nodes win). Others' registrations are never touched (A5).
 * With a separate push service their nodes there are deleted too.
 */
export async function unregisterDevices(context: AppServerContext, requester: Jid, form: DataForm | undefined): Promise<DataForm> {
  if (form && form.type !== "submit") throw badPayload(`unregister form must be of type submit, got ${form.type}`);
  const owner = requester.bare().toString();
  const own = context.registrations.list(owner);
  const nodes = form ? getValues(form, "nodes").filter((node) => node !== "") : [];

  const matches = nodes.length > 0 ? byNodes(nodes) : byDevice(deviceIdOf(requester, form));
  const doomed = own.filter(matches);

  for (const registration of doomed) {
    // The node at a separate push service goes first: a registration stays while its node does.
    await context.pushService?.delete(registration.node);
    context.registrations.delete(registration.node);
    context.notify("unregistered", registration);
  }
  return {
    type: "result",
    fields: [{ var: "nodes", type: "list-multi", label: "Removed nodes", values: doomed.map((registration) => registration.node) }],
  };
}

function deviceIdOf(requester: Jid, form: DataForm | undefined): string {
  const deviceId = (form ? getValue(form, "device-id") : undefined) ?? (requester.resource || undefined);
  if (deviceId === undefined) throw badPayload("no nodes or device-id given and no resource to default it to");
  return deviceId;
}

function byNodes(nodes: string[]): (registration: AppRegistration) => boolean {
  return (registration) => nodes.includes(registration.node);
}

function byDevice(deviceId: string): (registration: AppRegistration) => boolean {
  return (registration) => registration.deviceId === deviceId;
}
