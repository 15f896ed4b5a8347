import { describe, expect, it } from "vitest";
import { parseDashboardRange } from "./dashboard-range.server";
import { daysOf, localToday } from "./days";

const TODAY = "2026-12-03";
const parse = (query: string) => parseDashboardRange(new URLSearchParams(query), TODAY);

describe("the dashboard's range", () => {
  it("is the last 28 days, today included, unless a preset is chosen; a hand-edited preset falls back to it", () => {
    expect(parse("")).toEqual({ ok: true, preset: "28", days: { first: "2026-11-06", last: TODAY }, channel: null });
    expect(parse("range=7&channel=email")).toEqual({ ok: true, preset: "7", days: { first: "2026-11-27", last: TODAY }, channel: "email" });
    expect(parse("range=90").days).toEqual({ first: "2026-09-05", last: TODAY });
    expect(parse("range=365&channel=fax")).toMatchObject({ ok: true, preset: "28", channel: null });
  });

  it("takes a custom range of whole days, both included, up to a year", () => {
    expect(parse("from=2026-11-01&to=2026-11-15&channel=sms")).toEqual({ ok: true, preset: null, days: { first: "2026-11-01", last: "2026-11-15" }, channel: "sms" });
    expect(parse(`from=${TODAY}&to=${TODAY}`).days).toEqual({ first: TODAY, last: TODAY });
    expect(parse("from=2025-12-03&to=2026-12-03")).toMatchObject({ ok: true, days: { first: "2025-12-03", last: TODAY } });
    expect(daysOf(parse("from=2025-12-03&to=2026-12-03").days)).toHaveLength(366);
  });

  it("refuses a custom range that cannot be right, says why next to the field, and shows the default range meanwhile", () => {
    const refused = (query: string) => {
      const range = parse(query);
      expect(range.ok, query).toBe(false);
      expect(range.days, query).toEqual({ first: "2026-11-06", last: TODAY });
      return range.ok ? {} : range.fieldErrors;
    };
    expect(refused("from=2026-11-15&to=2026-11-01")).toEqual({ to: ["The end date is before the start date."] });
    expect(refused("from=yesterday&to=2026-11-01")).toEqual({ from: ["Enter a date as YYYY-MM-DD."] });
    expect(refused("from=2026-02-30&to=2026-03-01")).toEqual({ from: ["Enter a date as YYYY-MM-DD."] });
    expect(refused("from=2026-11-01")).toEqual({ to: ["Enter a date as YYYY-MM-DD."] });
    expect(refused("from=2025-12-02&to=2026-12-03")).toEqual({ to: ["Pick at most 366 days."] });
    expect(refused("from=2026-12-01&to=2026-12-04")).toEqual({ to: ["Pick a day up to today (2026-12-03)."] });
    expect(refused("from=2027-01-01&to=2027-01-02")).toEqual({ from: ["Pick a day up to today (2026-12-03)."], to: ["Pick a day up to today (2026-12-03)."] });
    const typedKept = parse("from=2026-11-15&to=2026-11-01&channel=email");
    expect(typedKept).toMatchObject({ ok: false, preset: null, channel: "email", typed: { from: "2026-11-15", to: "2026-11-01" } });
  });

  it("knows today where the shop is: hours after UTC's midnight it is still yesterday in New York", () => {
    const now = new Date("2026-12-04T03:00:00Z");
    expect(localToday("UTC", now)).toBe("2026-12-04");
    expect(localToday("America/New_York", now)).toBe("2026-12-03");
    expect(localToday("Pacific/Auckland", new Date("2026-12-03T12:00:00Z"))).toBe("2026-12-04");
  });
});
