/** The part of a Remix server build's route manifest this needs. */
export interface ManifestRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
}

interface Pattern {
  pattern: string;
  segments: string[];
}

/**
 * The route pattern a URL path is served by (`/proxy/conversations/:conversationId/messages`), for metric labels:
 * raw paths would make a series per conversation. Ranked as Remix ranks them: more segments first, then static
 * segments before parameters before a splat. Paths no route serves are "unmatched".
 */
export function routePatternMatcher(routes: Record<string, ManifestRoute | undefined>): (pathname: string) => string {
  const fullPath = (route: ManifestRoute): string[] => {
    const parent = route.parentId ? routes[route.parentId] : undefined;
    return [...(parent ? fullPath(parent) : []), ...(route.path ? route.path.split("/").filter(Boolean) : [])];
  };
  const weight = (segment: string) => (segment === "*" ? 0 : segment.startsWith(":") ? 1 : 2);
  const patterns: Pattern[] = Object.values(routes)
    .filter((route): route is ManifestRoute => Boolean(route && (route.path !== undefined || route.index)))
    .map((route) => {
      const segments = fullPath(route);
      return { pattern: `/${segments.join("/")}`, segments };
    })
    .sort((a, b) => b.segments.length - a.segments.length || b.segments.map(weight).join("").localeCompare(a.segments.map(weight).join("")));

  return (pathname) => {
    const parts = pathname.split("/").filter(Boolean);
    for (const { pattern, segments } of patterns) {
      if (segments.at(-1) === "*" ? parts.length >= segments.length - 1 : parts.length === segments.length) {
        const matches = segments.every((segment, index) => segment === "*" || segment.startsWith(":") || decodeURIComponentSafe(parts[index]) === segment);
        if (matches) return pattern;
      }
    }
    return "unmatched";
  };
}

function decodeURIComponentSafe(part: string | undefined): string | undefined {
  if (part === undefined) return undefined;
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
