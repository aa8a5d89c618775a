import { BlockStack, Card, Link, Text } from "@shopify/polaris";
import { customersUrl, type DashboardFormats } from "./formats";

export function RecencyFrequencyGrid({ grid, formats }: { grid: number[][]; formats: DashboardFormats }) {
  const { t } = formats;
  const max = Math.max(1, ...grid.flat());
  const scores = [1, 2, 3, 4, 5];
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("dashboard.grid.heading")}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {t("dashboard.grid.explain")}
        </Text>
        <table style={{ borderCollapse: "separate", borderSpacing: 4, width: "100%", tableLayout: "fixed" }} data-testid="rf-grid">
          <thead>
            <tr>
              <td />
              {scores.map((r) => (
                <th key={r} scope="col" style={{ fontWeight: 500, fontSize: 12 }}>
                  {t("dashboard.grid.recency", { score: r })}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[...scores].reverse().map((f) => (
              <tr key={f}>
                <th scope="row" style={{ fontWeight: 500, fontSize: 12 }}>
                  {t("dashboard.grid.frequency", { score: f })}
                </th>
                {scores.map((r) => {
                  const customers = grid[f - 1]![r - 1]!;
                  const strength = customers / max;
                  return (
                    <td
                      key={r}
                      style={{
                        textAlign: "center",
                        padding: "8px 0",
                        borderRadius: 6,
                        background: `rgba(31, 122, 69, ${0.08 + 0.72 * strength})`,
                        color: strength > 0.55 ? "#fff" : "inherit",
                      }}
                    >
                      {customers > 0 ? (
                        <span data-testid={`rf-${r}-${f}`}>
                          <Link
                            url={customersUrl({ r, f })}
                            monochrome
                            removeUnderline
                            accessibilityLabel={t("dashboard.grid.cell", { customers: formats.number(customers), r, f })}
                          >
                            {formats.number(customers)}
                          </Link>
                        </span>
                      ) : (
                        <span data-testid={`rf-${r}-${f}`}>0</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </BlockStack>
    </Card>
  );
}
