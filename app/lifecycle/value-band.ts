/**
 * Value bands by trailing twelve-month net revenue: the customers who together bring the top
 * `largeShare` of the shop's revenue are large, those bringing the next `mediumShare` medium, the
 * rest small. Customers with equal revenue always share a band.
 */

export const VALUE_BANDS = ["small", "medium", "large"] as const;
export type ValueBand = (typeof VALUE_BANDS)[number];

export interface ValueBandSettings {
  largeShare: number;
  mediumShare: number;
}

export const DEFAULT_VALUE_BAND_SETTINGS: ValueBandSettings = { largeShare: 0.2, mediumShare: 0.3 };

export function valueBands(revenueById: ReadonlyMap<string, number>, settings: ValueBandSettings = DEFAULT_VALUE_BAND_SETTINGS): Map<string, ValueBand> {
  const entries = [...revenueById].sort((a, b) => b[1] - a[1]);
  const bands = new Map<string, ValueBand>();
  for (const { band, from, to } of bandRuns(
    entries.map(([, revenue]) => revenue),
    settings,
  ))
    for (let member = from; member < to; member += 1) bands.set(entries[member]![0], band);
  return bands;
}

/** Each run of equal revenue of `sorted` (highest first), from index `from` up to `to`, with its band. */
function* bandRuns(sorted: ArrayLike<number>, settings: ValueBandSettings): Generator<{ revenue: number; band: ValueBand; from: number; to: number }> {
  let total = 0;
  for (let index = 0; index < sorted.length; index += 1) total += Math.max(sorted[index]!, 0);
  let before = 0;
  for (let index = 0; index < sorted.length; ) {
    const revenue = sorted[index]!;
    let end = index;
    while (end < sorted.length && sorted[end] === revenue) end += 1;
    // The band is decided by the share of revenue above this group of equals.
    const shareAbove = total > 0 ? before / total : 1;
    const band: ValueBand =
      revenue <= 0 ? "small" : shareAbove < settings.largeShare ? "large" : shareAbove < settings.largeShare + settings.mediumShare ? "medium" : "small";
    yield { revenue, band, from: index, to: end };
    before += Math.max(revenue, 0) * (end - index);
    index = end;
  }
}

/** The lowest trailing revenue that made a customer large, and medium, in a full run. */
export interface ValueBandCutoffs {
  large: number | null;
  medium: number | null;
}

export function valueBandCutoffs(revenueById: ReadonlyMap<string, number>, bands: ReadonlyMap<string, ValueBand>): ValueBandCutoffs {
  const cutoffs: ValueBandCutoffs = { large: null, medium: null };
  for (const [id, revenue] of revenueById) {
    const band = bands.get(id);
    if (band === "large" || band === "medium") cutoffs[band] = cutoffs[band] === null ? revenue : Math.min(cutoffs[band]!, revenue);
  }
  return cutoffs;
}

export function bandAgainst(revenue: number, cutoffs: ValueBandCutoffs): ValueBand {
  if (revenue > 0 && cutoffs.large !== null && revenue >= cutoffs.large) return "large";
  if (revenue > 0 && cutoffs.medium !== null && revenue >= cutoffs.medium) return "medium";
  return "small";
}

/**
 * What valueBandCutoffs finds from a whole shop's bands, from its trailing revenues alone (sorted
 * highest first; customers without revenue may be left out, they are small and add nothing).
 */
export function valueBandCutoffsOfSorted(sorted: ArrayLike<number>, settings: ValueBandSettings): ValueBandCutoffs {
  const cutoffs: ValueBandCutoffs = { large: null, medium: null };
  // Highest first: the last run of a band holds its lowest revenue.
  for (const { revenue, band } of bandRuns(sorted, settings)) if (band === "large" || band === "medium") cutoffs[band] = revenue;
  return cutoffs;
}
