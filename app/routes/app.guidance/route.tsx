import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import { requireAdminShop } from "../../admin/require-admin-shop.server";
import { en } from "../../admin/strings/en";
import { RouteErrorBanner } from "../../components/RouteErrorBanner";
import { BrainCard, IdentityCard, SkillsCard, TimingCard, VoiceCard, WidgetCard } from "./cards";
import { guidanceValues, submitGuidance } from "./guidance.server";

export const meta: MetaFunction = () => [{ title: en.guidance.title }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdminShop(request);
  return guidanceValues(shop.id);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, admin } = await requireAdminShop(request);
  const form = await request.formData();
  const result = await submitGuidance(shop.id, admin, String(form.get("intent") ?? ""), form);
  return data(result, { status: result.ok ? 200 : 400 });
};

export default function Guidance() {
  const values = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = en.guidance;
  return (
    <Page title={t.title} subtitle={t.subtitle}>
      <BlockStack gap="500">
        <Layout>
          <IdentityCard values={values.identity} result={result} />
          <VoiceCard values={values.voice} result={result} />
          <SkillsCard values={values.skills} result={result} />
          <BrainCard values={values.brain} result={result} />
          <TimingCard values={values.timing} result={result} />
          <WidgetCard values={values.widget} result={result} />
        </Layout>
      </BlockStack>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBanner title={en.guidance.title} />;
}
