import { Emulator } from "../../emulator/server";
import { tencentBackend } from "../../provider/clouds/tencent/backend";
import { CloudApiError } from "../../provider/http/errors";
import { MAX_THROTTLE_RETRIES } from "../../provider/http/transport";
import { setRateOverrides } from "../../provider/http/ratelimit";
import { makeCtx, tencentInputs, tencentConfig } from "./helpers";

const emulator = new Emulator();
let cfg: Record<string, string>;

beforeAll(async () => {
  await emulator.start();
  cfg = tencentConfig(emulator);
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.reset();
  setRateOverrides({ "tencent:*": 1000 });
});
afterEach(() => setRateOverrides({}));

const sends = (action: string) => emulator.log.filter((e) => e.action === action).length;

test.each(["CertificateInfoSubmit", "CertificateOrderSubmit"])(
  "a %s throttled every time is sent at most 1 + 20 times (README), then fails naming the fix; nothing applied",
  async (action) => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    emulator.injectFault({ cloud: "tencent", action, kind: "throttle", count: 1000 });
    emulator.clearLog();
    const err = (await tencentBackend.submit(makeCtx(cfg, [], { maxRetries: 4 }), tencentInputs(id)).catch((e: unknown) => e)) as CloudApiError;
    expect(err).toBeInstanceOf(CloudApiError);
    expect(err.transient).toBe(false);
    expect(err.message).toMatch(/refused for its rate 21 times in a row, so nothing was applied; .*certapply:rateLimits/);
    expect(sends(action)).toBe(1 + MAX_THROTTLE_RETRIES);
    expect(MAX_THROTTLE_RETRIES).toBe(20);
    // A throttle is a refusal, not a lost reply: no read-back between the resends or after them.
    expect(sends("DescribeCertificateDetail")).toBe(1);
    expect(emulator.tencent.state(id)).toMatchObject({ orderCount: 0 });
  },
  30_000,
);
