import type * as pulumi from "@pulumi/pulumi";

/*
 * The objects handed to pulumi.dynamic.Resource. Pulumi serializes them into state as source text, so each
 * method only `require`s the installed provider at call time and delegates: the text stays small and stable,
 * holds no credential, and refresh/destroy run the installed code rather than code frozen in state.
 * The only captured value is the resource kind, a plain string.
 *
 * Each object is the whole export of its own module (application-provider.ts, letter-provider.ts). Pulumi
 * writes a captured module of an installed package as `require("certapply/dist/sdk/…")`, so from an npm
 * install `__provider` is that one reference (about 300 bytes) rather than these methods' source (2.5 KB).
 * The provider host decodes and re-encodes that text on every call, so its size is the host's memory.
 * From a checkout or a linked install (no node_modules in the path) Pulumi writes the methods out; both load.
 */
export function shim(kind: "application" | "letter"): pulumi.dynamic.ResourceProvider {
  return {
    configure: async function (req) {
      await require("certapply/provider").configure(req);
    },
    check: async function (olds, news) {
      return require("certapply/provider")[kind].check(olds, news);
    },
    diff: async function (id, olds, news) {
      return require("certapply/provider")[kind].diff(id, olds, news);
    },
    create: async function (inputs) {
      return require("certapply/provider")[kind].create(inputs);
    },
    read: async function (id, props) {
      return require("certapply/provider")[kind].read(id, props);
    },
    update: async function (id, olds, news) {
      return require("certapply/provider")[kind].update(id, olds, news);
    },
    delete: async function (id, props) {
      await require("certapply/provider")[kind].remove(id, props);
    },
  };
}
