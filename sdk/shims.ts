import type * as pulumi from "@pulumi/pulumi";

/*
 * The objects handed to pulumi.dynamic.Resource. Pulumi serializes them into state as source text, so each
 * method only `require`s the installed provider at call time and delegates: the text stays small and stable,
 * holds no credential, and refresh/destroy run the installed code rather than code frozen in state.
 * Keep these bodies free of captured variables.
 */

/** Provider shim of CertificateApplication. */
export const applicationProvider: pulumi.dynamic.ResourceProvider = {
  configure: async function (req) {
    await require("certapply/provider").configure(req);
  },
  check: async function (olds, news) {
    return require("certapply/provider").application.check(olds, news);
  },
  diff: async function (id, olds, news) {
    return require("certapply/provider").application.diff(id, olds, news);
  },
  create: async function (inputs) {
    return require("certapply/provider").application.create(inputs);
  },
  read: async function (id, props) {
    return require("certapply/provider").application.read(id, props);
  },
  update: async function (id, olds, news) {
    return require("certapply/provider").application.update(id, olds, news);
  },
  delete: async function (id, props) {
    await require("certapply/provider").application.remove(id, props);
  },
};

/** Provider shim of ConfirmLetter. */
export const letterProvider: pulumi.dynamic.ResourceProvider = {
  configure: async function (req) {
    await require("certapply/provider").configure(req);
  },
  check: async function (olds, news) {
    return require("certapply/provider").letter.check(olds, news);
  },
  diff: async function (id, olds, news) {
    return require("certapply/provider").letter.diff(id, olds, news);
  },
  create: async function (inputs) {
    return require("certapply/provider").letter.create(inputs);
  },
  read: async function (id, props) {
    return require("certapply/provider").letter.read(id, props);
  },
  update: async function (id, olds, news) {
    return require("certapply/provider").letter.update(id, olds, news);
  },
  delete: async function (id, props) {
    await require("certapply/provider").letter.remove(id, props);
  },
};
