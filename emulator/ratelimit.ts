/** Fixed one-second windows per key: how the emulated APIs enforce their documented request rates. */
export class RateWindows {
  private readonly windows = new Map<string, { second: number; count: number }>();

  /** Counts a request; false when `key` already had `perSecond` requests in the current second. */
  allow(key: string, perSecond: number, nowMs: number): boolean {
    const second = Math.floor(nowMs / 1000);
    const w = this.windows.get(key);
    if (!w || w.second !== second) {
      this.windows.set(key, { second, count: 1 });
      return true;
    }
    w.count += 1;
    return w.count <= perSecond;
  }

  reset(): void {
    this.windows.clear();
  }
}
