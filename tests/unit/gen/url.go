package main

import (
	"fmt"
	"io"
	"net/url"
	"strconv"
)

// Profile sources, URLs or not, for pprof/url.c: host:port forms, default paths, queries
// to re-encode, escapes Go keeps or rewrites, hosts it refuses, and file names.
var urlSources = []string{
	"localhost:6060", "localhost:6060/", "localhost:6060/debug/pprof/heap",
	"127.0.0.1:8080/debug/pprof/goroutine?debug=1", "http://localhost:6060",
	"http://localhost:6060/", "https://h:1/x?b=2&a=1&a=0", "http://h/x?seconds=5",
	"http://h/x?seconds=abc", "http://h/x?seconds=-3", "http://h/x?seconds=2147483648",
	"http://h/x?seconds=+4", "http://h/x?seconds=0", "http://h/x?seconds=&seconds=2",
	"http://h/x?seconds=3&seconds=9", "http://h/x?", "http://h/x??", "http://h/x?#f",
	"http://h/x#frag", "http://h/x#a b", "http://h/x#%zz", "http://h/x#a%2fb", "http://h/a%20b",
	"http://h/a b", "http://h/a%2Fb", "http://h/!x", "http://h/%zz", "http://h/a%41",
	"http://h/%e2%82%ac", "http://h/\u20ac", "http://user:p%40ss@h/x", "http://us er@h/x",
	"http://u@h/x", "http://@h/x", "http://[::1]:8080/x", "http://[fe80::1%25eth0]/x",
	"http://[::1/x", "http://h:/x", "http://:80/x", "http://h:8a/x", "http://h%41/x",
	"http://h%c3%a9/x", "http://h/x\t", "http://h/x?a=1;b=2&c=3", "http://h/x?%zz=1&k=%41",
	"http://h/x?q=a+b&r=a%20b&s=~-_.!", "http://h/x?=v&k&&", "http://h/x?k=%00&k=%ff",
	"http://h?x=1", "h:80?seconds=3", "h:80#f", "HTTP://H/X", "Http://h/", "https+insecure://h/x",
	"ftp://h/x", "file:///tmp/x", "file://h/x", "mailto:x@y", "//h/x", "///x", "*", "http://h/*",
	"h:/x", "h:80x/y", "a b:80/x", "cpu.pb.gz", "testdata/cpu.pb.gz", "./x:80", "/tmp/x:1",
	"x:80", "cpu:1.pb.gz", "C:\\x\\y", "-", "", ":80", "1h:80/x", "h-1.example:80/x/y",
}

// pprofURL is what go tool pprof (cmd/pprof's adjustURL) fetches for source with
// -seconds and -timeout, computed with Go's net/url: whether source is a URL, the URL as
// it is printed, and the timeout in milliseconds.
func pprofURL(source string, seconds, timeout int) (bool, string, int64) {
	u, err := url.Parse(source)
	if err != nil || (u.Host == "" && u.Scheme != "" && u.Scheme != "file") {
		// host:port/path: the host was taken for a scheme.
		u, err = url.Parse("http://" + source)
	}
	if err != nil || u.Host == "" {
		return false, "", 0
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/debug/pprof/profile"
	}
	q := u.Query()
	dur := int64(seconds)
	if seconds > 0 {
		q.Set("seconds", strconv.Itoa(seconds))
	} else if v, err := strconv.ParseInt(q.Get("seconds"), 10, 32); err == nil {
		dur = v
	} else {
		dur = 0
	}
	ms := int64(timeout) * 1000
	if timeout <= 0 {
		ms = 60000
		if dur > 0 {
			ms = dur * 1500
		}
	}
	u.RawQuery = q.Encode()
	return true, u.String(), ms
}

func emitURL(w io.Writer) {
	fmt.Fprintln(w, "/* go tool pprof's adjustURL with Go", goVersion(), "net/url: is_url, the URL")
	fmt.Fprintln(w, " * fetched and the timeout in ms, for each source, -seconds and -timeout. */")
	fmt.Fprintln(w, "static const struct {\n\tconst char *source;\n\tint seconds, timeout, is_url;\n\tconst char *url;\n\tlong long timeout_ms;\n} go_urls[] = {")
	flags := [][2]int{{-1, -1}, {30, -1}, {0, 7}, {3, 0}}
	for i, s := range urlSources {
		// Every source with no flags; the others in turn with one pair each.
		for k, f := range flags {
			if k != 0 && k != 1+i%(len(flags)-1) {
				continue
			}
			ok, u, ms := pprofURL(s, f[0], f[1])
			b := 0
			if ok {
				b = 1
			}
			fmt.Fprintf(w, "\t{ %s, %d, %d, %d, %s, %dLL },\n", cstr(s), f[0], f[1], b, cstr(u), ms)
		}
	}
	fmt.Fprintln(w, "};")
}
