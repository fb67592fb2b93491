// Command pulumi-language-python is certapply's stand-in for Pulumi's Python language host that only generates
// SDKs (GeneratePackage), with github.com/pulumi/pulumi/pkg/v3/codegen/python.
package main

import (
	pygen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"certapply/test/languages/codegen/internal/host"
)

func main() {
	host.Serve("pulumi-language-python", func(pkg *schema.Package, loader schema.ReferenceLoader, req *pulumirpc.GeneratePackageRequest) (map[string][]byte, error) {
		return pygen.GeneratePackage("pulumi-language-python", pkg, req.ExtraFiles, loader)
	})
}
