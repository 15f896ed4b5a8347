import { z } from "zod";
import type { Skill, SkillResultBase } from "./skill";

const args = z.object({});

export interface HandoffResult extends SkillResultBase {
  skill: "handoff";
  status: "handoff";
}

/** The shopper asked for a person: the conversation goes to the team (reason `shopper-requested`). */
export const handoff: Skill<z.input<typeof args>, HandoffResult> = {
  name: "handoff",
  description: "Hand the conversation to a person on the store's team when the shopper asks for one.",
  args,
  async run() {
    return { skill: "handoff", status: "handoff", memory: {} };
  },
};
