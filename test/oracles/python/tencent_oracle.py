"""Tencent's official Python SDK (tencentcloud-sdk-python-ssl) drives the emulator beside the Node SDK the jest
suites use: materials, order, letter, detail, list, cancel, resubmit, refund. Every reply is checked against the
types the SDK model declares (`:type` of each field); fields the model lacks fail unless the seed adds them."""
import base64
import json
import re
import time
import warnings

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.ssl.v20191205 import models, ssl_client

from common import CREDS, SEED, URL, check, control, done, expect, no_problems

tc = CREDS["tencent"]
http = HttpProfile(endpoint=URL.split("://", 1)[1], protocol="http")
http.scheme = "http"
client = ssl_client.SslClient(credential.Credential(tc["secretId"], tc["secretKey"]), "ap-guangzhou", ClientProfile(httpProfile=http))
# A seeded emulator may add fields a newer API version has (issue 19 part 3); an unseeded one must not.
EXTRA_ALLOWED = SEED != ""
TYPE_RE = re.compile(r":type (\w+): (.+)")
PRIM = {"str": (str,), "int": (int,), "bool": (bool,), "float": (int, float)}


def types_of(cls):
    return dict(TYPE_RE.findall(cls.__init__.__doc__ or ""))


def misfits(cls, data, where):
    out = []
    declared = types_of(cls)
    for key, value in data.items():
        t = declared.get(key)
        if t is None:
            if not EXTRA_ALLOWED:
                out.append(f"{where}.{key}: not in {cls.__name__}")
            continue
        if value is None:
            continue
        m = re.match(r"(list of )?(?::class:`[\w.]*?(\w+)`|(\w+))$", t.strip())
        is_list, name = bool(m and m.group(1)), (m.group(2) or m.group(3)) if m else t
        items = value if is_list else [value]
        if is_list and not isinstance(value, list):
            out.append(f"{where}.{key}: list expected, got {type(value).__name__}")
            continue
        for i, v in enumerate(items):
            w = f"{where}.{key}" + (f"[{i}]" if is_list else "")
            if v is None:
                continue
            if name in PRIM:
                if not isinstance(v, PRIM[name]) or (name == "int" and isinstance(v, bool)):
                    out.append(f"{w}: {name} expected, got {json.dumps(v)[:60]}")
            elif hasattr(models, name):
                if isinstance(v, dict):
                    out.extend(misfits(getattr(models, name), v, w))
                else:
                    out.append(f"{w}: object {name} expected, got {type(v).__name__}")
    return out


def call(action, params):
    """One call through the SDK's own transport and signing; the raw reply checked, then parsed into its model."""
    raw = client.call_json(action, params)["Response"]
    cls = getattr(models, f"{action}Response")
    no_problems(misfits(cls, raw, action))
    resp = cls()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        resp._deserialize(raw)
    return resp


MATERIALS = {
    "GenCsrType": "online", "CertCommonName": "www.example.com", "CompanyType": 2, "CompanyId": "0", "CsrKeyParameter": "2048",
    "CsrEncryptAlgo": "RSA", "DnsNames": ["example.com"], "OrgOrganization": "Example Ltd", "OrgDivision": "IT",
    "OrgAddress": "1 Road", "OrgCountry": "CN", "OrgCity": "Beijing", "OrgRegion": "Beijing", "OrgPhoneArea": "010",
    "OrgPhoneNumber": "12345678", "VerifyType": "DNS", "AdminFirstName": "Ning", "AdminLastName": "Huang",
    "AdminPhone": "13112341234", "AdminEmail": "ssl@example.com", "AdminTitle": "R&D", "TechFirstName": "Ning",
    "TechLastName": "Huang", "TechPhone": "13112341234", "TechTitle": "R&D",
}
PDF = base64.b64encode(b"%PDF-1.4\n" + b" " * 4096).decode()
state = {}


def settle(cid, want, tries=40):
    """Reads until the status is one of `want` (a seeded emulator shows 6 for a while before 7), 5 reads a second."""
    for _ in range(tries):
        d = call("DescribeCertificateDetail", {"CertificateId": cid})
        if d.Status in want:
            return d
        time.sleep(0.2)
    raise AssertionError(f"status {d.Status} never reached {want}")


def seed(**over):
    body = {"productType": "ev", "requiresLetter": True, "domainCount": 2}
    body.update(over)
    return control("tencent/seed", body)["certificateId"]


def materials_and_order():
    cid = seed()
    r = call("CertificateInfoSubmit", dict(CertId=cid, **MATERIALS))
    expect(isinstance(r.RequestId, str), "RequestId")
    d = call("DescribeCertificateDetail", {"CertificateId": cid})
    expect(d.Status == 5, f"after materials: {d.Status}")
    o = call("CertificateOrderSubmit", {"CertId": cid, "DeleteDnsAutoRecord": 0, "VerifyType": "DNS"})
    expect(o.OrderId and o.Status in (8, 0, 4), f"order: {o.OrderId} {o.Status}")
    state["letter"] = cid


def letter():
    cid = state["letter"]
    settle(cid, (8,))
    r = call("UploadConfirmLetter", {"CertificateId": cid, "ConfirmLetter": PDF})
    expect(r.IsSuccess is True and r.CertificateId == cid, f"{r.IsSuccess} {r.CertificateId}")


def letter_not_supported():
    cid = seed()
    call("CertificateInfoSubmit", dict(CertId=cid, **MATERIALS))
    call("CertificateOrderSubmit", {"CertId": cid, "DeleteDnsAutoRecord": 0, "VerifyType": "DNS"})
    settle(cid, (8,))
    control("tencent/settings", {"letterUploadSupported": False})
    try:
        client.UploadConfirmLetter(_letter_req(cid))
        raise AssertionError("accepted")
    except TencentCloudSDKException as e:
        expect(e.get_code() == "FailedOperation.UploadConfirmCertificateNotSupport", e.get_code())
    finally:
        control("tencent/settings", {"letterUploadSupported": True})


def _letter_req(cid):
    req = models.UploadConfirmLetterRequest()
    req.CertificateId = cid
    req.ConfirmLetter = PDF
    return req


def detail_and_issue():
    cid = state["letter"]
    control("tencent/dcv", {"certificateId": cid})
    d = settle(cid, (0, 4))
    expect(d.DvAuthDetail is not None, "DvAuthDetail while validating")
    control("tencent/issue", {"certificateId": cid})
    d = settle(cid, (1,))
    expect("BEGIN CERTIFICATE" in (d.CertificatePublicKey or ""), "CertificatePublicKey")
    expect(d.CertChainInfo is None or all(c.Fingerprint for c in d.CertChainInfo), "CertChainInfo")


def describe_certificate():
    r = call("DescribeCertificate", {"CertificateId": state["letter"]})
    expect(r.CertificateId == state["letter"] and r.Status == 1, f"{r.CertificateId} {r.Status}")


def cancel_resubmit_refund():
    cid = seed(productType="dv", requiresLetter=False, domainCount=1)
    call("CertificateInfoSubmit", dict(CertId=cid, **{**MATERIALS, "DnsNames": []}))
    call("CertificateOrderSubmit", {"CertId": cid, "DeleteDnsAutoRecord": 0, "VerifyType": "DNS"})
    settle(cid, (0, 4))
    r = call("CancelAuditCertificate", {"CertificateId": cid})
    expect(r.Result is True, f"Result {r.Result}")
    settle(cid, (7,))
    m = call("ModifyCertificateResubmit", {"CertificateId": cid})
    expect(m.CertificateId == cid, f"{m.CertificateId}")
    expect(call("DescribeCertificateDetail", {"CertificateId": cid}).Status == 5, "after resubmit: 5")
    c = call("CancelCertificateOrder", {"CertificateId": cid})
    expect(c.CertificateId == cid, f"{c.CertificateId}")


for name, fn in [("tencent CertificateInfoSubmit then CertificateOrderSubmit", materials_and_order),
                 ("tencent UploadConfirmLetter", letter),
                 ("tencent UploadConfirmLetter unmaintained: UploadConfirmCertificateNotSupport", letter_not_supported),
                 ("tencent DescribeCertificateDetail through validation and issuance", detail_and_issue),
                 ("tencent DescribeCertificate", describe_certificate),
                 ("tencent CancelAuditCertificate, ModifyCertificateResubmit, CancelCertificateOrder", cancel_resubmit_refund)]:
    check(name, fn)
done()
