// Edgecast's official Go SDK (github.com/EdgeCast/ec-sdk-go, its cps package) drives the emulator: create, get,
// status, DCV, retrigger, renew, cancel and delete. Each typed reply must decode into the SDK's model and pass the
// model's own Validate (its enums and formats). Prints one PASS/FAIL line per check, then "N passed, N failed".
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"

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
		fmt.Printf("FAIL %s: %v\n", name, err)
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

func create(label, method string) (*certificate.CertificatePostCreated, error) {
	p := certificate.NewCertificatePostParams()
	p.Certificate = &models.CertificateCreate{
		AutoRenew: true, CertificateAuthority: "DigiCert", CertificateLabel: label, DcvMethod: method, ValidationType: "DV",
		Domains: []*models.DomainCreateUpdate{{Name: "www.example.com", IsCommonName: true}, {Name: "example.com"}},
	}
	return svc.Certificate.CertificatePost(p)
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

func domainIDs(id int64) (string, error) {
	st, err := control("state", map[string]any{"id": id})
	if err != nil {
		return "", err
	}
	ids := ""
	for _, d := range st["domains"].([]any) {
		if ids != "" {
			ids += ","
		}
		ids += fmt.Sprint(int64(d.(map[string]any)["id"].(float64)))
	}
	return ids, nil
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
	var id int64
	label := "oracle-www-" + seedTag
	check("edgecast CertificatePost (create)", func() error {
		r, err := create(label, "DnsTxtToken")
		if err != nil {
			return err
		}
		id = r.ID
		if r.ID <= 0 || r.CertificateLabel != label || !r.AutoRenew {
			return fmt.Errorf("reply %+v", r.CertificateRequestBase)
		}
		return valid(&r.CertificateRequestBase)
	})
	check("edgecast CertificateGet", func() error {
		p := certificate.NewCertificateGetParams()
		p.ID = id
		r, err := svc.Certificate.CertificateGet(p)
		if err != nil {
			return err
		}
		if r.ID != id {
			return fmt.Errorf("id %d", r.ID)
		}
		return valid(&r.CertificateRequestBase)
	})
	check("edgecast CertificateGetCertificateStatus", func() error {
		r, err := status(id)
		if err != nil {
			return err
		}
		if r.Status == "" {
			return fmt.Errorf("no status")
		}
		return nil
	})
	check("edgecast DcvGetCertificateDomainDetails", func() error {
		if _, err := control("advance", map[string]any{"id": id}); err != nil {
			return err
		}
		ids, err := domainIDs(id)
		if err != nil {
			return err
		}
		p := dcv.NewDcvGetCertificateDomainDetailsParams()
		p.ID = id
		p.DomainIds = &ids
		r, err := svc.Dcv.DcvGetCertificateDomainDetails(p)
		if err != nil {
			return err
		}
		if len(r.Items) != 2 || r.Items[0].DcvMethod != "DnsTxtToken" {
			return fmt.Errorf("items %+v", r.Items)
		}
		return valid(&r.HyperionCollectionDomainDcv)
	})
	check("edgecast CertificatePutRetrigger after a DCV timeout", func() error {
		if _, err := control("timeout", map[string]any{"id": id}); err != nil {
			return err
		}
		p := certificate.NewCertificatePutRetriggerParams()
		p.ID = id
		if _, err := svc.Certificate.CertificatePutRetrigger(p); err != nil {
			return err
		}
		r, err := status(id)
		if err != nil {
			return err
		}
		if r.Status != "Processing" {
			return fmt.Errorf("after retrigger: %s", r.Status)
		}
		return nil
	})
	check("edgecast CertificatePutRenewal of an issued certificate", func() error {
		if _, err := control("issue", map[string]any{"id": id}); err != nil {
			return err
		}
		p := certificate.NewCertificatePutRenewalParams()
		p.ID = id
		if _, err := svc.Certificate.CertificatePutRenewal(p); err != nil {
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
	var other int64
	check("edgecast CertificateCancel (apply=true)", func() error {
		c, err := create(label+"-cancel", "DnsCnameToken")
		if err != nil {
			return err
		}
		other = c.ID
		if _, err := control("advance", map[string]any{"id": other}); err != nil {
			return err
		}
		p := certificate.NewCertificateCancelParams()
		p.ID = other
		p.Apply = true
		if _, err := svc.Certificate.CertificateCancel(p); err != nil {
			return err
		}
		r, err := status(other)
		if err != nil {
			return err
		}
		if r.OrderValidation == nil || r.OrderValidation.Status != "Canceled" {
			return fmt.Errorf("after cancel: %+v", r.OrderValidation)
		}
		return nil
	})
	check("edgecast CertificateDelete of the cancelled request", func() error {
		p := certificate.NewCertificateDeleteParams()
		p.ID = other
		if _, err := svc.Certificate.CertificateDelete(p); err != nil {
			return err
		}
		r, err := status(other)
		if err != nil {
			return err
		}
		if r.Status != "Deleted" {
			return fmt.Errorf("after delete: %s", r.Status)
		}
		return nil
	})
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}
