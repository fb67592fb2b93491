"""Huawei's official Python SDK (huaweicloudsdkscm + huaweicloudsdkcore) drives the emulator: IAM domain discovery,
apply, show, list, cancel-cert, export, certificate tags, purchase (buy), certificates by tag, unsubscribe. Each
typed reply is checked against the SDK model."""
from huaweicloudsdkcore.auth.credentials import GlobalCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkcore.region.region import Region
from huaweicloudsdkscm.v3 import ScmClient
from huaweicloudsdkscm.v3.model import (
    ApplyCertificateRequest, ApplyCertificateRequestBody, CancelCertificateRequestRequest, CreateCertificateTagRequest,
    CreateCertificateTagRequestBody, ExportCertificateRequest, ListCertificatesRequest, ListTagsByCertificateRequest,
    ScsResourceTag, ShowCertificateRequest, SubscribeCertificateRequest, PurchaseCertificateRequestBody,
    ListCertificatesByTagRequest, ListCertificatesByTagRequestBody, ScsTag, UnsubscribeCertificateRequest,
)

from common import CREDS, URL, check, control, done, expect, no_problems, typed

MODELS = "huaweicloudsdkscm.v3.model"
hw = CREDS["huawei"]
config = HttpConfig.get_default_config()
config.retry_times = 0
# No domain id: the SDK looks it up with IAM KeystoneListAuthDomains, as it does for a global service.
credentials = GlobalCredentials(hw["accessKey"], hw["secretKey"]).with_iam_endpoint(URL)
# A region pointing at the emulator: with a region the builder resolves the domain id before the first call.
client = ScmClient.new_builder().with_http_config(config).with_credentials(credentials).with_region(Region("ap-southeast-1", URL)).build()
state = {}


def body(**over):
    b = dict(domain="www.example.com", sans="example.com", applicant_name="Emily_Chen", applicant_phone="13212345678",
             applicant_email="emily@example.com", domain_method="DNS", agree_privacy_protection=True)
    b.update(over)
    return ApplyCertificateRequestBody(**b)


def seed():
    return control("huawei/seed", {})["certificateId"]


def iam_discovery():
    cid = seed()
    r = client.show_certificate(ShowCertificateRequest(certificate_id=cid))
    expect(r.status == "PAID", f"status {r.status}")
    expect(credentials.domain_id == hw["domainId"], f"domain id discovered {credentials.domain_id!r}")
    no_problems(typed(MODELS, r))
    state["id"] = cid


def apply():
    r = client.apply_certificate(ApplyCertificateRequest(certificate_id=state["id"], body=body()))
    expect(r.request_info == "success", f"request_info {r.request_info!r}")
    no_problems(typed(MODELS, r))


def show():
    r = client.show_certificate(ShowCertificateRequest(certificate_id=state["id"]))
    expect(r.status in ("CHECKING", "CHECKING_DOMAIN"), f"status {r.status}")
    expect(r.domain == "www.example.com", f"domain {r.domain}")
    expect(r.application_info is None or r.application_info.applicant_name == "Emily_Chen", "applicant_name")
    for a in r.authentification or []:
        expect(a.record_name and a.record_value is not None, f"record {a}")
    no_problems(typed(MODELS, r))


def applicant_name_refused():
    cid = seed()
    try:
        client.apply_certificate(ApplyCertificateRequest(certificate_id=cid, body=body(applicant_name="Emily Chen")))
        raise AssertionError("a space in applicant_name was accepted")
    except ClientRequestException as e:
        expect(e.status_code == 400 and e.error_code == "SCM.0005", f"{e.status_code} {e.error_code}")


def list_certificates():
    r = client.list_certificates(ListCertificatesRequest(limit=10, offset=0, sort_dir="DESC"))
    expect(isinstance(r.total_count, int) and r.total_count >= 1, f"total_count {r.total_count}")
    expect(any(c.id == state["id"] for c in r.certificates or []), "the applied certificate is listed")
    no_problems(typed(MODELS, r))


def cancel_cert():
    r = client.cancel_certificate_request(CancelCertificateRequestRequest(certificate_id=state["id"]))
    expect(r.cert_id == state["id"], f"cert_id {r.cert_id}")
    no_problems(typed(MODELS, r))
    s = client.show_certificate(ShowCertificateRequest(certificate_id=state["id"]))
    expect(s.status in ("CANCELCHECKING", "PAID"), f"after cancel-cert: {s.status}")


def tags():
    r = client.create_certificate_tag(CreateCertificateTagRequest(
        resource_id=state["id"], body=CreateCertificateTagRequestBody(tag=ScsResourceTag(key="certapply-owner", value="a1b2"))))
    no_problems(typed(MODELS, r))
    t = client.list_tags_by_certificate(ListTagsByCertificateRequest(resource_id=state["id"]))
    expect([(x.key, x.value) for x in t.tags or []] == [("certapply-owner", "a1b2")], f"tags {t.tags}")
    no_problems(typed(MODELS, t))


def export():
    cid = seed()
    client.apply_certificate(ApplyCertificateRequest(certificate_id=cid, body=body(key_algorithm="EC_P256")))
    control("huawei/issue", {"id": cid})
    r = client.export_certificate(ExportCertificateRequest(certificate_id=cid))
    expect("BEGIN CERTIFICATE" in (r.certificate or ""), "certificate PEM")
    expect("BEGIN CERTIFICATE" in (r.certificate_chain or ""), "chain PEM")
    expect("PRIVATE KEY" in (r.private_key or ""), "SCM generated the key: private_key")
    expect(r.entire_certificate == r.certificate + r.certificate_chain, "entire_certificate = certificate + chain")
    no_problems(typed(MODELS, r))
    s = client.show_certificate(ShowCertificateRequest(certificate_id=cid))
    expect(s.status == "ISSUED" and s.fingerprint, f"issued: {s.status}")
    no_problems(typed(MODELS, s))


def buy():
    r = client.subscribe_certificate(SubscribeCertificateRequest(body=PurchaseCertificateRequestBody(
        cert_brand="GEOTRUST", cert_type="DV_SSL_CERT", domain_type="MULTI_DOMAIN", effective_time=1, domain_numbers=2,
        order_number=1, agree_privacy_protection=True, is_auto_pay=True)))
    expect(r.order_id and len(r.cert or []) == 1 and len(r.cert[0].cert_id) == 16, f"buy reply {r}")
    no_problems(typed(MODELS, r))
    state["bought"] = r.cert[0].cert_id
    s = client.show_certificate(ShowCertificateRequest(certificate_id=state["bought"]))
    expect(s.status == "PAID" and s.type == "DV_SSL_CERT" and s.domain_count == 2, f"bought: {s.status} {s.type} {s.domain_count}")


def by_tag():
    client.create_certificate_tag(CreateCertificateTagRequest(
        resource_id=state["bought"], body=CreateCertificateTagRequestBody(tag=ScsResourceTag(key="certapply-purchase", value="p1"))))
    r = client.list_certificates_by_tag(ListCertificatesByTagRequest(resource_instances="resource_instances", body=ListCertificatesByTagRequestBody(
        action="filter", limit=50, offset=0, tags=[ScsTag(key="certapply-purchase", values=["p1"])])))
    expect([x.resource_id for x in r.resources or []] == [state["bought"]], f"tagged {r.resources}")
    d = r.resources[0].resource_detail
    expect(d.cert_brand == "GEOTRUST" and d.cert_type == "DV_SSL_CERT" and d.domain_num == 2 and d.purchase_period == 1, f"detail {d}")
    no_problems(typed(MODELS, r))
    u = client.list_certificates_by_tag(ListCertificatesByTagRequest(resource_instances="resource_instances", body=ListCertificatesByTagRequestBody(
        action="filter", limit=50, not_tags=[ScsTag(key="certapply-purchase", values=[])])))
    expect(state["bought"] not in [x.resource_id for x in u.resources or []], "not_tags leaves the tagged purchase out")
    no_problems(typed(MODELS, u))


def unsubscribe():
    r = client.unsubscribe_certificate(UnsubscribeCertificateRequest(cert_id=state["bought"]))
    expect(r.unsubscribe_results == "SUCCESS", f"unsubscribe_results {r.unsubscribe_results!r}")
    no_problems(typed(MODELS, r))
    try:
        client.show_certificate(ShowCertificateRequest(certificate_id=state["bought"]))
        raise AssertionError("an unsubscribed certificate is still there")
    except ClientRequestException as e:
        expect(e.status_code == 404, f"after unsubscribe: {e.status_code} {e.error_code}")


for name, fn in [("huawei IAM domain discovery (KeystoneListAuthDomains) then ShowCertificate", iam_discovery),
                 ("huawei ApplyCertificate", apply), ("huawei ShowCertificate after apply", show),
                 ("huawei applicant_name with a space is SCM.0005", applicant_name_refused),
                 ("huawei ListCertificates", list_certificates), ("huawei CancelCertificateRequest (cancel-cert)", cancel_cert),
                 ("huawei CreateCertificateTag and ListTagsByCertificate", tags), ("huawei ExportCertificate", export),
                 ("huawei SubscribeCertificate (buy)", buy), ("huawei ListCertificatesByTag (tags, not_tags)", by_tag),
                 ("huawei UnsubscribeCertificate", unsubscribe)]:
    check(name, fn)
done()
