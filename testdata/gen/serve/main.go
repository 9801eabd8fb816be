// Command serve is the HTTP server cprof's tests fetch profiles from, on a
// loopback port of its own choosing. It prints its address (127.0.0.1:PORT)
// as the first line of standard output once it listens, and stops by itself
// after -lifetime even when no one stops it.
//
//	serve -mode=files -root=testdata            the files under root; and
//	    /debug/pprof/profile  root/cpu.pb.gz (pprof's default path)
//	    /hang                 never answers (until the client leaves)
//	    /text                 a 200 whose body is not a profile
//	    /pprof-error          a 500 as net/http/pprof reports its errors
//	    /endless, /endless.gz a profile that never ends (plain, gzip'd)
//	serve -mode=files -tls=DIR ...  the same over HTTPS, with a CA, a server
//	    certificate for 127.0.0.1 and a client certificate made at start and
//	    written to DIR (ca.pem, client.pem, client-key.pem); -client_auth
//	    requires the client certificate
//	serve -mode=pprof      net/http/pprof's handlers, over a workload that
//	    burns CPU, keeps memory and parks goroutines
package main

import (
	"bufio"
	"compress/gzip"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"path/filepath"
	"sync"
	"time"
)

func main() {
	mode := flag.String("mode", "files", "files|pprof")
	root := flag.String("root", "testdata", "files mode: the directory served")
	tlsDir := flag.String("tls", "", "serve HTTPS; write ca.pem, client.pem, client-key.pem here")
	clientAuth := flag.Bool("client_auth", false, "with -tls: require a client certificate")
	lifetime := flag.Duration("lifetime", 2*time.Minute, "exit after this long")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fatal(err)
	}
	var handler http.Handler
	switch *mode {
	case "files":
		handler = filesHandler(*root)
	case "pprof":
		startWorkload()
		handler = http.DefaultServeMux
	default:
		fatal(fmt.Errorf("unknown mode %q", *mode))
	}
	if *tlsDir != "" {
		cfg, err := makeTLS(*tlsDir, *clientAuth)
		if err != nil {
			fatal(err)
		}
		ln = tls.NewListener(ln, cfg)
	}
	fmt.Println(ln.Addr().String())
	os.Stdout.Sync()
	time.AfterFunc(*lifetime, func() { os.Exit(0) })
	// Refused handshakes are what some tests are about: no log of them.
	srv := &http.Server{Handler: handler, ErrorLog: log.New(io.Discard, "", 0)}
	fatal(srv.Serve(ln))
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "serve:", err)
	os.Exit(1)
}

func filesHandler(root string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", http.FileServer(http.Dir(root)))
	mux.HandleFunc("/debug/pprof/profile", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join(root, "cpu.pb.gz"))
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(time.Minute):
		}
	})
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "this is not a profile")
	})
	mux.HandleFunc("/pprof-error", func(w http.ResponseWriter, r *http.Request) {
		// As net/http/pprof's serveError.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Go-Pprof", "1")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintln(w, "Could not enable CPU profiling: cpu profiling already in use")
	})
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		endless(w)
	})
	mux.HandleFunc("/endless.gz", func(w http.ResponseWriter, r *http.Request) {
		z := gzip.NewWriter(w)
		endless(z)
		z.Close()
	})
	return mux
}

// endless writes a valid profile.proto prefix that never ends: the field
// time_nanos (9) set to 0, again and again, up to 1 GiB or until the client
// goes away.
func endless(w io.Writer) {
	chunk := make([]byte, 1<<16)
	for i := 0; i < len(chunk); i += 2 {
		chunk[i], chunk[i+1] = 9<<3, 0
	}
	for n := 0; n < 1<<30; n += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// makeTLS makes a CA, a server certificate for 127.0.0.1 and a client
// certificate, both signed by the CA, and writes the CA and the client's
// certificate and key to dir as PEM.
func makeTLS(dir string, clientAuth bool) (*tls.Config, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	ca := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "cprof test CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca, _ = x509.ParseCertificate(caDER)
	leaf := func(serial int64, name string, usage x509.ExtKeyUsage) (tls.Certificate, []byte, []byte, error) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return tls.Certificate{}, nil, nil, err
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial),
			Subject:      pkix.Name{CommonName: name},
			NotBefore:    now.Add(-time.Hour),
			NotAfter:     now.Add(time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature,
			ExtKeyUsage:  []x509.ExtKeyUsage{usage},
			IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			return tls.Certificate{}, nil, nil, err
		}
		keyDER, err := x509.MarshalECPrivateKey(key)
		if err != nil {
			return tls.Certificate{}, nil, nil, err
		}
		certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
		keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
		c, err := tls.X509KeyPair(certPEM, keyPEM)
		return c, certPEM, keyPEM, err
	}
	server, _, _, err := leaf(2, "127.0.0.1", x509.ExtKeyUsageServerAuth)
	if err != nil {
		return nil, err
	}
	_, clientPEM, clientKeyPEM, err := leaf(3, "cprof test client", x509.ExtKeyUsageClientAuth)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{
		"ca.pem":         pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		"client.pem":     clientPEM,
		"client-key.pem": clientKeyPEM,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return nil, err
		}
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{server}}
	if clientAuth {
		pool := x509.NewCertPool()
		pool.AddCert(ca)
		cfg.ClientCAs = pool
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}

// The pprof mode's workload: a goroutine that burns CPU in servingSpin,
// memory kept live by retainBuffers, and goroutines parked in parkForever.
var (
	kept   [][]byte
	keptMu sync.Mutex
	sink   uint64
)

func startWorkload() {
	retainBuffers()
	for i := 0; i < 3; i++ {
		go parkForever()
	}
	go servingSpin()
}

func retainBuffers() {
	keptMu.Lock()
	defer keptMu.Unlock()
	for i := 0; i < 64; i++ {
		kept = append(kept, make([]byte, 64<<10))
	}
}

func parkForever() {
	select {}
}

func servingSpin() {
	x := uint64(1)
	for {
		for i := 0; i < 1<<20; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
		sink = x
		w := bufio.NewWriterSize(io.Discard, 4096)
		fmt.Fprint(w, x)
		w.Flush()
	}
}
