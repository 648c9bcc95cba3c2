import type { ServerModule } from "../../module.js";
import { tigaseAwayModule } from "./away.js";
import { tigaseEncryptModule } from "./encrypt.js";
import { tigaseGroupchatModule } from "./groupchat.js";
import { tigaseIgnoreUnknownModule } from "./ignore-unknown.js";
import { tigaseJingleModule } from "./jingle.js";
import { tigaseMutedModule } from "./muted.js";
import { tigasePriorityModule } from "./priority.js";
import { tigaseSummaryModule } from "./summary.js";

/** tigase-server's push extensions (`tigase.xmpp.impl.push`), each a module of its own. */
export const TIGASE_MODULES = {
  "tigase-summary": tigaseSummaryModule,
  "tigase-encrypt": tigaseEncryptModule,
  "tigase-ignore-unknown": tigaseIgnoreUnknownModule,
  "tigase-muted": tigaseMutedModule,
  "tigase-groupchat": tigaseGroupchatModule,
  "tigase-away": tigaseAwayModule,
  "tigase-priority": tigasePriorityModule,
  "tigase-jingle": tigaseJingleModule,
} satisfies Record<string, () => ServerModule>;

export type { TigasePayload } from "./payload.js";
