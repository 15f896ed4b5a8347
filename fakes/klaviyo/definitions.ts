/**
 * Segment and flow definitions checked the way Klaviyo's OpenAPI spec (revision 2026-07-15) describes them, for the
 * condition, filter, trigger and action types this app sends; anything else is refused with the JSON pointer of
 * the offending field, as Klaviyo does. Metric ids must exist in the account.
 */
export type Invalid = (pointer: string, detail: string) => never;

const NUMERIC_OPERATORS = ["equals", "greater-than", "greater-than-or-equal", "less-than", "less-than-or-equal", "not-equals"];
const RELATIVE_DATE_OPERATORS = ["at-least", "in-the-last", "in-the-next"];
const DATE_UNITS = ["day", "hour", "week"];
const DELAY_UNITS = ["days", "hours", "minutes"];
const ACTION_STATUSES = ["disabled", "draft", "live", "manual"];
const ACTION_TYPES = ["time-delay", "send-email", "send-sms", "conditional-split", "update-profile", "send-webhook"];

interface Context {
  invalid: Invalid;
  metricIds: ReadonlySet<string>;
  flow: boolean;
}

function object(value: unknown, pointer: string, context: Context): Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) context.invalid(pointer, `'${pointer.split("/").at(-1)}' must be an object.`);
  return value as Record<string, unknown>;
}

function list(value: unknown, pointer: string, context: Context): unknown[] {
  if (!Array.isArray(value)) context.invalid(pointer, `'${pointer.split("/").at(-1)}' must be a list.`);
  return value as unknown[];
}

function oneOf(value: unknown, allowed: readonly string[], pointer: string, context: Context) {
  if (typeof value !== "string" || !allowed.includes(value)) context.invalid(pointer, `'${String(value)}' is not one of ${allowed.map((option) => `'${option}'`).join(", ")}.`);
}

function numericFilter(value: unknown, pointer: string, context: Context) {
  const filter = object(value, pointer, context);
  oneOf(filter.type, ["numeric"], `${pointer}/type`, context);
  oneOf(filter.operator, NUMERIC_OPERATORS, `${pointer}/operator`, context);
  if (typeof filter.value !== "number") context.invalid(`${pointer}/value`, "'value' must be a number.");
}

function relativeDateFilter(filter: Record<string, unknown>, pointer: string, context: Context) {
  oneOf(filter.operator, RELATIVE_DATE_OPERATORS, `${pointer}/operator`, context);
  oneOf(filter.unit, DATE_UNITS, `${pointer}/unit`, context);
  if (!Number.isInteger(filter.quantity) || (filter.quantity as number) < 1) context.invalid(`${pointer}/quantity`, "'quantity' must be a positive integer.");
}

function timeframeFilter(value: unknown, pointer: string, context: Context) {
  const filter = object(value, pointer, context);
  oneOf(filter.type, ["date"], `${pointer}/type`, context);
  if (filter.operator === "alltime") return;
  // SinceFlowStartDateFilter is only among a flow condition's timeframes.
  if (filter.operator === "flow-start") {
    if (!context.flow) context.invalid(`${pointer}/operator`, "'flow-start' is only valid in flow filters.");
    return;
  }
  relativeDateFilter(filter, pointer, context);
}

function propertyFilter(value: unknown, pointer: string, context: Context) {
  const filter = object(value, pointer, context);
  switch (filter.type) {
    case "boolean":
      oneOf(filter.operator, ["equals"], `${pointer}/operator`, context);
      if (typeof filter.value !== "boolean") context.invalid(`${pointer}/value`, "'value' must be a boolean.");
      return;
    case "numeric":
      return numericFilter(filter, pointer, context);
    case "date":
      return relativeDateFilter(filter, pointer, context);
    case "string":
      oneOf(filter.operator, ["equals", "not-equals", "contains", "not-contains", "starts-with", "ends-with"], `${pointer}/operator`, context);
      if (typeof filter.value !== "string") context.invalid(`${pointer}/value`, "'value' must be a string.");
      return;
    case "existence":
      oneOf(filter.operator, ["is-set", "is-not-set"], `${pointer}/operator`, context);
      return;
    default:
      context.invalid(`${pointer}/type`, `'${String(filter.type)}' is not a supported profile property filter type.`);
  }
}

function condition(value: unknown, pointer: string, context: Context) {
  const entry = object(value, pointer, context);
  switch (entry.type) {
    case "profile-metric": {
      if (typeof entry.metric_id !== "string" || !context.metricIds.has(entry.metric_id)) {
        context.invalid(`${pointer}/metric_id`, `Metric '${String(entry.metric_id)}' does not exist in this account.`);
      }
      oneOf(entry.measurement, ["count", "sum"], `${pointer}/measurement`, context);
      numericFilter(entry.measurement_filter, `${pointer}/measurement_filter`, context);
      timeframeFilter(entry.timeframe_filter, `${pointer}/timeframe_filter`, context);
      return;
    }
    case "profile-property":
      if (typeof entry.property !== "string" || entry.property === "") context.invalid(`${pointer}/property`, "'property' is a required field.");
      propertyFilter(entry.filter, `${pointer}/filter`, context);
      return;
    default:
      context.invalid(`${pointer}/type`, `'${String(entry.type)}' is not a supported condition type.`);
  }
}

function conditionGroups(value: unknown, pointer: string, context: Context) {
  const groups = list(object(value, pointer, context).condition_groups, `${pointer}/condition_groups`, context);
  if (groups.length === 0) context.invalid(`${pointer}/condition_groups`, "At least one condition group is required.");
  groups.forEach((group, groupIndex) => {
    const groupPointer = `${pointer}/condition_groups/${groupIndex}`;
    const conditions = list(object(group, groupPointer, context).conditions, `${groupPointer}/conditions`, context);
    if (conditions.length === 0) context.invalid(`${groupPointer}/conditions`, "A condition group needs at least one condition.");
    conditions.forEach((entry, index) => condition(entry, `${groupPointer}/conditions/${index}`, context));
  });
}

export function validateSegmentDefinition(definition: unknown, pointer: string, invalid: Invalid, metricIds: ReadonlySet<string>) {
  conditionGroups(definition, pointer, { invalid, metricIds, flow: false });
}

export function validateFlowDefinition(value: unknown, pointer: string, invalid: Invalid, metricIds: ReadonlySet<string>) {
  const context: Context = { invalid, metricIds, flow: true };
  const definition = object(value, pointer, context);
  const triggers = list(definition.triggers, `${pointer}/triggers`, context);
  if (triggers.length !== 1) invalid(`${pointer}/triggers`, "Exactly one trigger is supported.");
  const trigger = object(triggers[0], `${pointer}/triggers/0`, context);
  oneOf(trigger.type, ["metric", "list", "segment"], `${pointer}/triggers/0/type`, context);
  if (trigger.type === "metric" && (typeof trigger.id !== "string" || !metricIds.has(trigger.id))) {
    invalid(`${pointer}/triggers/0/id`, `Metric '${String(trigger.id)}' does not exist in this account.`);
  }
  if (definition.profile_filter !== undefined && definition.profile_filter !== null) conditionGroups(definition.profile_filter, `${pointer}/profile_filter`, context);

  const actions = list(definition.actions, `${pointer}/actions`, context);
  if (actions.length === 0) invalid(`${pointer}/actions`, "A flow needs at least one action.");
  const temporaryIds = new Set<string>();
  const nextIds: Array<[string, string]> = [];
  actions.forEach((value, index) => {
    const actionPointer = `${pointer}/actions/${index}`;
    const action = object(value, actionPointer, context);
    if (action.id !== undefined && action.id !== null) invalid(`${actionPointer}/id`, "'id' is not allowed on create: new actions use 'temporary_id'.");
    if (typeof action.temporary_id !== "string" || action.temporary_id === "") invalid(`${actionPointer}/temporary_id`, "New actions need a 'temporary_id'.");
    if (temporaryIds.has(action.temporary_id as string)) invalid(`${actionPointer}/temporary_id`, `Duplicate temporary_id '${String(action.temporary_id)}'.`);
    temporaryIds.add(action.temporary_id as string);
    oneOf(action.type, ACTION_TYPES, `${actionPointer}/type`, context);
    const next = action.links === undefined || action.links === null ? null : object(action.links, `${actionPointer}/links`, context).next;
    if (next !== null && next !== undefined) {
      if (typeof next !== "string") invalid(`${actionPointer}/links/next`, "'next' must be an action id.");
      nextIds.push([`${actionPointer}/links/next`, next]);
    }
    const data = action.data === undefined || action.data === null ? null : object(action.data, `${actionPointer}/data`, context);
    if (action.type === "time-delay") {
      if (!data) invalid(`${actionPointer}/data`, "'data' is a required field.");
      if (!Number.isInteger(data.value) || (data.value as number) < 0) invalid(`${actionPointer}/data/value`, "'value' must be a non-negative integer.");
      if (data.unit !== undefined) oneOf(data.unit, DELAY_UNITS, `${actionPointer}/data/unit`, context);
    }
    if ((action.type === "send-email" || action.type === "send-sms") && data) {
      if (data.status !== undefined) oneOf(data.status, ACTION_STATUSES, `${actionPointer}/data/status`, context);
      if (data.message !== undefined && data.message !== null) {
        const message = object(data.message, `${actionPointer}/data/message`, context);
        if (message.id !== undefined && message.id !== null) invalid(`${actionPointer}/data/message/id`, "'id' is not allowed on create.");
      }
    }
  });
  for (const [nextPointer, next] of nextIds) if (!temporaryIds.has(next)) invalid(nextPointer, `No action with temporary_id '${next}'.`);
  if (typeof definition.entry_action_id !== "string" || !temporaryIds.has(definition.entry_action_id)) {
    invalid(`${pointer}/entry_action_id`, "'entry_action_id' must name one of the flow's actions.");
  }
}
