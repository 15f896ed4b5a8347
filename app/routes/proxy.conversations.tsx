import type { ActionFunctionArgs } from "@remix-run/node";
import { handleStartConversation, storefrontJson } from "../storefront/chat-api.server";

export const action = ({ request }: ActionFunctionArgs) => storefrontJson(() => handleStartConversation(request));
