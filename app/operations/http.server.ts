import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { logger } from "../logger.server";
import { metrics } from "./metrics.server";
import type { Readiness } from "./readiness.server";
import { requestIdFrom, runInRequestContext } from "./request-context.server";

/**
 * Every request gets an id (the caller's `X-Request-Id` if it sent a usable one), returned in `X-Request-Id` and
 * carried by every log line written while it is served; when it finishes, its duration is recorded under its route
 * pattern (the handler's `response.locals.route`, the express route, or `routeOf`: the Remix route serving the path) and logged at info without the URL's query, which holds
 * the app proxy's signature and the shopper's customer id.
 */
export function observeRequests(routeOf: (pathname: string) => string): RequestHandler {
  return (request, response, next) => {
    const context = { reqId: requestIdFrom(request.get("x-request-id")) };
    response.setHeader("X-Request-Id", context.reqId);
    const started = process.hrtime.bigint();
    response.once("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const handledBy = (response.locals.route as unknown) ?? (request.route as { path?: unknown } | undefined)?.path;
      const route = typeof handledBy === "string" && !handledBy.includes("*") ? handledBy : routeOf(request.path);
      metrics().httpRequestDuration.observe({ method: request.method, route, status: String(response.statusCode) }, seconds);
      runInRequestContext(context, () =>
        logger().info({ source: "http", method: request.method, route, status: response.statusCode, durationMs: Math.round(seconds * 1000) }, "request"),
      );
    });
    runInRequestContext(context, next);
  };
}

/** `/healthz`: the process answers. Nothing else is checked, so a restart is never triggered by a database outage. */
export const liveness: RequestHandler = (_request, response) => {
  response.set("Cache-Control", "no-store").json({ status: "alive" });
};

/** `/readyz`: 200 when this instance should get traffic, else 503 with which check failed. */
export function readinessEndpoint(readiness: Readiness): RequestHandler {
  return (_request, response, next) => {
    readiness.report().then((report) => {
      response.status(report.ready ? 200 : 503).set("Cache-Control", "no-store").json(report);
    }, next);
  };
}

/**
 * `/metrics` in Prometheus' text format, for a scraper holding METRICS_TOKEN as a bearer token. Without a token
 * configured the endpoint does not exist (404); a missing or wrong token gets 401.
 */
export function metricsEndpoint(token: string | undefined): RequestHandler {
  return (request, response, next) => {
    if (!token) {
      response.status(404).type("text/plain").send("Not Found");
      return;
    }
    const presented = /^Bearer (.+)$/.exec(request.get("authorization") ?? "")?.[1];
    if (!presented || !sameSecret(presented, token)) {
      response.status(401).set("WWW-Authenticate", 'Bearer realm="metrics"').type("text/plain").send("Unauthorized");
      return;
    }
    const { registry } = metrics();
    registry.metrics().then((text) => {
      response.set("Content-Type", registry.contentType).set("Cache-Control", "no-store").send(text);
    }, next);
  };
}

/** Compared as digests, so neither the length nor the first differing byte shows in the response time. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
