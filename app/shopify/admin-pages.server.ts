import { unauthenticated } from "../shopify.server";

/** The one error type at the Admin API boundary: Shopify answered, but not with data. */
export class AdminApiError extends Error {
  override name = "AdminApiError";
}

interface Connection<TNode> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: TNode[];
}

/**
 * Walks a connection of the Admin GraphQL API (the query takes `$first` and `$after`) with the shop's offline
 * session, handing each node to `handle`; returns how many it handled.
 */
export async function forEachAdminNode<TNode>(
  shopDomain: string,
  query: string,
  connection: string,
  variables: Record<string, unknown>,
  handle: (node: TNode) => Promise<void>,
): Promise<number> {
  const { admin } = await unauthenticated.admin(shopDomain);
  let after: string | null = null;
  let count = 0;
  do {
    const response = await admin.graphql(query, { variables: { ...variables, first: 100, after } });
    const body = (await response.json()) as { data?: Record<string, Connection<TNode>>; errors?: unknown };
    const page = body.data?.[connection];
    if (!page) throw new AdminApiError(`Shopify refused the ${connection} query: ${JSON.stringify(body.errors)}`);
    for (const node of page.nodes) {
      await handle(node);
      count++;
    }
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return count;
}
