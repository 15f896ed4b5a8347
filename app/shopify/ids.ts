/** Webhooks carry numeric ids, the GraphQL Admin API global ids (gid://shopify/Product/123): mirrors key on the number. */
export function numericId(globalId: string): string {
  return globalId.split("/").at(-1)!;
}
