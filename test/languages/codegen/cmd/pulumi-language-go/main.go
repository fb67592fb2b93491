// Command pulumi-language-go is certapply's stand-in for Pulumi's Go language host that only generates SDKs
// (GeneratePackage), with github.com/pulumi/pulumi/pkg/v3/codegen/go.
package main

import (
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"certapply/test/languages/codegen/internal/host"
)

func main() {
	host.Serve("pulumi-language-go", func(pkg *schema.Package, _ schema.ReferenceLoader, req *pulumirpc.GeneratePackageRequest) (map[string][]byte, error) {
		return gogen.GeneratePackage("pulumi-language-go", pkg, req.LocalDependencies)
	})
}
