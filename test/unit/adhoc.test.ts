import { describe, expect, it } from "vitest";
import {
  buildCommandRequest,
  buildCommandResponse,
  buildErrorReply,
  buildIq,
  buildStanzaError,
  type CommandAction,
  commandErrorCondition,
  type CommandResponse,
  getValue,
  NS,
  parseCommandRequest,
  parseCommandResponse,
  parseStanzaError,
} from "../../src/protocol/index.js";
import { parseXml, roundTrip } from "../helpers/parse-xml.js";
import { expectPushError } from "../helpers/push-error.js";

const REGISTER_NODE = "register-push-fcm";

describe("XEP-0050 command requests", () => {
  it("C8: a single-stage register request is <command node action='execute'> with a submit form", () => {
    const command = roundTrip(
      buildCommandRequest({
        node: REGISTER_NODE,
        form: { type: "submit", fields: [{ var: "token", values: ["t0k3n"] }, { var: "device-id", values: ["phone"] }] },
      }),
    );
    expect(command.is("command", NS.commands)).toBe(true);
    expect(command.attrs).toEqual({ xmlns: NS.commands, node: REGISTER_NODE, action: "execute" });
    const x = command.getChild("x", NS.dataForms);
    expect(x?.attrs.type).toBe("submit");

    expect(parseCommandRequest(command)).toEqual({
      node: REGISTER_NODE,
      action: "execute",
      form: { type: "submit", fields: [{ var: "token", values: ["t0k3n"] }, { var: "device-id", values: ["phone"] }] },
    });
  });

  it("C8: the first request carries no sessionid and no form when none is given", () => {
    const command = roundTrip(buildCommandRequest({ node: "list-push-registrations" }));
    expect(command.attrs.sessionid).toBeUndefined();
    expect(command.getChildElements()).toHaveLength(0);
    expect(parseCommandRequest(command)).toStrictEqual({ node: "list-push-registrations", action: "execute" });
  });

  it("C9: a continuation carries the same sessionid, the action and the submitted form", () => {
    const request = {
      node: REGISTER_NODE,
      action: "complete" as const,
      sessionid: "sess-42",
      form: { type: "submit" as const, formType: "urn:example:reg", fields: [{ var: "token", values: ["abc"] }] },
    };
    const command = roundTrip(buildCommandRequest(request));
    expect(command.attrs.sessionid).toBe("sess-42");
    expect(command.attrs.action).toBe("complete");
    expect(parseCommandRequest(command)).toEqual(request);
  });

  it.each(["execute", "next", "prev", "complete", "cancel"] as const)("C9: action '%s' round-trips", (action) => {
    const parsed = parseCommandRequest(roundTrip(buildCommandRequest({ node: "n", action, sessionid: "s" })));
    expect(parsed).toEqual({ node: "n", action, sessionid: "s" });
  });

  it("a request without action reads as execute (XEP-0050 default)", () => {
    const parsed = parseCommandRequest(parseXml(`<command xmlns='http://jabber.org/protocol/commands' node='n'/>`));
    expect(parsed).toStrictEqual({ node: "n", action: "execute" });
  });

  it("an empty sessionid attribute reads as absent", () => {
    const parsed = parseCommandRequest(parseXml(`<command xmlns='http://jabber.org/protocol/commands' node='n' sessionid=''/>`));
    expect("sessionid" in parsed).toBe(false);
  });

  describe("malformed requests → PushError('bad-request')", () => {
    it("command without node", () => {
      expectPushError(() => parseCommandRequest(parseXml(`<command xmlns='http://jabber.org/protocol/commands' action='execute'/>`)), "bad-request");
    });

    it("command with an empty node", () => {
      // Parsed from the wire: buildCommandRequest itself refuses an empty node (see below).
      expectPushError(() => parseCommandRequest(parseXml(`<command xmlns='http://jabber.org/protocol/commands' node='' action='execute'/>`)), "bad-request");
    });

    it("unknown action, with the XEP-0050 <malformed-action/> specific condition", () => {
      const error = expectPushError(
        () => parseCommandRequest(parseXml(`<command xmlns='http://jabber.org/protocol/commands' node='n' action='run'/>`)),
        "bad-request",
      );
      expect(error.specific).toBe("malformed-action");
    });

    it("wrong namespace", () => {
      expectPushError(() => parseCommandRequest(parseXml(`<command xmlns='urn:example:commands' node='n'/>`)), "bad-request");
    });

    it("wrong element name", () => {
      expectPushError(() => parseCommandRequest(parseXml(`<execute xmlns='http://jabber.org/protocol/commands' node='n'/>`)), "bad-request");
    });

    it("a malformed form inside the command", () => {
      expectPushError(
        () =>
          parseCommandRequest(
            parseXml(`<command xmlns='http://jabber.org/protocol/commands' node='n'><x xmlns='jabber:x:data' type='answer'/></command>`),
          ),
        "bad-request",
      );
    });
  });
});

describe("XEP-0050 command responses", () => {
  it("C8: a completed response with a result form carrying jid, node and secret", () => {
    const response: CommandResponse = {
      node: REGISTER_NODE,
      status: "completed",
      sessionid: "s1",
      form: {
        type: "result",
        fields: [
          { var: "jid", values: ["push.example.net"] },
          { var: "node", values: ["a8f3k2"] },
          { var: "secret", values: ["c0ffee"] },
        ],
      },
      notes: [],
    };
    const command = roundTrip(buildCommandResponse(response));
    expect(command.attrs).toEqual({ xmlns: NS.commands, node: REGISTER_NODE, status: "completed", sessionid: "s1" });
    const parsed = parseCommandResponse(command);
    expect(parsed).toEqual(response);
    const form = parsed.form;
    expect(form?.type).toBe("result");
    expect(form && [getValue(form, "jid"), getValue(form, "node"), getValue(form, "secret")]).toEqual([
      "push.example.net",
      "a8f3k2",
      "c0ffee",
    ]);
  });

  it("C9: an executing response carries sessionid, <actions execute> with its children and a form to fill", () => {
    const response: CommandResponse = {
      node: REGISTER_NODE,
      status: "executing",
      sessionid: "sess-7",
      actions: { allowed: ["prev", "next", "complete"], default: "next" },
      form: {
        type: "form",
        title: "Register",
        fields: [{ var: "token", type: "text-single", required: true, values: [] }],
      },
      notes: [{ type: "info", text: "Step 1 of 2" }],
    };
    const command = roundTrip(buildCommandResponse(response));
    const actions = command.getChild("actions");
    expect(actions?.attrs).toEqual({ execute: "next" });
    expect(actions?.getChildElements().map((child) => child.name)).toEqual(["prev", "next", "complete"]);
    expect(parseCommandResponse(command)).toEqual(response);
  });

  it("C9: <actions> without execute attribute has no default", () => {
    const parsed = parseCommandResponse(
      parseXml(
        `<command xmlns='http://jabber.org/protocol/commands' node='n' sessionid='s' status='executing'>
           <actions><complete/></actions>
         </command>`,
      ),
    );
    expect(parsed.actions).toStrictEqual({ allowed: ["complete"] });
  });

  it("C9: <actions> keeps only prev/next/complete and ignores a default that is not one of them", () => {
    const parsed = parseCommandResponse(
      parseXml(
        `<command xmlns='http://jabber.org/protocol/commands' node='n' sessionid='s' status='executing'>
           <actions execute='cancel'><next/><cancel/><execute/><bogus/><complete/></actions>
         </command>`,
      ),
    );
    expect(parsed.actions).toStrictEqual({ allowed: ["next", "complete"] });
  });

  it("C9: status 'complete' (mod_push_appserver) is accepted as 'completed'", () => {
    const parsed = parseCommandResponse(
      parseXml(
        `<command xmlns='http://jabber.org/protocol/commands' node='register-push-fcm' sessionid='s' status='complete'>
           <x xmlns='jabber:x:data' type='result'>
             <field var='jid'><value>push.example.net</value></field>
             <field var='node'><value>n1</value></field>
           </x>
         </command>`,
      ),
    );
    expect(parsed.status).toBe("completed");
    expect(parsed.form && getValue(parsed.form, "node")).toBe("n1");
  });

  it.each(["executing", "completed", "canceled"] as const)("status '%s' round-trips", (status) => {
    const parsed = parseCommandResponse(roundTrip(buildCommandResponse({ node: "n", status, notes: [] })));
    expect(parsed).toStrictEqual({ node: "n", status, notes: [] });
  });

  it("p2: a completed command with a form of type 'form' (not 'result') still yields jid, node and secret", () => {
    const parsed = parseCommandResponse(
      parseXml(
        `<command xmlns='http://jabber.org/protocol/commands' node='register-push-fcm' status='completed' sessionid='x'>
           <x xmlns='jabber:x:data' type='form'>
             <field var='jid'><value>p2.siacs.eu</value></field>
             <field var='node'><value>abc</value></field>
             <field var='secret'><value>s</value></field>
           </x>
         </command>`,
      ),
    );
    expect(parsed.form?.type).toBe("form");
    expect(parsed.form && ["jid", "node", "secret"].map((name) => getValue(parsed.form!, name))).toEqual(["p2.siacs.eu", "abc", "s"]);
  });

  it("C10: a result form without jid or node is detectable (getValue → undefined)", () => {
    const parsed = parseCommandResponse(
      parseXml(
        `<command xmlns='http://jabber.org/protocol/commands' node='register-device' status='completed'>
           <x xmlns='jabber:x:data' type='result'>
             <field var='node'><value>tigase-node</value></field>
             <field var='jid'><value/></field>
           </x>
         </command>`,
      ),
    );
    const form = parsed.form;
    expect(form).toBeDefined();
    expect(getValue(form!, "jid")).toBeUndefined();
    expect(getValue(form!, "node")).toBe("tigase-node");
    expect(getValue(form!, "secret")).toBeUndefined();

    const withoutNode = parseCommandResponse(
      roundTrip(
        buildCommandResponse({
          node: "n",
          status: "completed",
          form: { type: "result", fields: [{ var: "jid", values: ["push.example.net"] }] },
          notes: [],
        }),
      ),
    );
    expect(getValue(withoutNode.form!, "node")).toBeUndefined();
  });

  it("C10: a completed response without any form has form undefined", () => {
    const parsed = parseCommandResponse(parseXml(`<command xmlns='http://jabber.org/protocol/commands' node='n' status='completed'/>`));
    expect(parsed.form).toBeUndefined();
  });

  it("notes keep type and text; unknown or missing type reads as info", () => {
    const parsed = parseCommandResponse(
      parseXml(
        `<command xmlns='http://jabber.org/protocol/commands' node='n' status='completed'>
           <note type='info'>Registered</note>
           <note type='warn'>Token expires soon</note>
           <note type='error'>Partly failed</note>
           <note type='fatal'>Odd</note>
           <note>No type</note>
         </command>`,
      ),
    );
    expect(parsed.notes).toEqual([
      { type: "info", text: "Registered" },
      { type: "warn", text: "Token expires soon" },
      { type: "error", text: "Partly failed" },
      { type: "info", text: "Odd" },
      { type: "info", text: "No type" },
    ]);
  });

  it("C11: note text and result values with XML specials and emoji survive", () => {
    const text = `It's <done> & "ok" ✅ 🎉 ñ`;
    const parsed = parseCommandResponse(
      roundTrip(
        buildCommandResponse({
          node: "n",
          status: "completed",
          form: { type: "result", fields: [{ var: "secret", values: [text] }] },
          notes: [{ type: "warn", text }],
        }),
      ),
    );
    expect(parsed.notes).toEqual([{ type: "warn", text }]);
    expect(getValue(parsed.form!, "secret")).toBe(text);
  });

  describe("malformed responses → PushError('bad-request')", () => {
    it("invalid command status", () => {
      expectPushError(
        () => parseCommandResponse(parseXml(`<command xmlns='http://jabber.org/protocol/commands' node='n' status='done'/>`)),
        "bad-request",
      );
    });

    it("missing status", () => {
      expectPushError(() => parseCommandResponse(parseXml(`<command xmlns='http://jabber.org/protocol/commands' node='n'/>`)), "bad-request");
    });

    it("status in the wrong case", () => {
      expectPushError(
        () => parseCommandResponse(parseXml(`<command xmlns='http://jabber.org/protocol/commands' node='n' status='Completed'/>`)),
        "bad-request",
      );
    });

    it("command response without node", () => {
      expectPushError(
        () => parseCommandResponse(parseXml(`<command xmlns='http://jabber.org/protocol/commands' status='completed'/>`)),
        "bad-request",
      );
    });

    it("wrong namespace", () => {
      expectPushError(() => parseCommandResponse(parseXml(`<command xmlns='jabber:client' node='n' status='completed'/>`)), "bad-request");
    });

    it("wrong element name", () => {
      expectPushError(
        () => parseCommandResponse(parseXml(`<query xmlns='http://jabber.org/protocol/commands' node='n' status='completed'/>`)),
        "bad-request",
      );
    });

    it("a result form with an invalid form type", () => {
      expectPushError(
        () =>
          parseCommandResponse(
            parseXml(
              `<command xmlns='http://jabber.org/protocol/commands' node='n' status='completed'><x xmlns='jabber:x:data' type='results'/></command>`,
            ),
          ),
        "bad-request",
      );
    });
  });
});

describe("XEP-0050 errors", () => {
  it.each([
    ["bad-payload", "bad-request"],
    ["bad-sessionid", "bad-request"],
    ["malformed-action", "bad-request"],
    ["bad-action", "bad-request"],
    ["session-expired", "not-allowed"],
  ] as const)("C5/A10: <%s/> with <%s/> reads back as condition + specific", (specific, condition) => {
    const request = buildIq(
      { type: "set", id: "c1", from: "bob@example.com/phone", to: "push.example.net" },
      buildCommandRequest({ node: "n" }),
    );
    const reply = roundTrip(buildErrorReply(request, buildStanzaError("modify", condition, { specific: commandErrorCondition(specific) })));
    const errorChild = reply.getChild("error");
    expect(errorChild?.getChild(specific, NS.commands)).toBeDefined();
    const error = parseStanzaError(reply);
    expect(error.condition).toBe(condition);
    expect(error.specific).toBe(specific);
    expect(error.type).toBe("modify");
  });

  it("buildCommandRequest with an empty node throws PushError('bad-request')", () => {
    expectPushError(() => buildCommandRequest({ node: "" }), "bad-request");
    expectPushError(() => buildCommandRequest({ node: "", action: "complete", sessionid: "s1" }), "bad-request");
  });

  it("buildCommandResponse with an empty node throws PushError('bad-request')", () => {
    expectPushError(() => buildCommandResponse({ node: "", status: "completed", notes: [] }), "bad-request");
  });

  it("commandErrorCondition names the element in the commands namespace", () => {
    expect(commandErrorCondition("bad-locale")).toEqual({ name: "bad-locale", xmlns: NS.commands });
  });

  it("actions given to buildCommandResponse are serialized in the given order", () => {
    const allowed: CommandAction[] = ["complete", "prev"];
    const command = roundTrip(buildCommandResponse({ node: "n", status: "executing", actions: { allowed }, notes: [] }));
    expect(command.getChild("actions")?.attrs).toEqual({});
    expect(parseCommandResponse(command).actions).toStrictEqual({ allowed: ["complete", "prev"] });
  });
});
