/**
 * A clock that moves only when told to: the shop, activity and the demo share one, so "now" is the
 * same for all of them and tests can jump days ahead.
 */
export class ManualClock {
  private current: number;

  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
    if (Number.isNaN(this.current)) throw new RangeError(`Not a date: ${String(start)}`);
  }

  readonly now = (): Date => new Date(this.current);

  readonly advance = (milliseconds: number): void => {
    if (milliseconds < 0) throw new RangeError("A clock only moves forward");
    this.current += milliseconds;
  };
}
