//go:build tools

// Package tools pins the Pulumi CLI that `npm run setup:pulumi` builds (see go.mod for the version).
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
