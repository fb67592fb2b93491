/**
 * The bench's floor: a provider that does no work but pace its calls at the floor rate (10/s), loaded by
 * Pulumi's host in place of certapply's (pipeline.ts `floorPackage`). A no-op `up` through it holds as many
 * calls in flight, for as long, as one through certapply, so its host's peak RSS is Pulumi's host alone.
 */
import type * as pulumi from "@pulumi/pulumi";

const INTERVAL_MS = 100;
let next = 0;

/** Resolves at the next free slot of a 10-per-second schedule. */
function slot(): Promise<void> {
  const at = Math.max(Date.now(), next);
  next = at + INTERVAL_MS;
  return new Promise((resolve) => setTimeout(resolve, at - Date.now()));
}

const resource: pulumi.dynamic.ResourceProvider = {
  check: async (_olds, news) => ({ inputs: news }),
  diff: async () => {
    await slot();
    return { changes: false };
  },
  create: () => Promise.reject(new Error("the floor provider only answers no-op diffs")),
  read: async (id, props) => ({ id, props }),
};

export const configure = async (): Promise<void> => undefined;
export const application = resource;
export const letter = resource;
