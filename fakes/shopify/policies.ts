/**
 * The demo shop's legal policies, as a merchant fills them in under Settings → Policies: HTML bodies with
 * headings, paragraphs and lists, consistent with the demo catalog (free shipping from $75, as the orders charge).
 */
export type ShopPolicyType =
  | "CONTACT_INFORMATION"
  | "LEGAL_NOTICE"
  | "PRIVACY_POLICY"
  | "REFUND_POLICY"
  | "SHIPPING_POLICY"
  | "SUBSCRIPTION_POLICY"
  | "TERMS_OF_SALE"
  | "TERMS_OF_SERVICE";

export interface DemoShopPolicy {
  /** `gid://shopify/ShopPolicy/…` */
  id: string;
  type: ShopPolicyType;
  title: string;
  /** HTML. */
  body: string;
  /** Path on the storefront (`/policies/refund-policy`); the Admin API serves it as an absolute URL. */
  path: string;
  createdAt: string;
  updatedAt: string;
}

interface PolicyShop {
  id: string;
  name: string;
  email: string;
  currencyCode: string;
}

const POLICY_ID_BASE = 23_456_789_000;

export function buildDemoPolicies(shop: PolicyShop, createdAt: string, updatedAt: string): DemoShopPolicy[] {
  const { name, email } = shop;
  const policy = (index: number, type: ShopPolicyType, title: string, handle: string, body: string): DemoShopPolicy => ({
    id: `gid://shopify/ShopPolicy/${POLICY_ID_BASE + index}`,
    type,
    title,
    body: body.trim(),
    path: `/policies/${handle}`,
    createdAt,
    updatedAt,
  });
  return [
    policy(1, "REFUND_POLICY", "Refund policy", "refund-policy", `
<p>We want you to love what you ordered from ${name}. If something isn't right, you have <strong>30 days</strong> after your order is delivered to ask for a return.</p>
<h3>Eligibility</h3>
<p>To be eligible for a return, your item must be in the same condition that you received it: unworn or unused, with tags, and in its original packaging. You'll also need the receipt or proof of purchase.</p>
<ul>
<li>Sale items marked "final sale" cannot be returned.</li>
<li>Opened skincare products and burned candles cannot be returned for hygiene and safety reasons.</li>
<li>Gift cards are not refundable.</li>
</ul>
<h3>How to start a return</h3>
<p>To start a return, email us at ${email} with your order number. If your return is accepted, we'll send you a prepaid return shipping label and instructions on how and where to send your package. Items sent back to us without first requesting a return will not be accepted.</p>
<p>Return shipping is free for orders shipped within the United States; for international orders, return shipping costs are deducted from the refund.</p>
<h3>Damages and issues</h3>
<p>Please inspect your order when you receive it and contact us within 48 hours if the item is defective, damaged or if you received the wrong item, with a photo, so that we can evaluate the issue and make it right at no cost to you.</p>
<h3>Exchanges</h3>
<p>The fastest way to get a different size or colour is to return the item you have and, once the return is accepted, make a separate purchase for the new item. We're happy to hold stock of a size for 7 days while your return travels back to us.</p>
<h3>Refunds</h3>
<p>We will notify you once we've received and inspected your return and let you know if the refund was approved. If approved, you'll be refunded to your original payment method within 10 business days. Please remember it can take some time for your bank or credit card company to process and post the refund too.</p>
`),
    policy(2, "SHIPPING_POLICY", "Shipping policy", "shipping-policy", `
<p>Orders are packed and shipped from our warehouse within 1–2 business days (Monday to Friday, excluding holidays). You'll receive a confirmation email with a tracking number as soon as your order ships.</p>
<h3>Shipping rates and delivery times</h3>
<ul>
<li>Standard shipping (3–5 business days): $6.95, free on orders over $75.</li>
<li>Express shipping (1–2 business days): $14.95.</li>
<li>International shipping to Canada, the United Kingdom, the European Union and Australia (7–14 business days): calculated at checkout.</li>
</ul>
<h3>Customs, duties and taxes</h3>
<p>${name} is not responsible for any customs and taxes applied to international orders. All fees imposed during or after shipping are the responsibility of the customer (tariffs, taxes and so on).</p>
<h3>Tracking your order</h3>
<p>Use the tracking link in your shipping confirmation email to follow your parcel. If your tracking has not updated for 5 business days, or your order says delivered but you can't find it, contact us at ${email} and we'll open a claim with the carrier.</p>
<h3>Wrong address</h3>
<p>We can change the shipping address until your order ships. After that, we're unable to redirect parcels; a parcel returned to us because of an incorrect address will be refunded minus the shipping cost.</p>
`),
    policy(3, "PRIVACY_POLICY", "Privacy policy", "privacy-policy", `
<p>This Privacy Policy describes how ${name} collects, uses and discloses your personal information when you visit, use our services, or make a purchase from our store.</p>
<h3>Personal information we collect</h3>
<p>We collect contact details (name, address, email, phone number), order information (what you bought, payment confirmation, shipping address), account information, and messages you send to our customer support, including our chat assistant.</p>
<h3>How we use your personal information</h3>
<p>We use your personal information to fulfil orders, answer your questions, send you order updates and, only if you agreed, marketing emails and text messages. You can unsubscribe from marketing at any time using the link in our emails or by replying STOP to a text.</p>
<h3>Your rights</h3>
<p>Depending on where you live, you may have the right to access, correct or delete the personal information we hold about you, or to object to its use. To make a request, email ${email}. We will verify your identity before answering.</p>
<h3>Cookies</h3>
<p>We use cookies to run the store, remember your cart and, with your consent, measure how the store is used. You can change your choice at any time from the privacy settings link at the bottom of every page.</p>
`),
    policy(4, "TERMS_OF_SERVICE", "Terms of service", "terms-of-service", `
<p>This website is operated by ${name}. By visiting our site and/or purchasing something from us, you agree to be bound by the following terms and conditions.</p>
<h3>Online store terms</h3>
<p>You must be at least the age of majority in your state or province of residence to place an order. You may not use our products for any illegal or unauthorized purpose.</p>
<h3>Accuracy of prices and products</h3>
<p>Prices for our products are subject to change without notice. We have made every effort to display the colours and images of our products as accurately as possible, but we cannot guarantee that your screen's display of any colour will be accurate.</p>
<h3>Order cancellation</h3>
<p>We reserve the right to refuse or cancel any order, for example when a product is out of stock or was listed at an incorrect price. If we cancel an order after you were charged, we refund the full amount to your original payment method.</p>
<h3>Governing law</h3>
<p>These terms are governed by the laws of the State of New York, United States.</p>
`),
    policy(5, "CONTACT_INFORMATION", "Contact information", "contact-information", `
<p>Trade name: ${name}</p>
<p>Email: ${email}</p>
<p>Phone: +1 (212) 555-0147, Monday to Friday, 9 am to 5 pm Eastern Time.</p>
<p>Physical address: 120 Harbor Street, Suite 4, Brooklyn, NY 11201, United States</p>
<p>We answer every email within one business day.</p>
`),
  ];
}
