export const USAGE = `Usage: xmpp-push-sim [options]

Runs the reference XMPP server (XEP-0357 push) and the app server simulator as one process,
so an app written in any language can test its push path. stdout carries one JSON object per
line: first {"event":"listening",…} with the addresses, then one line per hop. Human messages
go to stderr. SIGINT or SIGTERM stops it ({"event":"stopped",…}, exit 0).

Options:
  --domain <domain>      the XMPP domain (default example.test)
  --user <name:password> an account; repeatable (default alice:pw and bob:pw)
  --host <address>       where the listeners bind (default 127.0.0.1)
  --tcp-port <port>      RFC 6120 over plain TCP, SCRAM-SHA-1 (default 5222; 0 = a free port)
  --ws-port <port>       RFC 7395 WebSocket at /xmpp-websocket (default 5280; 0 = a free port)
  --no-tcp               no TCP listener
  --no-ws                no WebSocket listener
  --preset <name>        behave like reference (default), prosody, ejabberd or mongooseim
  --app-server <jid>     the app server simulator's JID (default push.<domain>)
  --no-app-server        run the XMPP server alone
  --with-body            put the message body and sender in the push summary
  --auth-timeout <ms>    close connections not authenticated by then (default 30000)
  --max-stanza-size <n>  the most characters one stanza may take (default 262144)
  -h, --help             print this help

Exit codes: 0 stopped cleanly, 1 could not start or stop, 2 bad arguments.
`;
