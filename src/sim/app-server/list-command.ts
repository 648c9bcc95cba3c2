import type { DataForm, FormField, Jid } from "../../protocol/index.js";
import type { AppServerContext } from "./context.js";

const COLUMNS: FormField[] = [
  { var: "node", label: "Node", values: [] },
  { var: "device-id", label: "Device ID", values: [] },
  { var: "device-name", label: "Device name", values: [] },
  { var: "provider", label: "Provider", values: [] },
];

/** The requester's own registrations, one item each (A5). */
export function listRegistrations(context: AppServerContext, requester: Jid): DataForm {
  const registrations = context.registrations.list(requester.bare().toString());
  return {
    type: "result",
    title: "Push registrations",
    fields: [],
    reported: COLUMNS,
    items: registrations.map((registration) => [
      { var: "node", values: [registration.node] },
      { var: "device-id", values: [registration.deviceId] },
      { var: "device-name", values: registration.deviceName === undefined ? [] : [registration.deviceName] },
      { var: "provider", values: [registration.provider] },
    ]),
  };
}
