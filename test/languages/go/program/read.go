package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"example.com/pulumi-certapply/sdk/go/certapply"
)

// readProgram reads an existing application with the typed get (id `<cloud>/<applicationId>`, state from the
// schema's stateInputs); the stack does not own it, so destroying the stack leaves it.
func readProgram(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	existing, err := certapply.GetCertificateApplication(ctx, "existing",
		pulumi.ID("tencent/"+cfg.Require("certificateId")),
		&certapply.CertificateApplicationState{Cloud: certapply.CloudTencent})
	if err != nil {
		return err
	}
	ctx.Export("applicationId", existing.ApplicationId)
	ctx.Export("status", existing.Status)
	ctx.Export("commonName", existing.CommonName)
	return nil
}
