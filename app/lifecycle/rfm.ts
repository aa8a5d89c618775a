/**
 * RFM: recency, frequency and monetary scores from 1 to 5 by quintiles within the shop, and
 * Shopify's eleven RFM group names for each combination.
 *
 * Scores use the mid-rank percentile — (customers strictly below + half of those tied) / all — so
 * tied customers always share a score whatever order they come in, and a store with one customer
 * puts them in the middle (3) rather than at an extreme.
 */

export const RFM_GROUPS = [
  "CHAMPIONS",
  "LOYAL",
  "ACTIVE",
  "NEEDS_ATTENTION",
  "PROMISING",
  "NEW",
  "AT_RISK",
  "PREVIOUSLY_LOYAL",
  "ALMOST_LOST",
  "DORMANT",
  "PROSPECTS",
] as const;
export type RfmGroup = (typeof RFM_GROUPS)[number];

export interface RfmInput {
  id: string;
  /** Days since the last purchase; null for a customer who never bought (a prospect). */
  daysSinceLastPurchase: number | null;
  purchases: number;
  netRevenueMinor: number;
}

export interface RfmScores {
  recency: number;
  frequency: number;
  monetary: number;
  group: RfmGroup;
}

/** Scores 1–5 for one measure, higher is better, ties sharing a score. */
export function quintileScores(values: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const scores = new Map<number, number>();
  for (const run of quintileRuns(sorted)) scores.set(run.value, run.score);
  return values.map((value) => scores.get(value)!);
}

/** Each run of equal values of `sorted` (lowest first) with the score its mid-rank percentile gets. */
function* quintileRuns(sorted: ArrayLike<number>): Generator<{ value: number; score: number }> {
  const n = sorted.length;
  for (let index = 0; index < n; ) {
    const value = sorted[index]!;
    let end = index;
    while (end < n && sorted[end] === value) end += 1;
    // Customers strictly below this value, and half of those equal to it.
    const midRank = (index + (end - index) / 2) / n;
    yield { value, score: Math.min(5, Math.floor(midRank * 5) + 1) };
    index = end;
  }
}

/**
 * The lowest value that reached each score, from one measure's values sorted lowest first: what
 * rfmCutoffs finds from a whole shop's scores, without holding a score per customer.
 */
export function quintileCutoffs(sorted: ArrayLike<number>): (number | null)[] {
  const cutoffs: (number | null)[] = [null, null, null, null, null];
  for (const { value, score } of quintileRuns(sorted)) cutoffs[score - 1] ??= value;
  return cutoffs;
}

/**
 * Shopify's group for a score combination. R is recency; FM is frequency and monetary together
 * (their rounded mean), as Shopify's descriptions pair "orders" with "spend":
 *
 * | R \ FM | 1–2          | 3               | 4        | 5                |
 * | 5      | NEW          | ACTIVE          | CHAMPIONS| CHAMPIONS        |
 * | 4      | PROMISING    | ACTIVE          | LOYAL    | LOYAL            |
 * | 3      | NEEDS_ATTENTION | NEEDS_ATTENTION | LOYAL | LOYAL            |
 * | 2      | ALMOST_LOST  | AT_RISK         | AT_RISK  | PREVIOUSLY_LOYAL |
 * | 1      | DORMANT      | AT_RISK         | AT_RISK  | PREVIOUSLY_LOYAL |
 *
 * Customers without orders are PROSPECTS.
 */
export function rfmGroup(recency: number, frequency: number, monetary: number): RfmGroup {
  const fm = Math.round((frequency + monetary) / 2);
  if (recency === 5) return fm >= 4 ? "CHAMPIONS" : fm === 3 ? "ACTIVE" : "NEW";
  if (recency === 4) return fm >= 4 ? "LOYAL" : fm === 3 ? "ACTIVE" : "PROMISING";
  if (recency === 3) return fm >= 4 ? "LOYAL" : "NEEDS_ATTENTION";
  if (fm === 5) return "PREVIOUSLY_LOYAL";
  if (fm >= 3) return "AT_RISK";
  return recency === 2 ? "ALMOST_LOST" : "DORMANT";
}

/** Scores every buyer of the shop against the others; prospects get no scores and the PROSPECTS group. */
export function scoreRfm(customers: readonly RfmInput[]): Map<string, RfmScores | { group: "PROSPECTS" }> {
  const buyers = customers.filter((customer) => customer.daysSinceLastPurchase !== null && customer.purchases > 0);
  // Fewer days since the last purchase is better: score the negated value.
  const recency = quintileScores(buyers.map((customer) => -customer.daysSinceLastPurchase!));
  const frequency = quintileScores(buyers.map((customer) => customer.purchases));
  const monetary = quintileScores(buyers.map((customer) => customer.netRevenueMinor));
  const result = new Map<string, RfmScores | { group: "PROSPECTS" }>();
  for (const customer of customers) result.set(customer.id, { group: "PROSPECTS" });
  buyers.forEach((customer, index) => {
    const scores = { recency: recency[index]!, frequency: frequency[index]!, monetary: monetary[index]! };
    result.set(customer.id, { ...scores, group: rfmGroup(scores.recency, scores.frequency, scores.monetary) });
  });
  return result;
}

/**
 * The lowest value that reached each score in a full run, per measure (recency as negated days).
 * One customer's scores can then be placed between two full runs without re-ranking the shop.
 */
export interface RfmCutoffs {
  recency: (number | null)[];
  frequency: (number | null)[];
  monetary: (number | null)[];
}

export function rfmCutoffs(inputs: readonly RfmInput[], scores: ReadonlyMap<string, RfmScores | { group: "PROSPECTS" }>): RfmCutoffs {
  const cutoffs: RfmCutoffs = { recency: [null, null, null, null, null], frequency: [null, null, null, null, null], monetary: [null, null, null, null, null] };
  const lower = (list: (number | null)[], score: number, value: number) => {
    const held = list[score - 1];
    if (held === null || held === undefined || value < held) list[score - 1] = value;
  };
  for (const input of inputs) {
    const score = scores.get(input.id);
    if (!score || !("recency" in score) || input.daysSinceLastPurchase === null) continue;
    lower(cutoffs.recency, score.recency, -input.daysSinceLastPurchase);
    lower(cutoffs.frequency, score.frequency, input.purchases);
    lower(cutoffs.monetary, score.monetary, input.netRevenueMinor);
  }
  return cutoffs;
}

/** The highest score whose cut-off the value reaches (1 below all of them). */
export function scoreAgainst(value: number, cutoffs: readonly (number | null)[]): number {
  for (let score = 5; score >= 2; score -= 1) {
    const cutoff = cutoffs[score - 1];
    if (cutoff !== null && cutoff !== undefined && value >= cutoff) return score;
  }
  return 1;
}

/** One customer's scores and group against the shop's cut-offs from the last full run. */
export function scoreOne(input: RfmInput, cutoffs: RfmCutoffs): RfmScores | { group: "PROSPECTS" } {
  if (input.daysSinceLastPurchase === null || input.purchases === 0) return { group: "PROSPECTS" };
  const recency = scoreAgainst(-input.daysSinceLastPurchase, cutoffs.recency);
  const frequency = scoreAgainst(input.purchases, cutoffs.frequency);
  const monetary = scoreAgainst(input.netRevenueMinor, cutoffs.monetary);
  return { recency, frequency, monetary, group: rfmGroup(recency, frequency, monetary) };
}
