import type { Channel } from "@prisma/client";
import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { en } from "../../admin/strings/en";

/**
 * The dashboard's charts (Polaris Viz). A `.client` module: Remix leaves it out of the server build, and the page
 * draws it only after hydration (the charts measure the DOM). Polaris Viz's SVG is not readable by screen readers
 * (axe flags its list roles and unlabelled points), so the charts are hidden from them and the same numbers are in
 * the tables beside them. `inert` keeps its tooltips' focus targets out of the keyboard order too.
 */
const HIDDEN_FROM_ASSISTIVE_TECHNOLOGY = { "aria-hidden": true, inert: "" } as const;
export function ConversationsPerDayChart({ perDay }: { perDay: Array<{ day: string; channel: Channel; conversations: number }> }) {
  const channels = [...new Set(perDay.map((row) => row.channel))];
  const data = channels.map((channel) => ({
    name: en.channels[channel],
    data: perDay.filter((row) => row.channel === channel).map((row) => ({ key: row.day.slice(5), value: row.conversations })),
  }));
  return (
    <PolarisVizProvider>
      <div style={{ height: 280 }} {...HIDDEN_FROM_ASSISTIVE_TECHNOLOGY}>
        <LineChart data={data} theme="Light" isAnimated={false} />
      </div>
    </PolarisVizProvider>
  );
}

export function SkillsChart({ skills }: { skills: Array<{ skill: string | null; conversations: number; resolvedByAgent: number }> }) {
  const text = en.dashboard;
  const key = (skill: string | null) => skill ?? text.noSkill;
  const data = [
    { name: text.volume, data: skills.map((row) => ({ key: key(row.skill), value: row.conversations })) },
    { name: text.resolutionRate, data: skills.map((row) => ({ key: key(row.skill), value: row.resolvedByAgent })) },
  ];
  return (
    <PolarisVizProvider>
      <div style={{ height: 240 }} {...HIDDEN_FROM_ASSISTIVE_TECHNOLOGY}>
        <BarChart data={data} theme="Light" isAnimated={false} />
      </div>
    </PolarisVizProvider>
  );
}
