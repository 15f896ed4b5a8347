import type { ConversationStatus } from "@prisma/client";
import { Badge } from "@shopify/polaris";
import { en } from "../admin/strings/en";

const TONES: Record<ConversationStatus, "info" | "attention" | "success" | undefined> = {
  open: "info",
  escalated: "attention",
  resolved: "success",
  closed: undefined,
};

export function ConversationStatusBadge({ status }: { status: ConversationStatus }) {
  return <Badge tone={TONES[status]}>{en.conversations.tabs[status]}</Badge>;
}
