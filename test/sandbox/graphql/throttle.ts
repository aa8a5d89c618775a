import type { SandboxShopInfo } from "../store/model";

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** Points restored per second by plan (Shopify's GraphQL Admin rate limits; Basic counts as Standard). */
const RESTORE_RATE: Record<SandboxShopInfo["plan"], number> = {
  BASIC: 100,
  STANDARD: 100,
  ADVANCED: 200,
  PLUS: 1000,
};

const BUCKET_SIZE = 2000;

export function restoreRateFor(plan: SandboxShopInfo["plan"]): number {
  return RESTORE_RATE[plan];
}

/**
 * Shopify's leaky bucket for one shop+app: a request may run when the bucket holds its requested
 * cost; it is charged that, and refunded the difference once the actual cost is known. The clock
 * is injectable (milliseconds), so tests move time instead of sleeping.
 */
export class LeakyBucket {
  readonly maximumAvailable: number;
  readonly restoreRate: number;
  private available: number;
  private updatedAt: number;
  private readonly clock: () => number;

  constructor(options: { restoreRate: number; maximumAvailable?: number; now?: () => number }) {
    this.maximumAvailable = options.maximumAvailable ?? BUCKET_SIZE;
    this.restoreRate = options.restoreRate;
    this.clock = options.now ?? (() => performance.now());
    this.available = this.maximumAvailable;
    this.updatedAt = this.clock();
  }

  static forPlan(plan: SandboxShopInfo["plan"], options: { now?: () => number } = {}): LeakyBucket {
    return new LeakyBucket({ restoreRate: restoreRateFor(plan), now: options.now });
  }

  /** Takes `points` if the bucket holds them; otherwise takes nothing and answers false. */
  tryTake(points: number, at = this.clock()): boolean {
    this.refill(at);
    if (points > this.available) return false;
    this.available -= points;
    return true;
  }

  /** Gives back points charged but not spent (requested minus actual cost). */
  refund(points: number, at = this.clock()): void {
    this.refill(at);
    this.available = Math.min(this.maximumAvailable, this.available + points);
  }

  status(at = this.clock()): ThrottleStatus {
    this.refill(at);
    return {
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.restoreRate,
    };
  }

  private refill(at: number): void {
    const elapsed = Math.max(0, at - this.updatedAt) / 1000;
    this.available = Math.min(this.maximumAvailable, this.available + elapsed * this.restoreRate);
    this.updatedAt = Math.max(this.updatedAt, at);
  }
}

/** One bucket per shop+app, as Shopify keeps them; the lead's server holds one registry. */
export class LeakyBuckets {
  private readonly buckets = new Map<string, LeakyBucket>();

  constructor(private readonly options: { now?: () => number } = {}) {}

  bucketFor(shopDomain: string, appId: string, plan: SandboxShopInfo["plan"]): LeakyBucket {
    const key = `${shopDomain}\u0000${appId}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = LeakyBucket.forPlan(plan, this.options);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
