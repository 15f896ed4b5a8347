import type { ActionFunctionArgs } from "@remix-run/node";
import { handleShopperMessage, storefrontJson } from "../storefront/chat-api.server";

export const action = ({ request, params }: ActionFunctionArgs) =>
  storefrontJson(() => handleShopperMessage(request, params.conversationId!));
