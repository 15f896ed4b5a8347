import { createServer, request as httpRequest, Agent, type IncomingMessage, type ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

export interface RoundRobinProxy {
  url: string;
  /** Adds an upstream; it gets traffic once its /readyz answers 200. */
  add(upstreamUrl: string): void;
  /** Answers the proxy gave itself: 502 when an upstream dropped a request it had been sent. */
  stats: { forwarded: number; retriedElsewhere: number; badGateway: Array<{ at: number; upstream: string }> };
  close(): Promise<void>;
}

interface Upstream {
  url: URL;
  agent: Agent;
  ready: boolean;
}

/**
 * A local load balancer as one would sit in front of the instances: round robin over the upstreams whose /readyz
 * answered 200 at the last check (every `checkEveryMs`), a request that could not even connect is tried on the next
 * upstream (nothing reached the app, so retrying a POST is safe), and one an upstream dropped after receiving it
 * is answered 502, as a real balancer does.
 */
export async function startRoundRobinProxy(options: { port: number; checkEveryMs?: number }): Promise<RoundRobinProxy> {
  const upstreams: Upstream[] = [];
  const stats: RoundRobinProxy["stats"] = { forwarded: 0, retriedElsewhere: 0, badGateway: [] };
  let next = 0;
  let checking = true;

  const healthChecks = (async () => {
    while (checking) {
      await Promise.all(
        upstreams.map(async (upstream) => {
          try {
            const response = await fetch(new URL("/readyz", upstream.url), { signal: AbortSignal.timeout(1000) });
            await response.arrayBuffer();
            upstream.ready = response.ok;
          } catch {
            upstream.ready = false;
          }
        }),
      );
      await sleep(options.checkEveryMs ?? 500);
    }
  })();

  function pick(excluded: Set<Upstream>): Upstream | undefined {
    for (let tried = 0; tried < upstreams.length; tried++) {
      const upstream = upstreams[next++ % upstreams.length]!;
      if (upstream.ready && !excluded.has(upstream)) return upstream;
    }
    return undefined;
  }

  async function forward(incoming: IncomingMessage, outgoing: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const tried = new Set<Upstream>();
    for (;;) {
      const upstream = pick(tried);
      if (!upstream) {
        outgoing.writeHead(503, { "Content-Type": "text/plain" }).end("No upstream ready");
        return;
      }
      tried.add(upstream);
      const outcome = await new Promise<"done" | "not connected" | "dropped">((resolve) => {
        let connected = false;
        const proxied = httpRequest(
          { host: upstream.url.hostname, port: upstream.url.port, method: incoming.method, path: incoming.url, headers: incoming.headers, agent: upstream.agent },
          (answer) => {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
            answer.once("end", () => resolve("done"));
            answer.once("error", () => resolve("dropped"));
          },
        );
        proxied.once("socket", (socket) => {
          if (!socket.connecting) connected = true;
          else socket.once("connect", () => (connected = true));
        });
        proxied.once("error", () => resolve(connected ? "dropped" : "not connected"));
        proxied.end(body);
      });
      if (outcome === "done") {
        stats.forwarded++;
        return;
      }
      if (outcome === "not connected") {
        stats.retriedElsewhere++;
        upstream.ready = false;
        continue;
      }
      stats.badGateway.push({ at: Date.now(), upstream: upstream.url.toString() });
      if (!outgoing.headersSent) outgoing.writeHead(502, { "Content-Type": "text/plain" }).end("Upstream dropped the request");
      else outgoing.destroy();
      return;
    }
  }

  const server = createServer((incoming, outgoing) => void forward(incoming, outgoing));
  await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${options.port}`,
    stats,
    add(upstreamUrl) {
      upstreams.push({ url: new URL(upstreamUrl), agent: new Agent({ keepAlive: true, maxSockets: 64 }), ready: false });
    },
    async close() {
      checking = false;
      await healthChecks;
      for (const upstream of upstreams) upstream.agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
