import { Form, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Layout } from "@shopify/polaris";
import type { ReactNode, RefObject } from "react";
import { en } from "../admin/strings/en";
import type { FieldErrors } from "../settings/sections";

/** An action's answer for one section of a settings page. */
export type SectionResult = { section: string; ok: true; message?: string; warning?: string } | { section: string; ok: false; fieldErrors: FieldErrors };

/** The first error of a field in this section's answer, for a Polaris field's `error` prop. */
export function fieldError(result: SectionResult | undefined, section: string, field: string): string | undefined {
  return result && result.section === section && !result.ok ? result.fieldErrors[field]?.join(" ") : undefined;
}

/**
 * One section of a settings page, in Polaris's annotated layout: its own form (so saving it never touches what the
 * merchant is typing elsewhere), its save button, and its outcome above the fields. Fields are controlled by the
 * page, so a refused save keeps what was typed.
 */
export function SettingsSection({
  intent,
  title,
  description,
  result,
  children,
  secondaryAction,
  formRef,
}: {
  intent: string;
  title: string;
  description?: string;
  result: SectionResult | undefined;
  children: ReactNode;
  secondaryAction?: ReactNode;
  formRef?: RefObject<HTMLFormElement>;
}) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
  const mine = result?.section === intent ? result : undefined;
  return (
    <Layout.AnnotatedSection id={`section-${intent}`} title={title} description={description}>
      <Card>
        <Form method="post" ref={formRef} aria-label={title}>
          <input type="hidden" name="intent" value={intent} />
          <BlockStack gap="400">
            {mine && !mine.ok ? <Banner tone="critical">{en.common.fixErrors}</Banner> : null}
            {mine?.ok && mine.message ? <Banner tone="success">{mine.message}</Banner> : null}
            {mine?.ok && mine.warning ? <Banner tone="warning">{mine.warning}</Banner> : null}
            {children}
            <InlineStack gap="200">
              <Button submit variant="primary" loading={busy}>
                {en.common.save}
              </Button>
              {secondaryAction}
            </InlineStack>
          </BlockStack>
        </Form>
      </Card>
    </Layout.AnnotatedSection>
  );
}
