import type { CloudEmulator, EmulatorRequest, EmulatorResponse, EmulatorShared } from "../types";

/** Placeholder: the Huawei API is not emulated yet. */
export class HuaweiEmulator implements CloudEmulator {
  readonly cloud = "huawei" as const;
  constructor(private readonly shared: EmulatorShared) {}
  match(_req: EmulatorRequest): string | undefined {
    void this.shared;
    return undefined;
  }
  async handle(_req: EmulatorRequest, _action: string): Promise<EmulatorResponse> {
    return { status: 501 };
  }
  faultResponse(): EmulatorResponse {
    return { status: 500 };
  }
  async control(): Promise<EmulatorResponse> {
    return { status: 501 };
  }
  reset(): void {}
}
