import { createHash } from "node:crypto";

/**
 * What the emulator varies by seed, within what the official models leave open (issue 19, part 3; the idea is
 * Pebble's, which randomizes what the ACME spec allows): optional reply fields absent, null or empty; list order;
 * fields a newer API version adds; intermediate statuses the models list; how long a review takes; the language of
 * status messages. Each draw is a hash of the seed and a key naming the decision (cloud, action, target, field, how
 * many such draws came before), so one seed gives the same replies on every run. Without a seed nothing varies.
 */
export class Variation {
  private readonly counts = new Map<string, number>();

  constructor(readonly seed: number | undefined) {}

  /** True when the emulator varies (a seed is set). */
  get on(): boolean {
    return this.seed !== undefined;
  }

  /** A number in [0, 1) for `key`; repeated keys draw afresh (counted). */
  unit(key: string): number {
    const n = this.counts.get(key) ?? 0;
    this.counts.set(key, n + 1);
    const h = createHash("sha256").update(`${this.seed}|${key}|${n}`).digest();
    return h.readUInt32BE(0) / 2 ** 32;
  }

  /** An integer in [0, n). */
  pick(key: string, n: number): number {
    return Math.floor(this.unit(key) * n);
  }

  /** True with probability `p` (never without a seed). */
  chance(key: string, p: number): boolean {
    return this.on && this.unit(key) < p;
  }

  /** `list` in a drawn order (as given without a seed). */
  order<T>(key: string, list: readonly T[]): T[] {
    const out = [...list];
    if (!this.on) return out;
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = this.pick(`${key}|${i}`, i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /**
   * Optional fields of a reply object: each is kept, left out, null, or empty (`""`, `[]`) by draw. Only fields the
   * official model marks optional or "may return null" are passed here.
   */
  optional(key: string, obj: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
    if (!this.on) return obj;
    const out = { ...obj };
    for (const f of fields) {
      if (!(f in out)) continue;
      const v = out[f];
      switch (this.pick(`${key}|${f}`, 4)) {
        case 1:
          delete out[f];
          break;
        case 2:
          out[f] = null;
          break;
        case 3:
          out[f] = Array.isArray(v) ? [] : typeof v === "string" ? "" : v;
          break;
        default:
          break;
      }
    }
    return out;
  }

  /** Fields a newer API version could add (names no model has yet), on about half the replies. */
  extra(key: string): Record<string, unknown> {
    if (!this.chance(`${key}|extra`, 0.5)) return {};
    const n = this.pick(`${key}|extra-n`, 1000);
    return { [`NewField${n}`]: this.pick(`${key}|extra-kind`, 2) === 0 ? `v${n}` : { Nested: n, List: [n] } };
  }

  /** Huawei and Edgecast spell fields in snake_case: the same as `extra`, in their style. */
  extraSnake(key: string): Record<string, unknown> {
    if (!this.chance(`${key}|extra`, 0.5)) return {};
    const n = this.pick(`${key}|extra-n`, 1000);
    return { [`new_field_${n}`]: this.pick(`${key}|extra-kind`, 2) === 0 ? `v${n}` : { nested: n, list: [n] } };
  }

  /** An integer from `min` to `max` (`fixed` without a seed). */
  between(key: string, min: number, max: number, fixed: number): number {
    return this.on ? min + this.pick(key, max - min + 1) : fixed;
  }
}
