import { Form } from "@remix-run/react";
import { Box, Button, InlineGrid, InlineStack, Select, TextField } from "@shopify/polaris";
import { useState } from "react";
import { en } from "../../admin/strings/en";

const CHANNELS = ["web_chat", "email", "sms", "whatsapp"] as const;

export interface InboxFilterValues {
  status?: string;
  channel?: string;
  skill?: string;
  tag?: string;
  from?: string;
  to?: string;
  q?: string;
}

/** A plain GET form: the filters live in the address, so a filtered inbox can be bookmarked, shared and reloaded. */
export function InboxFilters({ values, skills, tags }: { values: InboxFilterValues; skills: string[]; tags: string[] }) {
  const text = en;
  const [q, setQ] = useState(values.q ?? "");
  const [channel, setChannel] = useState(values.channel ?? "");
  const [skill, setSkill] = useState(values.skill ?? "");
  const [tag, setTag] = useState(values.tag ?? "");
  const [from, setFrom] = useState(values.from ?? "");
  const [to, setTo] = useState(values.to ?? "");
  const any = { label: text.conversations.filters.any, value: "" };
  const filtered = Boolean(values.q || values.channel || values.skill || values.tag || values.from || values.to);

  return (
    <Form method="get" role="search" aria-label={text.conversations.title}>
      {values.status ? <input type="hidden" name="status" value={values.status} /> : null}
      <InlineGrid columns={{ xs: 1, sm: 2, md: 3, lg: 6 }} gap="300">
        <TextField label={text.conversations.filters.search} name="q" value={q} onChange={setQ} placeholder={text.conversations.filters.searchPlaceholder} autoComplete="off" />
        <Select label={text.conversations.filters.channel} name="channel" value={channel} onChange={setChannel} options={[any, ...CHANNELS.map((value) => ({ label: text.channels[value], value }))]} />
        <Select label={text.conversations.filters.skill} name="skill" value={skill} onChange={setSkill} options={[any, ...skills.map((value) => ({ label: value, value }))]} />
        <Select label={text.conversations.filters.tag} name="tag" value={tag} onChange={setTag} options={[any, ...tags.map((value) => ({ label: value, value }))]} />
        <TextField label={text.conversations.filters.from} name="from" type="date" value={from} onChange={setFrom} autoComplete="off" />
        <TextField label={text.conversations.filters.to} name="to" type="date" value={to} onChange={setTo} autoComplete="off" />
      </InlineGrid>
      <Box paddingBlockStart="300">
        <InlineStack gap="200" align="end">
          {filtered ? <Button url={values.status ? `/app/conversations?status=${values.status}` : "/app/conversations"}>{text.common.clearFilters}</Button> : null}
          <Button submit variant="primary">
            {text.conversations.filters.apply}
          </Button>
        </InlineStack>
      </Box>
    </Form>
  );
}
