import type { SynonymTable } from "../catalog/synonyms";

/**
 * What shoppers call policy topics, in English, French, Spanish and German, mapped to the words policies and FAQ
 * are written with (the demo's and most stores' are English), so a question in any of the four languages finds
 * the store's page. Keys and alternatives are folded (no accents).
 */
export const KNOWLEDGE_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  // Returns and refunds
  retour: ["return"],
  retourner: ["return"],
  renvoyer: ["return"],
  rembourse: ["refund"],
  remboursement: ["refund"],
  rembourser: ["refund"],
  echange: ["exchange"],
  echanger: ["exchange"],
  devolucion: ["return", "refund"],
  devolver: ["return"],
  reembolso: ["refund"],
  cambio: ["exchange"],
  cambiar: ["exchange"],
  ruckgabe: ["return"],
  zurucksenden: ["return"],
  zuruckgeben: ["return"],
  retoure: ["return"],
  umtausch: ["exchange"],
  umtauschen: ["exchange"],
  erstattung: ["refund"],
  ruckerstattung: ["refund"],
  geld: ["refund"],
  money: ["refund"],
  "money back": ["refund"],
  // Shipping and delivery
  livraison: ["shipping", "delivery"],
  livrer: ["shipping", "delivery"],
  expedition: ["shipping"],
  expedier: ["shipping"],
  frais: ["cost", "rates"],
  envio: ["shipping", "delivery"],
  envios: ["shipping", "delivery"],
  enviar: ["shipping"],
  entrega: ["delivery", "shipping"],
  versand: ["shipping"],
  versandkosten: ["shipping", "rates"],
  lieferung: ["delivery", "shipping"],
  liefern: ["delivery", "shipping"],
  lieferzeit: ["delivery", "shipping"],
  deliver: ["delivery", "shipping"],
  delivered: ["delivery", "shipping"],
  ship: ["shipping"],
  postage: ["shipping"],
  canada: ["canada", "international"],
  uk: ["united kingdom", "international"],
  "united kingdom": ["international"],
  australia: ["international"],
  europe: ["european union", "international"],
  france: ["european union", "international"],
  espana: ["european union", "international"],
  spain: ["european union", "international"],
  deutschland: ["european union", "international"],
  germany: ["european union", "international"],
  mexico: ["international"],
  abroad: ["international"],
  overseas: ["international"],
  customs: ["customs", "duties"],
  douane: ["customs"],
  aduana: ["customs"],
  zoll: ["customs"],
  // Privacy and contact
  confidentialite: ["privacy"],
  donnees: ["personal information", "privacy"],
  privacidad: ["privacy"],
  datos: ["personal information", "privacy"],
  datenschutz: ["privacy"],
  daten: ["personal information", "privacy"],
  data: ["personal information", "privacy"],
  contacter: ["contact"],
  contactar: ["contact"],
  kontakt: ["contact"],
  kontaktieren: ["contact"],
  telephone: ["phone"],
  telefono: ["phone"],
  telefon: ["phone"],
  adresse: ["address"],
  direccion: ["address"],
  // Payment and gift cards
  paiement: ["payment"],
  pago: ["payment"],
  zahlung: ["payment"],
  bezahlen: ["payment"],
  "carte cadeau": ["gift card"],
  "tarjeta regalo": ["gift card"],
  gutschein: ["gift card"],
  annuler: ["cancel"],
  annulation: ["cancellation", "cancel"],
  cancelar: ["cancel"],
  stornieren: ["cancel"],
  politique: ["policy"],
  politica: ["policy"],
  richtlinie: ["policy"],
  bedingungen: ["terms"],
  conditions: ["terms"],
  terminos: ["terms"],
  agb: ["terms"],
};

/**
 * Words that phrase a question rather than name what it is about ("how long does a refund take"): left out of the
 * search, or a shipping answer that "takes" long would outrank the refund passage asked for. Folded.
 */
export const QUESTION_WORDS: ReadonlySet<string> = new Set([
  "long", "take", "takes", "much", "many", "often", "soon", "get", "know", "tell", "need", "want", "like", "possible", "able", "please", "question", "anyone",
  "combien", "temps", "faut", "quel", "quels", "quelle", "quelles", "savoir", "besoin",
  "cuanto", "cuanta", "cuantos", "cuantas", "tarda", "tardan", "tiempo", "saber", "necesito",
  "lange", "dauert", "dauern", "viel", "wissen", "brauche",
]);

let table: SynonymTable | undefined;

export function knowledgeSynonyms(): SynonymTable {
  if (!table) {
    const entries = new Map<string, readonly string[]>(Object.entries(KNOWLEDGE_SYNONYMS));
    table = { entries, longestKey: Math.max(...[...entries.keys()].map((key) => key.split(" ").length)) };
  }
  return table;
}
