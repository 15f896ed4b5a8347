import type { ActionFunctionArgs } from "@remix-run/node";
import { handleInboundEmail } from "../channels/email/inbound.server";

export const action = ({ request, params }: ActionFunctionArgs) => handleInboundEmail(request, params.shopDomain!);
