import { Badge } from "@shopify/polaris";

const TONES = {
  open: { tone: "info", label: "Open" },
  escalated: { tone: "attention", label: "Waiting for a person" },
  resolved: { tone: "success", label: "Resolved" },
  closed: { tone: undefined, label: "Closed" },
} as const;

export function StatusBadge({ status }: { status: keyof typeof TONES }) {
  const { tone, label } = TONES[status];
  return <Badge tone={tone}>{label}</Badge>;
}
