import { BlockStack, InlineStack, Text } from "@shopify/polaris";
import { useId, useState } from "react";
import type { Stage } from "~/lifecycle/model";

/** One colour per stage, the same wherever stages are drawn; dark enough for lines on white. */
export const STAGE_COLOURS: Record<Stage, string> = {
  prospect: "#8a8a8a",
  new: "#2c6ecb",
  developing: "#0f8b8d",
  loyal: "#1f7a45",
  advocate: "#7e4fcf",
  at_risk: "#b27300",
  lapsed: "#c4320a",
  reactivated: "#c2185b",
};

const WIDTH = 720;
const HEIGHT = 260;
const PADDING = { top: 12, right: 16, bottom: 28, left: 52 };

export interface TrendPoint {
  day: string;
  counts: Partial<Record<Stage, number>>;
}

/**
 * Customers per stage over time as lines on a time axis (history points may be a week apart, live
 * ones a day), drawn as plain SVG so it renders on the server and needs no chart library. The
 * numbers behind it are in a table below for screen readers and anyone who wants them.
 */
export function StageTrendChart({
  points,
  stages,
  label,
  caption,
  tableLabel,
  dayLabel,
  formatDay,
  formatNumber,
}: {
  points: readonly TrendPoint[];
  stages: readonly Stage[];
  label: (stage: Stage) => string;
  caption: string;
  tableLabel: string;
  dayLabel: string;
  formatDay: (day: string) => string;
  formatNumber: (value: number) => string;
}) {
  const captionId = useId();
  // A stage can be hidden from the lines (its legend entry toggles it), and the scale follows what
  // is shown: lapsed customers often outnumber the rest so much that the other lines flatten.
  const [hidden, setHidden] = useState<ReadonlySet<Stage>>(new Set());
  const shown = stages.filter((stage) => !hidden.has(stage));
  const toggle = (stage: Stage) =>
    setHidden((current) => (current.has(stage) ? new Set([...current].filter((other) => other !== stage)) : new Set([...current, stage])));
  const times = points.map((point) => Date.parse(`${point.day}T00:00:00Z`));
  const first = Math.min(...times);
  const last = Math.max(...times);
  const max = niceMax(Math.max(1, ...points.flatMap((point) => shown.map((stage) => point.counts[stage] ?? 0))));
  const x = (time: number) => PADDING.left + ((time - first) / Math.max(last - first, 1)) * (WIDTH - PADDING.left - PADDING.right);
  const y = (value: number) => HEIGHT - PADDING.bottom - (value / max) * (HEIGHT - PADDING.top - PADDING.bottom);
  const ticks = [0, max / 4, max / 2, (3 * max) / 4, max];
  const dayTicks = [0, Math.floor((points.length - 1) / 2), points.length - 1].filter((index, position, all) => all.indexOf(index) === position);

  return (
    <BlockStack gap="300">
      <figure style={{ margin: 0 }}>
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-labelledby={captionId} data-testid="stage-trend-chart">
          {ticks.map((tick) => (
            <g key={tick}>
              <line x1={PADDING.left} x2={WIDTH - PADDING.right} y1={y(tick)} y2={y(tick)} stroke="#e3e3e3" />
              <text x={PADDING.left - 8} y={y(tick) + 4} textAnchor="end" fontSize="11" fill="#616161">
                {formatNumber(Math.round(tick))}
              </text>
            </g>
          ))}
          {dayTicks.map((index) => (
            <text
              key={index}
              x={x(times[index]!)}
              y={HEIGHT - 8}
              textAnchor={index === 0 ? "start" : index === points.length - 1 ? "end" : "middle"}
              fontSize="11"
              fill="#616161"
            >
              {formatDay(points[index]!.day)}
            </text>
          ))}
          {shown.map((stage) => (
            <polyline
              key={stage}
              fill="none"
              stroke={STAGE_COLOURS[stage]}
              strokeWidth="2"
              strokeLinejoin="round"
              points={points.map((point, index) => `${x(times[index]!).toFixed(1)},${y(point.counts[stage] ?? 0).toFixed(1)}`).join(" ")}
            />
          ))}
        </svg>
        <figcaption id={captionId}>
          <Text as="span" tone="subdued" variant="bodySm">
            {caption}
          </Text>
        </figcaption>
      </figure>
      <InlineStack gap="300" wrap>
        {stages.map((stage) => (
          <button
            key={stage}
            type="button"
            aria-pressed={!hidden.has(stage)}
            onClick={() => toggle(stage)}
            style={{ background: "none", border: 0, padding: 0, cursor: "pointer", opacity: hidden.has(stage) ? 0.45 : 1 }}
          >
            <InlineStack gap="100" blockAlign="center">
              <span aria-hidden style={{ display: "inline-block", width: 12, height: 3, background: STAGE_COLOURS[stage] }} />
              <Text as="span" variant="bodySm">
                {label(stage)}
              </Text>
            </InlineStack>
          </button>
        ))}
      </InlineStack>
      <details>
        <summary>
          <Text as="span" variant="bodySm">
            {tableLabel}
          </Text>
        </summary>
        <div style={{ overflowX: "auto" }}>
          <table style={{ borderCollapse: "collapse", fontSize: 12 }}>
            <thead>
              <tr>
                <th scope="col" style={{ textAlign: "start", padding: "4px 8px" }}>
                  {dayLabel}
                </th>
                {stages.map((stage) => (
                  <th key={stage} scope="col" style={{ textAlign: "end", padding: "4px 8px" }}>
                    {label(stage)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {points.map((point) => (
                <tr key={point.day}>
                  <th scope="row" style={{ textAlign: "start", padding: "4px 8px", fontWeight: "normal" }}>
                    {formatDay(point.day)}
                  </th>
                  {stages.map((stage) => (
                    <td key={stage} style={{ textAlign: "end", padding: "4px 8px" }}>
                      {formatNumber(point.counts[stage] ?? 0)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </BlockStack>
  );
}

/** A round axis maximum above `value`: 1, 2 or 5 times a power of ten. */
function niceMax(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
