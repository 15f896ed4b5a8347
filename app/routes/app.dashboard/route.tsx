import type { Channel } from "@prisma/client";
import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { BlockStack, Card, DataTable, EmptyState, InlineGrid, Layout, Page, SkeletonBodyText, Text } from "@shopify/polaris";
import { requireAdminShop } from "../../admin/require-admin-shop.server";
import { en } from "../../admin/strings/en";
import { RouteErrorBanner } from "../../components/RouteErrorBanner";
import { ClientOnly } from "../../components/ClientOnly";
import { formatDuration, formatMoney, formatPercent } from "../../components/format";
import { StatTile } from "../../components/StatTile";
import { ConversationsPerDayChart, SkillsChart } from "./Charts.client";
import { loadDashboard } from "./dashboard.server";
import { RangeControls } from "./RangeControls";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: vizStyles }];

export const meta: MetaFunction = () => [{ title: en.dashboard.title }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdminShop(request);
  const dashboard = await loadDashboard(shop, new URL(request.url));
  // A refused custom range still shows the page (the default range's figures, the fields' errors), as a 400.
  return data(dashboard, { status: dashboard.range.ok ? 200 : 400 });
};

export default function Dashboard() {
  const { figures, range, timeZone } = useLoaderData<typeof loader>();
  const text = en.dashboard;
  const navigation = useNavigation();
  const location = useLocation();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/dashboard";
  const { sales, cards } = figures;

  return (
    <Page title={text.title} subtitle={text.subtitle}>
      <BlockStack gap="400">
        <Card>
          <RangeControls
            // Every new address starts the controls from what it shows (a refused range keeps the dates as typed).
            key={location.search}
            preset={range.preset}
            days={range.days}
            channel={range.channel}
            timeZone={timeZone}
            refused={range.ok ? null : { typed: range.typed, fieldErrors: range.fieldErrors }}
            loading={loading}
          />
        </Card>
        {figures.conversations === 0 ? (
          <Card>
            <EmptyState heading={text.emptyTitle} image="">
              <p>{text.emptyBody}</p>
            </EmptyState>
          </Card>
        ) : (
          <div aria-busy={loading} style={{ opacity: loading ? 0.6 : 1 }}>
            <BlockStack gap="400">
              <Card>
                <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
                  <StatTile label={text.conversations} value={figures.conversations} />
                  <StatTile label={text.resolvedByAgent} value={formatPercent(figures.resolvedByAgentRate)} detail={text.ofConversations(figures.resolvedByAgent, figures.conversations)} />
                  <StatTile label={text.escalationRate} value={formatPercent(figures.escalationRate)} detail={text.ofConversations(figures.escalated, figures.conversations)} />
                  <StatTile label={text.medianResolution} value={figures.medianResolutionSeconds === null ? en.common.none : formatDuration(figures.medianResolutionSeconds)} />
                  <StatTile
                    label={text.recommendationConversion}
                    value={formatPercent(figures.recommendations.conversionRate)}
                    detail={text.recommendationsPurchased(figures.recommendations.purchased, figures.recommendations.total)}
                  />
                  <StatTile label={text.attributedRevenue} value={formatMoney(sales.attributedRevenue, sales.currency)} detail={text.attributedOrders(sales.attributedOrders)} />
                  <StatTile label={text.averageOrderValue} value={sales.averageOrderValue === null ? en.common.none : formatMoney(sales.averageOrderValue, sales.currency)} />
                  <StatTile label={text.addToCarts} value={cards.addToCarts} detail={text.conversationsWithAddToCart(cards.conversationsWithAddToCart)} />
                  <StatTile label={text.productClicks} value={cards.productClicks} />
                </InlineGrid>
              </Card>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingSm">
                    {text.perDayTitle}
                  </Text>
                  <ClientOnly fallback={<SkeletonBodyText lines={8} />}>{() => <ConversationsPerDayChart perDay={figures.perDay} />}</ClientOnly>
                  <PerDayTable perDay={figures.perDay} />
                </BlockStack>
              </Card>
              <Layout>
                <Layout.Section>
                  <Card>
                    <BlockStack gap="300">
                      <Text as="h2" variant="headingSm">
                        {text.skillsTitle}
                      </Text>
                      <ClientOnly fallback={<SkeletonBodyText lines={6} />}>{() => <SkillsChart skills={figures.skills} />}</ClientOnly>
                      <DataTable
                        columnContentTypes={["text", "numeric", "numeric"]}
                        headings={[text.skill, text.volume, text.resolutionRate]}
                        rows={figures.skills.map((row) => [row.skill ?? text.noSkill, row.conversations, formatPercent(row.resolutionRate)])}
                      />
                    </BlockStack>
                  </Card>
                </Layout.Section>
                <Layout.Section variant="oneThird">
                  <BlockStack gap="400">
                    <RankedList title={text.reasonsTitle} heading={text.reason} rows={figures.topEscalationReasons.map((row) => [row.reason, row.conversations])} />
                    <RankedList title={text.tagsTitle} heading={text.tag} rows={figures.topTags.map((row) => [row.tag, row.conversations])} />
                  </BlockStack>
                </Layout.Section>
              </Layout>
            </BlockStack>
          </div>
        )}
      </BlockStack>
    </Page>
  );
}

function PerDayTable({ perDay }: { perDay: Array<{ day: string; channel: Channel; conversations: number }> }) {
  const text = en;
  const channels = [...new Set(perDay.map((row) => row.channel))];
  const days = [...new Set(perDay.map((row) => row.day))];
  const count = new Map(perDay.map((row) => [`${row.day}|${row.channel}`, row.conversations]));
  return (
    <details>
      <summary>{text.dashboard.showAsTable}</summary>
      <DataTable
        columnContentTypes={["text", ...channels.map(() => "numeric" as const)]}
        headings={[text.dashboard.day, ...channels.map((channel) => text.channels[channel])]}
        rows={days.map((day) => [day, ...channels.map((channel) => count.get(`${day}|${channel}`) ?? 0)])}
      />
    </details>
  );
}

function RankedList({ title, heading, rows }: { title: string; heading: string; rows: Array<[string, number]> }) {
  const text = en.dashboard;
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm">
          {title}
        </Text>
        {rows.length === 0 ? (
          <Text as="p" tone="subdued">
            {text.nothing}
          </Text>
        ) : (
          <DataTable columnContentTypes={["text", "numeric"]} headings={[heading, text.volume]} rows={rows} />
        )}
      </BlockStack>
    </Card>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBanner title={en.dashboard.title} />;
}
