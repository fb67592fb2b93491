import type * as pulumi from "@pulumi/pulumi";

/*
 * The objects handed to pulumi.dynamic.Resource. Pulumi serializes them into state as source text, so each
 * method only `require`s the installed provider at call time and delegates: the text stays small and stable,
 * holds no credential, and refresh/destroy run the installed code rather than code frozen in state.
 * The only captured value is the resource kind, a plain string.
 */
function shim(kind: "application" | "letter"): pulumi.dynamic.ResourceProvider {
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

/** Provider shim of CertificateApplication. */
export const applicationProvider = shim("application");
/** Provider shim of ConfirmLetter. */
export const letterProvider = shim("letter");
