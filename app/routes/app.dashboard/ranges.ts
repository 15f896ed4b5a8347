/** The dashboard's date ranges, in days ending today (UTC). */
export const RANGES = ["7", "28", "90"] as const;
