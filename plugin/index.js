// What Pulumi runs for this plugin directory: its Node.js language host starts
// `node @pulumi/pulumi/cmd/run-plugin <this directory> <engine address>`, which requires this file.
// It serves the provider and prints its port; the process lives as long as the gRPC server.
"use strict";
module.exports = require("../dist/provider/plugin.js").main(process.argv.slice(2));
