/**
 * The bench's floor: a provider that does no work but pace its Diffs, loaded by Pulumi's host in place of
 * certapply's (pipeline.ts `floorPackage`). At 100 ms apart (10/s), a no-op `up` through it holds as many calls in
 * flight, for as long, as one through certapply, so its host's peak RSS is Pulumi's host alone; at 0 it answers at
 * once, so the wall time of a no-op `up` through it is the program's, Pulumi's host's and the harness's alone.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The provider module's exports (what `certapply/provider` exports, as the shims use it) for Diffs `intervalMs` apart. */
export function pacedAt(intervalMs: number): { configure: () => Promise<void>; application: pulumi.dynamic.ResourceProvider; letter: pulumi.dynamic.ResourceProvider } {
  let next = 0;
  /** Resolves at the next free slot of the schedule. */
  const slot = (): Promise<void> => {
    const at = Math.max(Date.now(), next);
    next = at + intervalMs;
    return new Promise((resolve) => setTimeout(resolve, at - Date.now()));
  };
  const resource: pulumi.dynamic.ResourceProvider = {
    check: async (_olds, news) => ({ inputs: news }),
    diff: async () => {
      if (intervalMs > 0) await slot();
      return { changes: false };
    },
    create: () => Promise.reject(new Error("the floor provider only answers no-op diffs")),
    read: async (id, props) => ({ id, props }),
  };
  return { configure: async () => undefined, application: resource, letter: resource };
}
