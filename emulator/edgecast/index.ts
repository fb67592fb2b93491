import type { CloudEmulator, EmulatorRequest, EmulatorResponse, EmulatorShared } from "../types";

/** Placeholder: the Edgecast API is not emulated yet. */
export class EdgecastEmulator implements CloudEmulator {
  readonly cloud = "edgecast" as const;
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
