import type { ActionFunctionArgs } from "@remix-run/node";
import { handleEscalation, storefrontJson } from "../storefront/chat-api.server";

export const action = ({ request, params }: ActionFunctionArgs) =>
  storefrontJson(() => handleEscalation(request, params.conversationId!));
