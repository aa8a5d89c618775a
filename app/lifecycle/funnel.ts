import { STAGES, type Stage } from "./model";

/**
 * Stage-to-stage conversion over a period, from the daily counts of who moved where.
 *
 * A step's rate is: of the customers who were in the step's stage at some point in the period
 * (there at its start, or arriving during it), the share who moved on to the step's target. It
 * needs only counts, so it reads the same from a day's history as from a year's.
 */

export interface TransitionCount {
  /** "" for a customer who was not a customer before. */
  fromStage: string;
  toStage: string;
  customers: number;
}

export type StepKind = "progress" | "winBack" | "loss";

export interface ConversionStepDefinition {
  key: string;
  kind: StepKind;
  from: readonly Stage[];
  to: Stage;
}

/** The steps the dashboard shows, in the order a customer would take them. */
export const CONVERSION_STEPS: readonly ConversionStepDefinition[] = [
  { key: "firstOrder", kind: "progress", from: ["prospect"], to: "new" },
  { key: "secondOrder", kind: "progress", from: ["new"], to: "developing" },
  { key: "becameLoyal", kind: "progress", from: ["developing"], to: "loyal" },
  { key: "becameAdvocate", kind: "progress", from: ["loyal"], to: "advocate" },
  { key: "wonBackAtRisk", kind: "winBack", from: ["at_risk"], to: "reactivated" },
  { key: "wonBackLapsed", kind: "winBack", from: ["lapsed"], to: "reactivated" },
  { key: "slippedAtRisk", kind: "loss", from: ["developing", "loyal", "advocate", "reactivated"], to: "at_risk" },
  { key: "lapsed", kind: "loss", from: ["new", "developing", "loyal", "advocate", "reactivated", "at_risk"], to: "lapsed" },
];

export interface ConversionStep extends ConversionStepDefinition {
  /** Customers in a `from` stage during the period. */
  base: number;
  moved: number;
  /** moved / base, or null when nobody was there to move. */
  rate: number | null;
}

export type StageCounts = Readonly<Partial<Record<Stage, number>>>;

/** Who passed through each stage in the period: there at the start, or arriving during it. */
export function stageBases(atStart: StageCounts, transitions: readonly TransitionCount[]): Record<Stage, number> {
  const bases = Object.fromEntries(STAGES.map((stage) => [stage, atStart[stage] ?? 0])) as Record<Stage, number>;
  for (const { fromStage, toStage, customers } of transitions) {
    if (fromStage !== toStage && toStage in bases) bases[toStage as Stage] += customers;
  }
  return bases;
}

export function conversionSteps(atStart: StageCounts, transitions: readonly TransitionCount[]): ConversionStep[] {
  const bases = stageBases(atStart, transitions);
  return CONVERSION_STEPS.map((step) => {
    const from = new Set<string>(step.from);
    const moved = transitions.filter((row) => from.has(row.fromStage) && row.toStage === step.to).reduce((sum, row) => sum + row.customers, 0);
    const base = step.from.reduce((sum, stage) => sum + bases[stage], 0);
    return { ...step, base, moved, rate: base > 0 ? moved / base : null };
  });
}

/** The forward step that loses the most customers: where the merchant's next campaign should go. */
export function biggestDropOff(steps: readonly ConversionStep[]): ConversionStep | null {
  let worst: ConversionStep | null = null;
  for (const step of steps) {
    if (step.kind !== "progress" || step.rate === null || step.base - step.moved <= 0) continue;
    if (!worst || step.rate < worst.rate! || (step.rate === worst.rate && step.base > worst.base)) worst = step;
  }
  return worst;
}

export interface StageDelta {
  stage: Stage;
  before: number;
  now: number;
  delta: number;
}

/** How each stage's head count moved between two dates, largest movements first; unchanged stages left out. */
export function stageDeltas(before: StageCounts, now: StageCounts): StageDelta[] {
  return STAGES.map((stage) => ({ stage, before: before[stage] ?? 0, now: now[stage] ?? 0 }))
    .map((row) => ({ ...row, delta: row.now - row.before }))
    .filter((row) => row.delta !== 0)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage));
}

/** The period's movements between two different stages, most customers first (arrivals of new customers included). */
export function topMovements(transitions: readonly TransitionCount[], limit: number): TransitionCount[] {
  const summed = new Map<string, TransitionCount>();
  for (const row of transitions) {
    if (row.fromStage === row.toStage) continue;
    const key = `${row.fromStage}>${row.toStage}`;
    const entry = summed.get(key) ?? { fromStage: row.fromStage, toStage: row.toStage, customers: 0 };
    entry.customers += row.customers;
    summed.set(key, entry);
  }
  return [...summed.values()]
    .sort((a, b) => b.customers - a.customers || `${a.fromStage}>${a.toStage}`.localeCompare(`${b.fromStage}>${b.toStage}`))
    .slice(0, limit);
}
