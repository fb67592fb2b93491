package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"example.com/pulumi-certapply/sdk/go/certapply"
)

// program declares a certificate application on Tencent Cloud SSL.
func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	app, err := certapply.NewCertificateApplication(ctx, "www", &certapply.CertificateApplicationArgs{
		Cloud:            certapply.CloudTencent,
		CertificateId:    pulumi.String(cfg.Require("certificateId")),
		CommonName:       pulumi.String("www.example.com"),
		ValidationMethod: certapply.ValidationMethodDns,
		Tencent:          &certapply.TencentSettingsArgs{ManagerId: pulumi.String("12345")},
		ResubmitTrigger:  pulumi.String(cfg.Get("resubmitTrigger")),
	}, pulumi.DeleteBeforeReplace(true))
	if err != nil {
		return err
	}
	ctx.Export("applicationId", app.ApplicationId)
	ctx.Export("status", app.Status)
	ctx.Export("resubmitCount", app.ResubmitCount)
	return nil
}
