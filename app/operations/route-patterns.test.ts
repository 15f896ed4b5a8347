import { describe, expect, it } from "vitest";
import { routePatternMatcher } from "./route-patterns";

// The shape of the Remix build's manifest for a few of the app's own routes.
const routes = {
  root: { id: "root", path: "" },
  "routes/_index": { id: "routes/_index", parentId: "root", index: true },
  "routes/app": { id: "routes/app", parentId: "root", path: "app" },
  "routes/app._index": { id: "routes/app._index", parentId: "routes/app", index: true },
  "routes/app.conversations.$conversationId": { id: "routes/app.conversations.$conversationId", parentId: "routes/app", path: "conversations/:conversationId" },
  "routes/app.conversations._index": { id: "routes/app.conversations._index", parentId: "routes/app", path: "conversations" },
  "routes/proxy.conversations": { id: "routes/proxy.conversations", parentId: "root", path: "proxy/conversations" },
  "routes/proxy.conversations.$conversationId": { id: "routes/proxy.conversations.$conversationId", parentId: "root", path: "proxy/conversations/:conversationId" },
  "routes/proxy.conversations.$conversationId.messages": {
    id: "routes/proxy.conversations.$conversationId.messages",
    parentId: "root",
    path: "proxy/conversations/:conversationId/messages",
  },
  "routes/auth.$": { id: "routes/auth.$", parentId: "root", path: "auth/*" },
};

describe("route patterns for metric labels", () => {
  const routeOf = routePatternMatcher(routes);

  it("names the route a path is served by, with its parameters as patterns", () => {
    expect(routeOf("/proxy/conversations")).toBe("/proxy/conversations");
    expect(routeOf("/proxy/conversations/3f2a9c")).toBe("/proxy/conversations/:conversationId");
    expect(routeOf("/proxy/conversations/3f2a9c/messages")).toBe("/proxy/conversations/:conversationId/messages");
    expect(routeOf("/app/conversations/3f2a9c")).toBe("/app/conversations/:conversationId");
    expect(routeOf("/app/conversations")).toBe("/app/conversations");
    expect(routeOf("/app")).toBe("/app");
    expect(routeOf("/")).toBe("/");
  });

  it("prefers a static segment to a parameter, and a parameter to a splat", () => {
    expect(routeOf("/auth/login")).toBe("/auth/*");
    expect(routeOf("/auth/session-token/extra")).toBe("/auth/*");
  });

  it("labels paths no route serves as unmatched, so scanners cannot create a series per URL", () => {
    expect(routeOf("/wp-login.php")).toBe("unmatched");
    expect(routeOf("/proxy/conversations/a/b/c")).toBe("unmatched");
  });
});
