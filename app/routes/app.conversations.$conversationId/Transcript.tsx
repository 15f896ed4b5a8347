import type { MessageAuthor } from "@prisma/client";
import { Badge, BlockStack, Box, InlineStack, Link, Text, Thumbnail } from "@shopify/polaris";
import type { MessagePart } from "../../agent/types";
import { en } from "../../admin/strings/en";
import { formatAgo, formatMoney } from "../../components/format";

export interface TranscriptMessage {
  id: string;
  author: MessageAuthor;
  body: string;
  skill: string | null;
  intent: string | null;
  parts: MessagePart[];
  /** A staff reply held until the shopper answers the WhatsApp re-engagement template. */
  waitingForShopper: boolean;
  at: string;
}

const BACKGROUND = { shopper: "bg-surface-secondary", agent: "bg-surface-info", staff: "bg-surface-success", system: "bg-surface-warning" } as const;

/** The thread as the shopper saw it: each agent turn with the skill that answered and the cards it showed. */
export function Transcript({ messages, now }: { messages: TranscriptMessage[]; now: string }) {
  const text = en.conversation;
  return (
    <ol aria-label={text.transcript} style={{ listStyle: "none", margin: 0, padding: 0, display: "grid", gap: "var(--p-space-300)" }}>
      {messages.map((message) => (
        <li key={message.id}>
          <Box padding="300" borderRadius="200" background={BACKGROUND[message.author]}>
            <BlockStack gap="200">
              <InlineStack gap="200" blockAlign="center">
                <Text as="span" variant="bodySm" fontWeight="semibold">
                  {text.authors[message.author]}
                </Text>
                <Text as="span" variant="bodySm" tone="subdued">
                  <time dateTime={message.at} title={message.at}>
                    {formatAgo(message.at, now)}
                  </time>
                </Text>
                {message.waitingForShopper ? <Badge tone="attention">{text.waitingForShopper}</Badge> : null}
                {message.skill ? <Badge tone="info">{text.skillOfTurn(message.skill)}</Badge> : null}
                {message.intent ? (
                  <Text as="span" variant="bodySm" tone="subdued">
                    {text.intentOfTurn(message.intent)}
                  </Text>
                ) : null}
              </InlineStack>
              <Text as="p" breakWord>
                {message.body}
              </Text>
              <Parts parts={message.parts} />
            </BlockStack>
          </Box>
        </li>
      ))}
    </ol>
  );
}

function Parts({ parts }: { parts: MessagePart[] }) {
  const text = en.conversation;
  const products = parts.filter((part) => part.type === "product");
  return (
    <>
      {products.length ? (
        <ul aria-label={text.productCards} style={{ listStyle: "none", margin: 0, padding: 0, display: "flex", flexWrap: "wrap", gap: "var(--p-space-200)" }}>
          {products.map((card) => (
            <li key={card.productId}>
              <Box padding="200" borderRadius="200" background="bg-surface" borderColor="border" borderWidth="025" minWidth="12rem">
                <InlineStack gap="200" blockAlign="center" wrap={false}>
                  {card.imageUrl ? <Thumbnail source={card.imageUrl} alt="" size="small" /> : null}
                  <BlockStack gap="050">
                    <Link url={card.url} target="_blank">
                      {card.title}
                    </Link>
                    <Text as="span" variant="bodySm">
                      {formatMoney(card.price, card.currencyCode)}
                    </Text>
                  </BlockStack>
                </InlineStack>
              </Box>
            </li>
          ))}
        </ul>
      ) : null}
      {parts.map((part, index) =>
        part.type === "order" ? (
          <Text as="p" variant="bodySm" key={index}>
            {text.orderCard(part.name, part.fulfillmentStatus ?? part.financialStatus ?? "")}
          </Text>
        ) : part.type === "link" ? (
          <Link key={index} url={part.url} target="_blank">
            {part.title}
          </Link>
        ) : null,
      )}
    </>
  );
}
