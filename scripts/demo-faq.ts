import type { FaqEntryInput } from "../app/knowledge/faq.server";

/**
 * The demo shop's FAQ, as a merchant would write it for the agent: short answers to what shoppers ask most,
 * consistent with the demo policies (fakes/shopify/policies.ts) and catalog.
 */
export const DEMO_FAQ: FaqEntryInput[] = [
  { question: "What is your return policy?", answer: "You can return unworn, unused items with their tags within 30 days of delivery for a refund to your original payment method. To start a return, email us with your order number and we'll send a prepaid label." },
  { question: "Do you ship to Canada and other countries?", answer: "Yes. We ship to Canada, the United Kingdom, the European Union and Australia; international delivery takes 7–14 business days and the cost is calculated at checkout." },
  { question: "How long does delivery take?", answer: "Orders ship within 1–2 business days. Standard shipping takes 3–5 business days and express shipping 1–2 business days." },
  { question: "Is shipping free?", answer: "Standard shipping is free on orders over $75; below that it costs $6.95. Express shipping is $14.95." },
  { question: "Can I exchange an item for a different size?", answer: "Yes: return the item within 30 days of delivery and, once the return is accepted, order the new size. We can hold your size for 7 days while your return travels back to us." },
  { question: "What payment methods do you accept?", answer: "We accept Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay and Shop Pay." },
  { question: "Do you sell gift cards?", answer: "Yes, digital gift cards from $25 to $200 are available on our gift card page; they never expire and are not refundable." },
  { question: "Do you offer gift wrapping?", answer: "Yes, you can add gift wrapping with a handwritten note at checkout for $5." },
  { question: "How do I find my size?", answer: "Each product page has a size chart. Our apparel runs true to size; if you are between two sizes, we suggest the larger one for layering." },
  { question: "Where is your store? Can I pick up my order?", answer: "We are an online store with a warehouse at 120 Harbor Street, Brooklyn, NY. Local pickup is available on weekdays from 10 am to 4 pm; choose it at checkout." },
  { question: "Can I change or cancel my order after placing it?", answer: "We can change the shipping address or cancel an order until it ships, usually within a few hours. Ask us in this chat or email us as soon as possible." },
];
