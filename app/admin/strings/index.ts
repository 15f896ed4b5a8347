import { en, type AdminStrings } from "./en";

/** The admin's text. One language today; a translation adds its object here and a choice by the merchant's locale. */
export function adminStrings(): AdminStrings {
  return en;
}

export type { AdminStrings };
