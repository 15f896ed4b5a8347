import type { ActionFunctionArgs } from "@remix-run/node";
import { handleTwilioStatus } from "../channels/twilio/webhook.server";

export const action = ({ request, params }: ActionFunctionArgs) => handleTwilioStatus(request, params.shopDomain!);
