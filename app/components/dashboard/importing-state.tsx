import { Box, Button, ProgressBar, SkeletonBodyText, Text } from "@shopify/polaris";
import { CardSection } from "~/components/sections";
import type { DashboardData } from "~/lifecycle-models/dashboard.server";
import type { DashboardFormats } from "./formats";

export function ImportingState({ backfill, formats }: { backfill: NonNullable<DashboardData["backfill"]>; formats: DashboardFormats }) {
  const { t, number } = formats;
  return (
    <CardSection title={t("dashboard.importing.heading")}>
      <Text as="p">{t("dashboard.importing.body")}</Text>
      <Text as="p" id="import-progress-label">
        {backfill.total === null
          ? t("home.sync.runningUnknownTotal", { done: number(backfill.done) })
          : t("home.sync.running", { done: number(backfill.done), total: number(backfill.total) })}
      </Text>
      <ProgressBar progress={backfill.total ? Math.min(100, (backfill.done / Math.max(backfill.total, 1)) * 100) : 0} ariaLabelledBy="import-progress-label" />
      <Box>
        <Button url="/app/sync" variant="plain">
          {t("dashboard.syncLink")}
        </Button>
      </Box>
      <SkeletonBodyText lines={3} />
    </CardSection>
  );
}
