import type { ApplicationBackend } from "../resources/backend";
import type { CloudName } from "../resources/types";
import { edgecastBackend } from "./edgecast";
import { huaweiBackend } from "./huawei";
import { tencentBackend } from "./tencent";

const backends: Record<CloudName, ApplicationBackend | undefined> = {
  tencent: tencentBackend,
  edgecast: edgecastBackend,
  huawei: huaweiBackend,
};

/** The backend of a cloud; throws a clear error for a cloud this build does not support yet. */
export function backendFor(cloud: CloudName): ApplicationBackend {
  const b = backends[cloud];
  if (!b) throw new Error(`cloud "${cloud}" is not supported by this version of certapply`);
  return b;
}

/** True when the cloud has a backend in this build. */
export function hasBackend(cloud: CloudName): boolean {
  return backends[cloud] !== undefined;
}
