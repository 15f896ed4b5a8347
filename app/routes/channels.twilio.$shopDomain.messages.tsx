import type { ActionFunctionArgs } from "@remix-run/node";
import { handleTwilioMessage } from "../channels/twilio/webhook.server";

export const action = ({ request, params }: ActionFunctionArgs) => handleTwilioMessage(request, params.shopDomain!);
