"""A certificate application on Tencent Cloud SSL, declared in Python."""
import pulumi
import pulumi_certapply as certapply

config = pulumi.Config()
app = certapply.CertificateApplication(
    "www",
    cloud="tencent",
    certificate_id=config.require("certificateId"),
    common_name="www.example.com",
    validation_method="DNS",
    tencent=certapply.TencentSettingsArgs(manager_id="12345"),
    resubmit_trigger=config.get("resubmitTrigger") or "",
    opts=pulumi.ResourceOptions(delete_before_replace=True),
)
pulumi.export("applicationId", app.application_id)
pulumi.export("status", app.status)
pulumi.export("resubmitCount", app.resubmit_count)
