import type { ApplicationBackend } from "../resources/backend";
import type { CloudName } from "../resources/types";

/** Each cloud's backend loads on first use, so a stack that uses one cloud never loads the other two. */
const loaders: Record<CloudName, () => ApplicationBackend> = {
  tencent: () => (require("./tencent") as typeof import("./tencent")).tencentBackend,
  edgecast: () => (require("./edgecast") as typeof import("./edgecast")).edgecastBackend,
  huawei: () => (require("./huawei") as typeof import("./huawei")).huaweiBackend,
};

/** The backend of a cloud; throws a clear error for a cloud this build does not support yet. */
export function backendFor(cloud: CloudName): ApplicationBackend {
  if (!hasBackend(cloud)) throw new Error(`cloud "${cloud}" is not supported by this version of certapply`);
  return loaders[cloud]();
}

/** True when the cloud has a backend in this build. */
export function hasBackend(cloud: CloudName): boolean {
  return Object.prototype.hasOwnProperty.call(loaders, cloud);
}
