import { Badge, BlockStack, Box, Card, InlineGrid, InlineStack, Link, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { en } from "../../admin/strings/en";
import type { DailyFigures } from "../../conversations/daily-figures.server";

export type StepState = "done" | "todo" | "attention" | "unknown";

const STEP_BADGES: Record<StepState, ReactNode> = {
  done: <Badge tone="success">{en.home.badges.done}</Badge>,
  todo: <Badge tone="attention">{en.home.badges.todo}</Badge>,
  attention: <Badge tone="critical">{en.home.badges.attention}</Badge>,
  unknown: <Badge>{en.home.badges.unknown}</Badge>,
};

export function Step({ state, title, children }: { state: StepState; title: string; children: ReactNode }) {
  return (
    <Box padding="400" borderWidth="025" borderColor="border" borderRadius="200">
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">
            {title}
          </Text>
          {STEP_BADGES[state]}
        </InlineStack>
        {children}
      </BlockStack>
    </Box>
  );
}

/** Today's key figures, each with its label, readable at any width (two columns on a phone). */
export function TodayCard({ today }: { today: DailyFigures }) {
  const t = en.home;
  const figures: Array<[string, number]> = [
    [t.todayFigures.conversations, today.conversations],
    [t.todayFigures.resolved, today.resolvedByAgent],
    [t.todayFigures.escalated, today.escalated],
    [t.todayFigures.recommendations, today.recommendations],
  ];
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t.today}
        </Text>
        <InlineGrid columns={2} gap="300">
          {figures.map(([label, value]) => (
            <BlockStack key={label} gap="050">
              <Text as="p" variant="headingLg">
                {value}
              </Text>
              <Text as="p" tone="subdued" variant="bodySm">
                {label}
              </Text>
            </BlockStack>
          ))}
        </InlineGrid>
        <Link url="/app/guidance">{t.guidanceLink}</Link>
      </BlockStack>
    </Card>
  );
}
