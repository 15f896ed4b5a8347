import type { EscalationIntent, Language } from "../../types";

/**
 * Vocabulary the built-in brain needs beyond what the classifier learns: words that say which language a short
 * message is in, product words in French, Spanish and German mapped to the catalog's English, colour and size
 * names mapped to the catalog's option values, and the filler words a product search should not carry.
 * All entries are lower case without accents (the text is folded the same way before lookup).
 */

export const LANGUAGE_MARKERS: Record<Language, string[]> = {
  en: ["the", "my", "is", "where", "do", "you", "i", "a", "for", "to", "what", "and", "please", "thanks", "thank", "have", "with", "can", "want", "need", "looking", "any", "your", "how", "hi", "hello", "it", "of", "order", "cheaper", "that", "all", "yes", "something", "me", "get", "in"],
  fr: ["je", "mon", "ma", "mes", "est", "ou", "vous", "une", "un", "le", "la", "les", "pour", "merci", "des", "avec", "avez", "cherche", "voudrais", "veux", "bonjour", "salut", "commande", "moins", "cher", "c'est", "quelle", "votre", "comment", "suis", "pas", "oui", "tout", "parler", "quelqu'un", "et", "du", "au"],
  es: ["mi", "el", "los", "las", "donde", "hacen", "envios", "envio", "cuanto", "tarda", "quiero", "una", "para", "por", "gracias", "tienen", "con", "busco", "hola", "pedido", "mas", "barato", "es", "su", "como", "estoy", "muy", "si", "todo", "hablar", "alguien", "y", "del", "que", "algo", "tienes", "me", "eso"],
  de: ["ich", "mein", "meine", "ist", "wo", "eine", "ein", "der", "die", "das", "fur", "mit", "danke", "bitte", "haben", "suche", "mochte", "hallo", "bestellung", "gunstiger", "billiger", "sie", "ihr", "wie", "bin", "nicht", "ja", "alles", "sprechen", "jemandem", "und", "zu", "gibt", "es", "etwas"],
};

/** Product words in the shopper's language → the catalog's English terms (longest phrases first when matching). */
export const PRODUCT_TERMS: Record<Exclude<Language, "en">, Record<string, string>> = {
  fr: {
    "chaussures de course": "running shoes", "chaussures de running": "running shoes", "chaussures de randonnee": "hiking boots",
    "sac a dos": "backpack", "sweat a capuche": "hoodie", "creme solaire": "sunscreen", "tee-shirt": "tee", "t-shirt": "tee",
    veste: "jacket", vestes: "jacket", manteau: "jacket", doudoune: "puffer jacket", impermeable: "waterproof", pluie: "rain",
    baskets: "running shoes", bottes: "boots", chaussettes: "socks", tente: "tent", tentes: "tent", gourde: "water bottle",
    bouteille: "bottle", bougie: "candle", bougies: "candle", tasse: "mug", tasses: "mug", sweat: "hoodie", polaire: "fleece",
    creme: "moisturizer", serum: "serum", cadeau: "gift", randonnee: "hiking", course: "running", chaud: "warm", chaude: "warm",
  },
  es: {
    "zapatillas para correr": "running shoes", "zapatillas de running": "running shoes", "botas de montana": "hiking boots",
    "tienda de campana": "tent", "tiendas de campana": "tent", "botella de agua": "water bottle", "sudadera con capucha": "hoodie",
    "sudaderas con capucha": "hoodie", "protector solar": "sunscreen", chaqueta: "jacket", chaquetas: "jacket", abrigo: "jacket",
    impermeable: "waterproof", zapatillas: "running shoes", botas: "boots", calcetines: "socks", mochila: "backpack",
    mochilas: "backpack", botella: "bottle", vela: "candle", velas: "candle", taza: "mug", tazas: "mug", sudadera: "hoodie",
    sudaderas: "hoodie", camiseta: "tee", camisetas: "tee", crema: "moisturizer", regalo: "gift", senderismo: "hiking",
    correr: "running", lluvia: "rain",
  },
  de: {
    regenjacke: "rain jacket", jacke: "jacket", jacken: "jacket", wasserdichte: "waterproof", wasserdicht: "waterproof",
    laufschuhe: "running shoes", wanderschuhe: "hiking boots", wanderstiefel: "hiking boots", stiefel: "boots", socken: "socks",
    rucksack: "backpack", zelt: "tent", zelte: "tent", trinkflasche: "water bottle", flasche: "bottle", kerze: "candle",
    kerzen: "candle", tasse: "mug", tassen: "mug", kapuzenpullover: "hoodie", pullover: "hoodie", "t-shirt": "tee",
    creme: "moisturizer", sonnencreme: "sunscreen", geschenk: "gift", wandern: "hiking", laufen: "running", regen: "rain",
  },
};

/**
 * A colour word in any of the four languages → the English colour the catalog search takes as one option; the
 * search itself widens it to the shades of that family ("blue": Navy, Slate Blue; app/catalog/synonyms.ts).
 */
export const COLOR_WORDS: Record<string, string> = {
  blue: "blue", navy: "navy", black: "black", white: "white", grey: "grey", gray: "gray", green: "green", brown: "brown",
  beige: "beige", red: "red", orange: "orange", yellow: "yellow",
  bleu: "blue", bleue: "blue", marine: "navy", noir: "black", noire: "black", blanc: "white", blanche: "white", gris: "grey",
  grise: "grey", vert: "green", verte: "green", marron: "brown", rouge: "red", jaune: "yellow",
  azul: "blue", negro: "black", negra: "black", blanco: "white", blanca: "white", verde: "green", rojo: "red", roja: "red",
  amarillo: "yellow", marino: "navy",
  blau: "blue", schwarz: "black", weiss: "white", grau: "grey", grun: "green", braun: "brown", rot: "red", gelb: "yellow",
};

export const SIZE_WORDS = ["size", "taille", "talla", "grosse", "grose", "gr"];
export const CLOTHING_SIZES = ["xxs", "xs", "s", "m", "l", "xl", "xxl"];

/** Words that carry the request, not the product: dropped from the text sent to the catalog search. */
export const FILLER_WORDS = new Set([
  // en
  "i", "im", "i'm", "me", "my", "a", "an", "the", "for", "to", "of", "in", "on", "with", "and", "or", "is", "are", "it", "its",
  "do", "does", "you", "your", "have", "has", "got", "any", "some", "something", "anything", "looking", "look", "search", "find",
  "need", "want", "wanna", "would", "like", "buy", "get", "recommend", "recommendation", "suggest", "show", "sell", "see", "please",
  "pls", "can", "could", "what", "which", "there", "one", "ones", "options", "option", "other", "others", "more", "else", "cheaper",
  "less", "expensive", "under", "below", "over", "above", "than", "between", "max", "maximum", "up", "about", "around", "best",
  "good", "nice", "new", "hi", "hello", "hey", "thanks", "thank", "that", "this", "after", "also", "ok", "okay", "colour", "color",
  "size", "sizes", "cheap", "price", "budget", "dollars", "usd", "eur", "euros", "bucks", "am", "be", "so", "much", "too",
  // fr
  "je", "j", "cherche", "recherche", "voudrais", "veux", "aimerais", "acheter", "un", "une", "des", "de", "du", "le", "la", "les",
  "l", "pour", "avec", "en", "vous", "avez", "auriez", "montrez", "moi", "conseiller", "conseillez", "quelque", "chose", "autre",
  "autres", "moins", "cher", "chere", "plus", "sous", "entre", "et", "taille", "couleur", "svp", "merci", "bonjour", "mon", "ma",
  "est", "ce", "qui", "que", "quels", "quelles", "vendez", "avoir", "modeles", "modele",
  // es
  "busco", "quiero", "quisiera", "comprar", "un", "una", "unos", "unas", "el", "los", "las", "para", "con", "tienen", "tienes", "hay", "algo",
  "otro", "otros", "otra", "otras", "mas", "barato", "barata", "menos", "por", "debajo", "hasta", "talla", "muestrame", "recomiendas",
  "recomienda", "venden", "mi", "me", "favor", "gracias", "hola", "y", "opciones", "colores",
  // de
  "ich", "suche", "mochte", "will", "kaufen", "ein", "eine", "einen", "der", "die", "das", "den", "fur", "mit", "haben", "habt",
  "sie", "ihr", "zeig", "zeigen", "mir", "empfehlen", "etwas", "andere", "anderes", "gunstiger", "gunstigeres", "billiger",
  "unter", "bis", "zwischen", "und", "grosse", "farbe", "farben", "bitte", "danke", "hallo", "verkaufen", "gibt", "es", "auswahl",
  "zum", "zur", "meinen", "meine", "mein", "können", "konnen", "sie", "in",
]);

/**
 * Words that signal an escalation intent even when another intent wins the classification ("I want a refund,
 * let me talk to someone" is both a refund and a handoff). Matched as word prefixes of the folded text.
 */
export const ESCALATION_SIGNALS: Record<EscalationIntent, string[]> = {
  refund: ["refund", "money back", "rembours", "reembols", "devuelvan el dinero", "erstatt", "ruckerstatt", "geld zuruck", "mon argent"],
  cancellation: ["cancel", "annul", "stornier", "stop my order"],
  complaint: ["complaint", "complain", "unacceptable", "worst", "terrible", "awful", "furious", "disappointed", "fed up", "decu", "pesimo", "enttauscht", "schrecklich", "plainte", "reclamation", "inadmissible", "queja", "reclamacion", "inaceptable", "beschwer", "inakzeptabel"],
  "damaged-item": ["damaged", "broken", "arrived torn", "defective", "wrong item", "abime", "casse", "defectueux", "mauvais article", "danad", "roto", "defectuoso", "equivocado", "beschadigt", "kaputt", "defekt", "falschen artikel"],
  "legal-threat": ["lawyer", "attorney", "sue you", "legal action", "court", "avocat", "poursuivre", "justice", "abogado", "demandar", "acciones legales", "anwalt", "verklagen", "rechtlich", "gericht"],
  chargeback: ["chargeback", "dispute", "contest", "retrofactur", "opposition", "contracargo", "disputar", "ruckbuch", "zuruckbuchen", "paypal konflikt"],
};

/**
 * Words every "thanks, that's all" contains in one of the four languages. A message the classifier reads as thanks
 * without one of them ("I need some socks") is not thanks: a false thanks would resolve the conversation.
 * Words of four letters or more match as prefixes ("thank" in "thanks"), shorter ones as whole words.
 */
export const THANKS_MARKERS = [
  "thank", "thx", "ty", "cheers", "that's all", "that's everything", "helped", "perfect", "great", "awesome", "all good",
  "merci", "parfait", "super", "c'est tout", "aide",
  "gracias", "perfecto", "genial", "eso es todo", "ayudo",
  "danke", "perfekt", "das ist alles", "geholfen",
];

/** Words asking for "cheaper" than what was shown. */
export const CHEAPER_WORDS = ["cheaper", "less expensive", "lower price", "moins cher", "moins chere", "mas barato", "mas barata", "mas economico", "gunstiger", "billiger", "preiswerter"];

/** Order words, so a bare number next to them reads as an order number. */
export const ORDER_WORDS = ["order", "commande", "pedido", "bestellung", "bestellnummer", "auftrag"];
