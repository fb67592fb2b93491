// Edgecast's official Go SDK (github.com/EdgeCast/ec-sdk-go v1.2.0, its cps package) drives the emulator: create,
// get, find, status at every step of the workflow, notifications, patch, DCV, retrigger, renew, cancel and delete,
// for a DV request with DNS TXT tokens and an OV request with DNS CNAME tokens and an organization. Each typed
// reply must decode into the SDK's model and pass the model's own Validate (its enums: request, order, domain and
// validation statuses, delivery regions, platforms; its date-time formats). Prints one PASS/FAIL line per check,
// then "N passed, N failed".
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/EdgeCast/ec-sdk-go/edgecast"
	"github.com/EdgeCast/ec-sdk-go/edgecast/cps"
	"github.com/EdgeCast/ec-sdk-go/edgecast/cps/certificate"
	"github.com/EdgeCast/ec-sdk-go/edgecast/cps/dcv"
	"github.com/EdgeCast/ec-sdk-go/edgecast/cps/models"
	"github.com/go-openapi/strfmt"
)

var (
	base    = os.Getenv("CERTAPPLY_EMULATOR_URL")
	svc     *cps.CpsService
	passed  int
	failed  int
	seedTag = os.Getenv("CERTAPPLY_EMULATOR_SEED")
)

type validator interface{ Validate(strfmt.Registry) error }

func check(name string, fn func() error) {
	if err := fn(); err != nil {
		failed++
		// one line each: the runner reads PASS/FAIL lines (a model's validation error lists its failures over several)
		fmt.Printf("FAIL %s: %s\n", name, strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " "))
		return
	}
	passed++
	fmt.Printf("PASS %s\n", name)
}

func valid(v validator) error { return v.Validate(strfmt.Default) }

// control posts to the emulator's control API (`/_control/edgecast/<command>`).
func control(command string, body map[string]any) (map[string]any, error) {
	b, _ := json.Marshal(body)
	r, err := http.Post(base+"/_control/edgecast/"+command, "application/json", bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer r.Body.Close()
	out := map[string]any{}
	_ = json.NewDecoder(r.Body).Decode(&out)
	if r.StatusCode != 200 {
		return out, fmt.Errorf("control %s: %d %v", command, r.StatusCode, out)
	}
	return out, nil
}

func advance(id int64, times int) error {
	for i := 0; i < times; i++ {
		if _, err := control("advance", map[string]any{"id": id}); err != nil {
			return err
		}
	}
	return nil
}

var org = &models.OrganizationDetail{
	City: "Los Angeles", CompanyAddress: "1 Main St", CompanyName: "Oracle Test Co", ContactEmail: "admin@example.com",
	ContactFirstName: "Emily", ContactLastName: "Chen", ContactPhone: "+1 555 0100", ContactTitle: "Admin", Country: "US",
	State: "CA", ZipCode: "90001",
}

func create(label, method, validation string) (*certificate.CertificatePostCreated, error) {
	p := certificate.NewCertificatePostParams()
	p.Certificate = &models.CertificateCreate{
		AutoRenew: true, CertificateAuthority: "DigiCert", CertificateLabel: label, DcvMethod: method, ValidationType: validation,
		Description: "oracle " + label,
		Domains:     []*models.DomainCreateUpdate{{Name: "www.example.com", IsCommonName: true}, {Name: "example.com"}},
	}
	if validation != "DV" {
		p.Certificate.Organization = org
	}
	r, err := svc.Certificate.CertificatePost(p)
	if err == nil {
		err = valid(&r.CdnProvidedCertificate)
	}
	return r, err
}

func get(id int64) (*certificate.CertificateGetOK, error) {
	p := certificate.NewCertificateGetParams()
	p.ID = id
	r, err := svc.Certificate.CertificateGet(p)
	if err == nil {
		err = valid(&r.CdnProvidedCertificate)
	}
	if err == nil && r.ID != id {
		err = fmt.Errorf("id %d, asked for %d", r.ID, id)
	}
	return r, err
}

func status(id int64) (*certificate.CertificateGetCertificateStatusOK, error) {
	p := certificate.NewCertificateGetCertificateStatusParams()
	p.ID = id
	r, err := svc.Certificate.CertificateGetCertificateStatus(p)
	if err == nil {
		err = valid(&r.CertificateStatus)
	}
	return r, err
}

// expectStatus reads /status and wants the request status and (when not "") the order status.
func expectStatus(id int64, want, order string) error {
	r, err := status(id)
	if err != nil {
		return err
	}
	if r.Status != want {
		return fmt.Errorf("status %q, want %q", r.Status, want)
	}
	if order != "" && (r.OrderValidation == nil || r.OrderValidation.Status != order) {
		return fmt.Errorf("order_validation %+v, want status %q", r.OrderValidation, order)
	}
	return nil
}

func domainIDs(c *models.CdnProvidedCertificate) string {
	ids := []string{}
	for _, d := range c.Domains {
		ids = append(ids, fmt.Sprint(d.ID))
	}
	return strings.Join(ids, ",")
}

func dcvDetails(id int64, method string) error {
	c, err := get(id)
	if err != nil {
		return err
	}
	ids := domainIDs(&c.CdnProvidedCertificate)
	p := dcv.NewDcvGetCertificateDomainDetailsParams()
	p.ID = id
	p.DomainIds = &ids
	r, err := svc.Dcv.DcvGetCertificateDomainDetails(p)
	if err != nil {
		return err
	}
	if err := valid(&r.HyperionCollectionDomainDcvFull); err != nil {
		return err
	}
	if len(r.Items) != 2 {
		return fmt.Errorf("items %+v", r.Items)
	}
	for _, it := range r.Items {
		if it.DcvMethod != method || it.DcvToken == nil || it.DcvToken.Token == "" {
			return fmt.Errorf("item %+v (token %+v), want %s with a token", it, it.DcvToken, method)
		}
	}
	return nil
}

func main() {
	apiURL, _ := url.Parse(base)
	cfg := edgecast.NewSDKConfig()
	cfg.BaseAPIURL = *apiURL
	cfg.BaseIDSURL = *apiURL
	var creds struct {
		Edgecast struct{ ClientID, ClientSecret string } `json:"edgecast"`
	}
	if err := json.Unmarshal([]byte(os.Getenv("CERTAPPLY_EMULATOR_CREDENTIALS")), &creds); err != nil {
		fmt.Println("FAIL edgecast credentials:", err)
		os.Exit(1)
	}
	cfg.IDSCredentials = edgecast.IDSCredentials{ClientID: creds.Edgecast.ClientID, ClientSecret: creds.Edgecast.ClientSecret, Scope: "sec.cps.certificates"}
	var err error
	if svc, err = cps.New(cfg); err != nil {
		fmt.Println("FAIL edgecast cps.New:", err)
		os.Exit(1)
	}

	// A DV request validated by DNS TXT tokens, through issuance and a manual renewal.
	var id int64
	label := "oracle-www-" + seedTag
	check("edgecast CertificatePost (create, DV, DnsTxtToken)", func() error {
		r, err := create(label, "DnsTxtToken", "DV")
		if err != nil {
			return err
		}
		id = r.ID
		if r.ID <= 0 || r.CertificateLabel != label || !r.AutoRenew || len(r.Domains) != 2 {
			return fmt.Errorf("reply %+v", r.CdnProvidedCertificate)
		}
		return nil
	})
	check("edgecast CertificateGet while Processing", func() error { _, err := get(id); return err })
	check("edgecast CertificateGetCertificateStatus while Processing", func() error { return expectStatus(id, "Processing", "") })
	check("edgecast CertificateFind by label", func() error {
		p := certificate.NewCertificateFindParams()
		q := "certificate_label:" + label
		p.Query = &q
		r, err := svc.Certificate.CertificateFind(p)
		if err != nil {
			return err
		}
		if err := valid(&r.HyperionCollectionCdnProvidedCertificateWithoutOrg); err != nil {
			return err
		}
		for _, it := range r.Items {
			if it.ID == id {
				return nil
			}
		}
		return fmt.Errorf("request %d not listed: %+v", id, r.Items)
	})
	check("edgecast CertificateUpdateRequestNotifications then CertificateGetRequestNotifications", func() error {
		u := certificate.NewCertificateUpdateRequestNotificationsParams()
		u.ID = id
		u.Notifications = []*models.EmailNotification{{NotificationType: "PendingValidations", Enabled: true, Emails: []string{"ops@example.com"}}}
		ur, err := svc.Certificate.CertificateUpdateRequestNotifications(u)
		if err != nil {
			return err
		}
		if err := valid(&ur.HyperionCollectionEmailNotification); err != nil {
			return err
		}
		p := certificate.NewCertificateGetRequestNotificationsParams()
		p.ID = id
		r, err := svc.Certificate.CertificateGetRequestNotifications(p)
		if err != nil {
			return err
		}
		if err := valid(&r.HyperionCollectionEmailNotification); err != nil {
			return err
		}
		for _, n := range r.Items {
			if n.NotificationType == "PendingValidations" && n.Enabled && len(n.Emails) == 1 {
				return nil
			}
		}
		return fmt.Errorf("notifications %+v", r.Items)
	})
	check("edgecast CertificatePatch (description)", func() error {
		p := certificate.NewCertificatePatchParams()
		p.ID = id
		p.CertificateRequest = &models.CertificateUpdate{Description: "patched by the oracle"}
		r, err := svc.Certificate.CertificatePatch(p)
		if err != nil {
			return err
		}
		if err := valid(&r.CdnProvidedCertificate); err != nil {
			return err
		}
		if r.Description != "patched by the oracle" {
			return fmt.Errorf("description %q", r.Description)
		}
		return nil
	})
	check("edgecast status DomainControlValidation, order Pending", func() error {
		if err := advance(id, 1); err != nil {
			return err
		}
		return expectStatus(id, "DomainControlValidation", "Pending")
	})
	check("edgecast DcvGetCertificateDomainDetails (DnsTxtToken)", func() error { return dcvDetails(id, "DnsTxtToken") })
	check("edgecast CertificateGet and status after a DCV timeout", func() error {
		if _, err := control("timeout", map[string]any{"id": id}); err != nil {
			return err
		}
		if _, err := get(id); err != nil {
			return err
		}
		return expectStatus(id, "DomainControlValidation", "")
	})
	check("edgecast CertificatePutRetrigger after a DCV timeout", func() error {
		p := certificate.NewCertificatePutRetriggerParams()
		p.ID = id
		if _, err := svc.Certificate.CertificatePutRetrigger(p); err != nil {
			return err
		}
		return expectStatus(id, "Processing", "")
	})
	check("edgecast status Deployment, order Issued; CertificateGet of the issued request", func() error {
		if err := advance(id, 2); err != nil {
			return err
		}
		if err := expectStatus(id, "Deployment", "Issued"); err != nil {
			return err
		}
		r, err := get(id)
		if err != nil {
			return err
		}
		if r.Thumbprint == "" || time.Time(r.ExpirationDate).Before(time.Now()) {
			return fmt.Errorf("issued request without thumbprint or expiration: %+v", r.CdnProvidedCertificate)
		}
		for _, d := range r.Deployments {
			if d.Platform == "HttpLarge" && d.HexURL != "" {
				return nil
			}
		}
		return fmt.Errorf("no HttpLarge deployment with a hex_url: %+v", r.Deployments)
	})
	check("edgecast status Active", func() error {
		if err := advance(id, 1); err != nil {
			return err
		}
		return expectStatus(id, "Active", "Issued")
	})
	check("edgecast CertificatePutRenewal of an issued certificate", func() error {
		p := certificate.NewCertificatePutRenewalParams()
		p.ID = id
		if _, err := svc.Certificate.CertificatePutRenewal(p); err != nil {
			return err
		}
		if _, err := get(id); err != nil {
			return err
		}
		r, err := status(id)
		if err != nil {
			return err
		}
		if r.OrderValidation == nil || r.OrderValidation.Status != "PendingRenewal" {
			return fmt.Errorf("after renew: %+v", r.OrderValidation)
		}
		return nil
	})

	// An OV request validated by DNS CNAME tokens, with an organization; cancelled, then deleted.
	var other int64
	check("edgecast CertificatePost (create, OV, DnsCnameToken, organization)", func() error {
		c, err := create(label+"-ov", "DnsCnameToken", "OV")
		if err != nil {
			return err
		}
		other = c.ID
		if c.Organization == nil || c.Organization.CompanyName != org.CompanyName {
			return fmt.Errorf("organization %+v", c.Organization)
		}
		return nil
	})
	check("edgecast DcvGetCertificateDomainDetails (DnsCnameToken)", func() error {
		if err := advance(other, 1); err != nil {
			return err
		}
		return dcvDetails(other, "DnsCnameToken")
	})
	check("edgecast status OtherValidation of an OV request", func() error {
		if err := advance(other, 1); err != nil {
			return err
		}
		if err := expectStatus(other, "OtherValidation", "Pending"); err != nil {
			return err
		}
		_, err := get(other)
		return err
	})
	check("edgecast CertificateCancel (apply=true)", func() error {
		p := certificate.NewCertificateCancelParams()
		p.ID = other
		p.Apply = true
		if _, err := svc.Certificate.CertificateCancel(p); err != nil {
			return err
		}
		return expectStatus(other, "OtherValidation", "Canceled")
	})
	check("edgecast CertificateDelete of the cancelled request", func() error {
		p := certificate.NewCertificateDeleteParams()
		p.ID = other
		if _, err := svc.Certificate.CertificateDelete(p); err != nil {
			return err
		}
		if err := expectStatus(other, "Deleted", ""); err != nil {
			return err
		}
		_, err := get(other)
		return err
	})
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}
