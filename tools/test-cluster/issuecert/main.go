// Command flsec-issue-cert issues one X.509 certificate for tests, the way
// cert-manager would from a Certificate spec, with any validity window
// (including already expired ones, which the openssl CLI cannot backdate).
// Reads a JSON request on stdin and writes {"certPem","keyPem"} on stdout.
package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"os"
	"time"
)

type issuer struct {
	CertPEM string `json:"certPem"`
	KeyPEM  string `json:"keyPem"`
}

type request struct {
	CommonName   string   `json:"commonName"`
	DNSNames     []string `json:"dnsNames"`
	IPAddresses  []string `json:"ipAddresses"`
	URIs         []string `json:"uris"`
	IsCA         bool     `json:"isCA"`
	KeyAlgorithm string   `json:"keyAlgorithm"` // ECDSA (default), RSA, Ed25519
	KeySize      int      `json:"keySize"`
	NotBefore    string   `json:"notBefore"` // RFC 3339
	NotAfter     string   `json:"notAfter"`
	// cert-manager usage names: "digital signature", "key encipherment",
	// "cert sign", "server auth", "client auth", ...
	Usages []string `json:"usages"`
	Issuer *issuer  `json:"issuer"`
}

type response struct {
	CertPEM string `json:"certPem"`
	KeyPEM  string `json:"keyPem"`
}

var keyUsages = map[string]x509.KeyUsage{
	"signing":            x509.KeyUsageDigitalSignature,
	"digital signature":  x509.KeyUsageDigitalSignature,
	"content commitment": x509.KeyUsageContentCommitment,
	"key encipherment":   x509.KeyUsageKeyEncipherment,
	"key agreement":      x509.KeyUsageKeyAgreement,
	"data encipherment":  x509.KeyUsageDataEncipherment,
	"cert sign":          x509.KeyUsageCertSign,
	"crl sign":           x509.KeyUsageCRLSign,
	"encipher only":      x509.KeyUsageEncipherOnly,
	"decipher only":      x509.KeyUsageDecipherOnly,
}

var extKeyUsages = map[string]x509.ExtKeyUsage{
	"any":              x509.ExtKeyUsageAny,
	"server auth":      x509.ExtKeyUsageServerAuth,
	"client auth":      x509.ExtKeyUsageClientAuth,
	"code signing":     x509.ExtKeyUsageCodeSigning,
	"email protection": x509.ExtKeyUsageEmailProtection,
	"timestamping":     x509.ExtKeyUsageTimeStamping,
	"ocsp signing":     x509.ExtKeyUsageOCSPSigning,
}

func newKey(algorithm string, size int) (crypto.Signer, error) {
	switch algorithm {
	case "", "ECDSA":
		curves := map[int]elliptic.Curve{0: elliptic.P256(), 256: elliptic.P256(), 384: elliptic.P384(), 521: elliptic.P521()}
		curve, ok := curves[size]
		if !ok {
			return nil, fmt.Errorf("unsupported ECDSA size %d", size)
		}
		return ecdsa.GenerateKey(curve, rand.Reader)
	case "RSA":
		if size == 0 {
			size = 2048
		}
		if size < 1024 || size > 8192 {
			return nil, fmt.Errorf("unsupported RSA size %d", size)
		}
		return rsa.GenerateKey(rand.Reader, size)
	case "Ed25519":
		_, key, err := ed25519.GenerateKey(rand.Reader)
		return key, err
	}
	return nil, fmt.Errorf("unsupported key algorithm %q", algorithm)
}

func parseIssuer(in *issuer) (*x509.Certificate, crypto.Signer, error) {
	certBlock, _ := pem.Decode([]byte(in.CertPEM))
	keyBlock, _ := pem.Decode([]byte(in.KeyPEM))
	if certBlock == nil || keyBlock == nil {
		return nil, nil, errors.New("issuer certPem and keyPem must be PEM")
	}
	cert, err := x509.ParseCertificate(certBlock.Bytes)
	if err != nil {
		return nil, nil, err
	}
	key, err := x509.ParsePKCS8PrivateKey(keyBlock.Bytes)
	if err != nil {
		return nil, nil, err
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, nil, errors.New("issuer key cannot sign")
	}
	return cert, signer, nil
}

func issue(req request) (*response, error) {
	notBefore, err := time.Parse(time.RFC3339, req.NotBefore)
	if err != nil {
		return nil, fmt.Errorf("notBefore: %w", err)
	}
	notAfter, err := time.Parse(time.RFC3339, req.NotAfter)
	if err != nil {
		return nil, fmt.Errorf("notAfter: %w", err)
	}
	key, err := newKey(req.KeyAlgorithm, req.KeySize)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, err
	}
	template := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: req.CommonName},
		DNSNames:              req.DNSNames,
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		IsCA:                  req.IsCA,
		BasicConstraintsValid: true,
	}
	for _, ip := range req.IPAddresses {
		parsed := net.ParseIP(ip)
		if parsed == nil {
			return nil, fmt.Errorf("invalid IP address %q", ip)
		}
		template.IPAddresses = append(template.IPAddresses, parsed)
	}
	for _, raw := range req.URIs {
		parsed, err := url.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("invalid URI %q", raw)
		}
		template.URIs = append(template.URIs, parsed)
	}
	for _, usage := range req.Usages {
		if ku, ok := keyUsages[usage]; ok {
			template.KeyUsage |= ku
		} else if eku, ok := extKeyUsages[usage]; ok {
			template.ExtKeyUsage = append(template.ExtKeyUsage, eku)
		} else {
			return nil, fmt.Errorf("unknown usage %q", usage)
		}
	}
	if req.IsCA {
		template.KeyUsage |= x509.KeyUsageCertSign
	}
	parent, signer := template, key
	if req.Issuer != nil {
		parent, signer, err = parseIssuer(req.Issuer)
		if err != nil {
			return nil, fmt.Errorf("issuer: %w", err)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, template, parent, key.Public(), signer)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return &response{
		CertPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		KeyPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})),
	}, nil
}

func main() {
	var req request
	decoder := json.NewDecoder(os.Stdin)
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "flsec-issue-cert: invalid request:", err)
		os.Exit(2)
	}
	res, err := issue(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, "flsec-issue-cert:", err)
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		os.Exit(1)
	}
}
