import { ENV, type RealServerInfo, type RealServerName } from "../shared.js";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the interop suite with \`npx tsx test/interop/run.ts\`, which starts the servers`);
  return value;
}

export function realServer(name: RealServerName): RealServerInfo {
  const servers = JSON.parse(required(ENV.servers)) as RealServerInfo[];
  const server = servers.find((candidate) => candidate.name === name);
  if (!server) throw new Error(`the runner started no ${name}`);
  return server;
}

export function controlUrl(): string {
  return required(ENV.control);
}

export function notesFile(): string {
  return required(ENV.notes);
}

export function fixturesDir(): string {
  return required(ENV.fixtures);
}

export function probesFile(): string {
  return required(ENV.probes);
}
