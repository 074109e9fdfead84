// SPDX-License-Identifier: GPL-2.0-or-later
// A Go HTTPS client for the TLS secret tests: GET URL with Go's crypto/tls (statically
// linked), its own key log written to KEYLOG to compare with what the helper's probes take.
// Usage: go_tls_client URL KEYLOG
package main

import (
	"crypto/tls"
	"io"
	"net/http"
	"os"
)

func main() {
	keys, err := os.Create(os.Args[2])
	if err != nil {
		os.Exit(2)
	}
	defer keys.Close()
	transport := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true, KeyLogWriter: keys},
		ForceAttemptHTTP2: true}
	resp, err := (&http.Client{Transport: transport}).Get(os.Args[1])
	if err != nil {
		os.Exit(1)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}
