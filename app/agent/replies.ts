import type { KnowledgeMatch, OrderDetails, ProductMatch } from "./skills/tools";
import type { Language, MessagePart, QuickReplyAction } from "./types";

/**
 * Everything the agent says on its own, in the four languages it speaks. Texts stand alone (email and SMS send
 * only the text), so product replies name each product with its price and link, and order replies say the status.
 */
type Phrases = {
  greeting: string;
  productsIntro: string;
  productsRefinedIntro: string;
  productsNone: (text: string) => string;
  productsAsk: string;
  orderAskBoth: string;
  orderAskNumber: string;
  orderAskContact: (orderNumber: string) => string;
  orderNoMatch: string;
  orderTooManyAttempts: string;
  offerPerson: string;
  orderPlaced: (name: string, date: string) => string;
  payment: string;
  fulfilment: string;
  tracking: string;
  items: string;
  statusPage: string;
  knowledgeFrom: (title: string) => string;
  knowledgeMore: string;
  knowledgeNone: string;
  handoffNotice: string;
  resolvedThanks: string;
  thanksNothingYet: string;
  notUnderstood: string;
  didThatHelp: string;
  yesThatHelped: string;
  talkToPerson: string;
  financial: Record<string, string>;
  fulfillment: Record<string, string>;
};

const PHRASES: Record<Language, Phrases> = {
  en: {
    greeting: "Hi! I can help you find products, check on an order, or answer questions about shipping and returns. What can I do for you?",
    productsIntro: "Here are some products you might like:",
    productsRefinedIntro: "Here are some other options:",
    productsNone: (text) => `I couldn't find products matching “${text}” right now. Could you describe it another way (kind of product, colour, size or budget)?`,
    productsAsk: "What are you looking for? Tell me the kind of product, and a colour, size or budget if you have one.",
    orderAskBoth: "I can check that for you. Please send your order number (for example #1001) and the email address or phone number used at checkout.",
    orderAskNumber: "Please send your order number (for example #1001).",
    orderAskContact: (number) => `Thanks! To protect your privacy, please also send the email address or phone number used for order #${number}.`,
    orderNoMatch: "I couldn't find an order matching those details. Please check the order number and the email or phone number used at checkout.",
    orderTooManyAttempts: "I can't verify this order here. Would you like me to connect you with a person on our team?",
    offerPerson: "I'm sorry about this. Would you like me to connect you with a person on our team?",
    orderPlaced: (name, date) => `Order ${name}, placed ${date}:`,
    payment: "payment",
    fulfilment: "delivery",
    tracking: "Tracking",
    items: "Items",
    statusPage: "Order status page",
    knowledgeFrom: (title) => `From our ${title}:`,
    knowledgeMore: "More",
    knowledgeNone: "I don't have an answer to that in our store information. Would you like me to ask a person on our team?",
    handoffNotice: "I've asked a member of our team to take over. They'll reply here as soon as they can.",
    resolvedThanks: "You're welcome, glad I could help! If anything else comes up, just write here.",
    thanksNothingYet: "You're welcome! Is there anything I can help you with?",
    notUnderstood: "Sorry, I didn't quite get that. I can help you find products, check an order's status, or answer questions about shipping and returns.",
    didThatHelp: "Did that help?",
    yesThatHelped: "Yes, that helped",
    talkToPerson: "Talk to a person",
    financial: { PAID: "paid", PENDING: "pending", AUTHORIZED: "authorized", REFUNDED: "refunded", PARTIALLY_REFUNDED: "partially refunded", VOIDED: "voided" },
    fulfillment: { FULFILLED: "shipped", UNFULFILLED: "not shipped yet", PARTIALLY_FULFILLED: "partly shipped", IN_PROGRESS: "being prepared", ON_HOLD: "on hold" },
  },
  fr: {
    greeting: "Bonjour ! Je peux vous aider à trouver un produit, suivre une commande ou répondre à vos questions sur la livraison et les retours. Que puis-je faire pour vous ?",
    productsIntro: "Voici quelques produits qui pourraient vous plaire :",
    productsRefinedIntro: "Voici d'autres options :",
    productsNone: (text) => `Je n'ai pas trouvé de produit correspondant à « ${text} ». Pouvez-vous le décrire autrement (type de produit, couleur, taille ou budget) ?`,
    productsAsk: "Que recherchez-vous ? Dites-moi le type de produit, et une couleur, une taille ou un budget si vous en avez un.",
    orderAskBoth: "Je peux vérifier cela. Envoyez-moi votre numéro de commande (par exemple #1001) et l'adresse e-mail ou le numéro de téléphone utilisé lors de la commande.",
    orderAskNumber: "Envoyez-moi votre numéro de commande (par exemple #1001).",
    orderAskContact: (number) => `Merci ! Pour protéger vos données, envoyez-moi aussi l'adresse e-mail ou le téléphone utilisé pour la commande #${number}.`,
    orderNoMatch: "Je n'ai pas trouvé de commande correspondant à ces informations. Vérifiez le numéro de commande et l'e-mail ou le téléphone utilisé.",
    orderTooManyAttempts: "Je ne peux pas vérifier cette commande ici. Voulez-vous que je vous mette en relation avec une personne de notre équipe ?",
    offerPerson: "Je suis désolé. Voulez-vous que je vous mette en relation avec une personne de notre équipe ?",
    orderPlaced: (name, date) => `Commande ${name}, passée le ${date} :`,
    payment: "paiement",
    fulfilment: "livraison",
    tracking: "Suivi",
    items: "Articles",
    statusPage: "Page de suivi de la commande",
    knowledgeFrom: (title) => `Extrait de notre page « ${title} » :`,
    knowledgeMore: "En savoir plus",
    knowledgeNone: "Je n'ai pas de réponse à cela dans les informations de la boutique. Voulez-vous que je transmette votre question à notre équipe ?",
    handoffNotice: "J'ai demandé à un membre de notre équipe de prendre le relais. Il vous répondra ici dès que possible.",
    resolvedThanks: "Avec plaisir, ravi d'avoir pu vous aider ! Si vous avez une autre question, écrivez-moi ici.",
    thanksNothingYet: "Avec plaisir ! Puis-je vous aider pour quelque chose ?",
    notUnderstood: "Désolé, je n'ai pas bien compris. Je peux vous aider à trouver un produit, suivre une commande ou répondre à vos questions sur la livraison et les retours.",
    didThatHelp: "Cela vous a-t-il aidé ?",
    yesThatHelped: "Oui, merci",
    talkToPerson: "Parler à une personne",
    financial: { PAID: "payée", PENDING: "en attente", AUTHORIZED: "autorisée", REFUNDED: "remboursée", PARTIALLY_REFUNDED: "partiellement remboursée", VOIDED: "annulée" },
    fulfillment: { FULFILLED: "expédiée", UNFULFILLED: "pas encore expédiée", PARTIALLY_FULFILLED: "partiellement expédiée", IN_PROGRESS: "en préparation", ON_HOLD: "en attente" },
  },
  es: {
    greeting: "¡Hola! Puedo ayudarte a encontrar productos, consultar un pedido o responder preguntas sobre envíos y devoluciones. ¿En qué te ayudo?",
    productsIntro: "Aquí tienes algunos productos que te pueden gustar:",
    productsRefinedIntro: "Aquí tienes otras opciones:",
    productsNone: (text) => `No encontré productos que coincidan con «${text}». ¿Puedes describirlo de otra forma (tipo de producto, color, talla o presupuesto)?`,
    productsAsk: "¿Qué estás buscando? Dime el tipo de producto y, si quieres, un color, una talla o un presupuesto.",
    orderAskBoth: "Puedo comprobarlo. Envíame tu número de pedido (por ejemplo #1001) y el correo electrónico o teléfono que usaste al comprar.",
    orderAskNumber: "Envíame tu número de pedido (por ejemplo #1001).",
    orderAskContact: (number) => `¡Gracias! Para proteger tu privacidad, envíame también el correo o teléfono usado en el pedido #${number}.`,
    orderNoMatch: "No encontré ningún pedido con esos datos. Revisa el número de pedido y el correo o teléfono que usaste al comprar.",
    orderTooManyAttempts: "No puedo verificar este pedido aquí. ¿Quieres que te ponga en contacto con una persona de nuestro equipo?",
    offerPerson: "Lo siento. ¿Quieres que te ponga en contacto con una persona de nuestro equipo?",
    orderPlaced: (name, date) => `Pedido ${name}, realizado el ${date}:`,
    payment: "pago",
    fulfilment: "envío",
    tracking: "Seguimiento",
    items: "Artículos",
    statusPage: "Página de estado del pedido",
    knowledgeFrom: (title) => `De nuestra página «${title}»:`,
    knowledgeMore: "Más información",
    knowledgeNone: "No tengo una respuesta para eso en la información de la tienda. ¿Quieres que se lo pregunte a una persona de nuestro equipo?",
    handoffNotice: "He pedido a una persona de nuestro equipo que continúe. Te responderá aquí lo antes posible.",
    resolvedThanks: "¡De nada, me alegra haberte ayudado! Si necesitas algo más, escríbeme aquí.",
    thanksNothingYet: "¡De nada! ¿Te puedo ayudar con algo?",
    notUnderstood: "Perdona, no lo he entendido bien. Puedo ayudarte a encontrar productos, consultar un pedido o responder preguntas sobre envíos y devoluciones.",
    didThatHelp: "¿Te ha servido?",
    yesThatHelped: "Sí, me ayudó",
    talkToPerson: "Hablar con una persona",
    financial: { PAID: "pagado", PENDING: "pendiente", AUTHORIZED: "autorizado", REFUNDED: "reembolsado", PARTIALLY_REFUNDED: "reembolsado en parte", VOIDED: "anulado" },
    fulfillment: { FULFILLED: "enviado", UNFULFILLED: "aún no enviado", PARTIALLY_FULFILLED: "enviado en parte", IN_PROGRESS: "en preparación", ON_HOLD: "en espera" },
  },
  de: {
    greeting: "Hallo! Ich helfe Ihnen gern, Produkte zu finden, eine Bestellung zu prüfen oder Fragen zu Versand und Rückgabe zu beantworten. Was kann ich für Sie tun?",
    productsIntro: "Diese Produkte könnten Ihnen gefallen:",
    productsRefinedIntro: "Hier sind weitere Optionen:",
    productsNone: (text) => `Ich habe keine Produkte zu „${text}“ gefunden. Können Sie es anders beschreiben (Produktart, Farbe, Größe oder Budget)?`,
    productsAsk: "Wonach suchen Sie? Nennen Sie mir die Produktart und gern eine Farbe, Größe oder ein Budget.",
    orderAskBoth: "Das prüfe ich gern. Bitte senden Sie mir Ihre Bestellnummer (zum Beispiel #1001) und die E-Mail-Adresse oder Telefonnummer, die Sie bei der Bestellung angegeben haben.",
    orderAskNumber: "Bitte senden Sie mir Ihre Bestellnummer (zum Beispiel #1001).",
    orderAskContact: (number) => `Danke! Zum Schutz Ihrer Daten senden Sie mir bitte auch die E-Mail-Adresse oder Telefonnummer der Bestellung #${number}.`,
    orderNoMatch: "Ich habe keine Bestellung mit diesen Angaben gefunden. Bitte prüfen Sie die Bestellnummer und die E-Mail-Adresse oder Telefonnummer.",
    orderTooManyAttempts: "Ich kann diese Bestellung hier nicht bestätigen. Möchten Sie mit einer Person aus unserem Team sprechen?",
    offerPerson: "Das tut mir leid. Möchten Sie mit einer Person aus unserem Team sprechen?",
    orderPlaced: (name, date) => `Bestellung ${name} vom ${date}:`,
    payment: "Zahlung",
    fulfilment: "Versand",
    tracking: "Sendungsverfolgung",
    items: "Artikel",
    statusPage: "Bestellstatus-Seite",
    knowledgeFrom: (title) => `Aus unserer Seite „${title}“:`,
    knowledgeMore: "Mehr dazu",
    knowledgeNone: "Dazu habe ich in unseren Shop-Informationen keine Antwort. Soll ich eine Person aus unserem Team fragen?",
    handoffNotice: "Ich habe eine Person aus unserem Team gebeten, zu übernehmen. Sie antwortet Ihnen hier so bald wie möglich.",
    resolvedThanks: "Gern geschehen, schön, dass ich helfen konnte! Wenn noch etwas ist, schreiben Sie einfach hier.",
    thanksNothingYet: "Gern! Kann ich Ihnen bei etwas helfen?",
    notUnderstood: "Entschuldigung, das habe ich nicht ganz verstanden. Ich kann Ihnen helfen, Produkte zu finden, eine Bestellung zu prüfen oder Fragen zu Versand und Rückgabe zu beantworten.",
    didThatHelp: "Hat Ihnen das geholfen?",
    yesThatHelped: "Ja, danke",
    talkToPerson: "Mit einer Person sprechen",
    financial: { PAID: "bezahlt", PENDING: "ausstehend", AUTHORIZED: "autorisiert", REFUNDED: "erstattet", PARTIALLY_REFUNDED: "teilweise erstattet", VOIDED: "storniert" },
    fulfillment: { FULFILLED: "versandt", UNFULFILLED: "noch nicht versandt", PARTIALLY_FULFILLED: "teilweise versandt", IN_PROGRESS: "in Bearbeitung", ON_HOLD: "zurückgestellt" },
  },
};

const LOCALES: Record<Language, string> = { en: "en-US", fr: "fr-FR", es: "es-ES", de: "de-DE" };

export function phrases(language: Language): Phrases {
  return PHRASES[language];
}

export function formatMoney(amount: string | number, currencyCode: string, language: Language): string {
  return new Intl.NumberFormat(LOCALES[language], { style: "currency", currency: currencyCode }).format(Number(amount));
}

function formatDate(value: Date | string, language: Language): string {
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: "long", timeZone: "UTC" }).format(new Date(value));
}

function statusWord(table: Record<string, string>, status: string | null): string | null {
  if (!status) return null;
  return table[status.toUpperCase()] ?? status.toLowerCase().replace(/_/g, " ");
}

export function productsText(products: ProductMatch[], language: Language, refined: boolean): string {
  const say = phrases(language);
  const lines = products.map((product) => {
    const price = formatMoney(product.price, product.currencyCode, language);
    const was = product.compareAtPrice && Number(product.compareAtPrice) > Number(product.price)
      ? ` (${formatMoney(product.compareAtPrice, product.currencyCode, language)})`
      : "";
    return `• ${product.title}: ${price}${was} ${product.url}`;
  });
  return [refined ? say.productsRefinedIntro : say.productsIntro, ...lines].join("\n");
}

export function productCards(products: ProductMatch[]): MessagePart[] {
  return products.map((product) => ({
    type: "product" as const,
    productId: product.shopifyProductId,
    title: product.title,
    url: product.url,
    imageUrl: product.imageUrl,
    price: product.price,
    compareAtPrice: product.compareAtPrice,
    currencyCode: product.currencyCode,
    variantId: product.defaultVariantId,
  }));
}

export function orderText(order: OrderDetails, language: Language): string {
  const say = phrases(language);
  // Unknown stays unsaid: the mirror (the Admin API being down) knows payment but not delivery.
  const status = [
    statusWord(say.financial, order.financialStatus) && `${say.payment}: ${statusWord(say.financial, order.financialStatus)}`,
    statusWord(say.fulfillment, order.fulfillmentStatus) && `${say.fulfilment}: ${statusWord(say.fulfillment, order.fulfillmentStatus)}`,
  ].filter(Boolean);
  const lines = [`${say.orderPlaced(order.name, formatDate(order.placedAt, language))} ${status.join(", ")}.`];
  for (const tracking of order.tracking) {
    lines.push(`${say.tracking}: ${[tracking.company, tracking.number, tracking.url].filter(Boolean).join(" ")}`);
  }
  if (order.lineItems.length > 0) {
    lines.push(`${say.items}: ${order.lineItems.map((item) => `${item.quantity} × ${item.title}`).join(", ")} (${formatMoney(order.totalPrice, order.currencyCode, language)})`);
  }
  if (order.statusUrl) lines.push(`${say.statusPage}: ${order.statusUrl}`);
  return lines.join("\n");
}

export function orderCard(order: OrderDetails): MessagePart {
  return {
    type: "order",
    name: order.name,
    placedAt: new Date(order.placedAt).toISOString(),
    financialStatus: order.financialStatus,
    fulfillmentStatus: order.fulfillmentStatus,
    totalPrice: order.totalPrice,
    currencyCode: order.currencyCode,
    lineItems: order.lineItems,
    tracking: order.tracking,
    statusUrl: order.statusUrl,
  };
}

/** Passages are quoted as the store wrote them, never paraphrased, with the page to read the rest. */
export function knowledgeText(passages: KnowledgeMatch[], language: Language): string {
  const say = phrases(language);
  return passages
    .map((passage) => [`${say.knowledgeFrom(passage.title)} “${passage.passage.trim()}”`, passage.url ? `${say.knowledgeMore}: ${passage.url}` : null].filter(Boolean).join("\n"))
    .join("\n\n");
}

export function knowledgeLinks(passages: KnowledgeMatch[]): MessagePart[] {
  return passages.filter((passage) => passage.url).map((passage) => ({ type: "link" as const, title: passage.title, url: passage.url! }));
}

export function quickReplies(language: Language, actions: QuickReplyAction[]): MessagePart {
  const say = phrases(language);
  const labels: Record<QuickReplyAction, string> = { "confirm-resolved": say.yesThatHelped, handoff: say.talkToPerson };
  return { type: "quick-replies", replies: actions.map((action) => ({ label: labels[action], action })) };
}
