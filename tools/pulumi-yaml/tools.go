//go:build tools

// Package tools pins the YAML language host that `npm run setup:pulumi` builds (see go.mod for the version).
package tools

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
)
