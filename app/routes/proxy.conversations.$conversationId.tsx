import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleConversationPoll, storefrontJson } from "../storefront/chat-api.server";

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  storefrontJson(() => handleConversationPoll(request, params.conversationId!));
