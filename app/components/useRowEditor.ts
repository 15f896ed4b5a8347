import { useEffect, useState } from "react";
import type { SectionResult } from "./SettingsSection";

/**
 * An editable list row (an FAQ entry, an escalation rule): shown or being edited, and a delete waiting for
 * confirmation. A saved edit closes the editor; a refused one keeps it open, so the merchant sees the error beside
 * what they typed.
 */
export function useRowEditor(section: string, result: SectionResult | undefined) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    if (result?.section === section && result.ok) setEditing(false);
  }, [result, section]);
  const open = editing || (result?.section === section && !result.ok);
  return { open, setEditing, confirming, setConfirming };
}
