/**
 * `npm run test:paid-faults`: the seeded fault runs of the paid lifecycle (Tencent and Huawei purchases, renewals on
 * all three clouds) through Pulumi's provider host: 0 double purchases and 0 double renewals under faults. They take
 * several minutes, so `npm test` leaves them out and CI (`.ci/run`) runs them beside it.
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
      displayName: "paid faults",
      testPathIgnorePatterns: ["/node_modules/"],
      testMatch: ["**/test/faults/{tencent-purchase,huawei-purchase,huawei-renewal,edgecast-renewal}.test.ts"],
    },
  ],
};
