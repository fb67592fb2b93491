/**
 * `npm run test:faults`: the seeded fault runs through Pulumi's provider host: create, update, resubmit and delete of
 * 50 applications per cloud, Tencent and Huawei purchases, renewals on all three clouds (0 lost, 0 double orders, 0
 * double purchases or renewals under faults). They take several minutes, so `npm test` leaves them out and CI
 * (`.ci/run`) runs them beside it.
 */
const { projects } = require("./jest.config.js");

const unseeded = projects.find((p) => p.displayName === "unseeded");

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 300000,
  maxWorkers: 2,
  projects: [
    {
      ...unseeded,
      displayName: "fault runs",
      testPathIgnorePatterns: ["/node_modules/"],
      testMatch: ["**/test/faults/{tencent,huawei,edgecast,tencent-purchase,huawei-purchase,huawei-renewal,edgecast-renewal}.test.ts"],
    },
  ],
};
