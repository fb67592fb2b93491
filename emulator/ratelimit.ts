/**
 * Fixed one-second windows per key, aligned to calendar seconds of the emulator clock: how the emulated APIs
 * enforce their request rates. Inferred: no cloud document says how its window is aligned (Huawei's gateway
 * reply says only "limit:N,time:1 second"); calendar seconds are the strictest reading for a client that
 * bursts, since two bursts a second apart that straddle a boundary land in one window. A request counts in the
 * second it was taken in (`EmulatorRequest.receivedAt`), the same instant its log entry carries.
 */
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
