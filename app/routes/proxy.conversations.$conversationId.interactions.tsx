import type { ActionFunctionArgs } from "@remix-run/node";
import { handleCardInteraction, storefrontJson } from "../storefront/chat-api.server";

export const action = ({ request, params }: ActionFunctionArgs) =>
  storefrontJson(() => handleCardInteraction(request, params.conversationId!));
