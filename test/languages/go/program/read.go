package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"example.com/pulumi-certapply/sdk/go/certapply"
)

// readProgram reads an existing application with the typed get (id `<cloud>/<applicationId>`, state from the
// schema's stateInputs) through an explicit provider whose settings are typed (numbers, a map of rates); the
// stack does not own the application, so destroying the stack leaves it.
func readProgram(ctx *pulumi.Context) error {
	settings := config.New(ctx, "certapply")
	provider, err := certapply.NewProvider(ctx, "typed", &certapply.ProviderArgs{
		TencentEndpoint:  pulumi.String(settings.Require("tencentEndpoint")),
		TencentSecretId:  pulumi.String(settings.Require("tencentSecretId")),
		TencentSecretKey: settings.RequireSecret("tencentSecretKey"),
		MaxRetries:       pulumi.Int(2),
		PollIntervalMs:   pulumi.Int(50),
		RateLimits:       pulumi.Float64Map{"tencent:DescribeCertificateDetail": pulumi.Float64(5)},
	})
	if err != nil {
		return err
	}
	existing, err := certapply.GetCertificateApplication(ctx, "existing",
		pulumi.ID("tencent/"+config.New(ctx, "").Require("certificateId")),
		&certapply.CertificateApplicationState{Cloud: certapply.CloudTencent}, pulumi.Provider(provider))
	if err != nil {
		return err
	}
	ctx.Export("applicationId", existing.ApplicationId)
	ctx.Export("status", existing.Status)
	ctx.Export("commonName", existing.CommonName)
	return nil
}
