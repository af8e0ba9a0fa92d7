package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestFixKeepsEncodingAndMode fixes notes written with CRLF, a BOM and
// mixed line endings, next to code blocks and tables, and checks every
// byte of the result and the file modes.
func TestFixKeepsEncodingAndMode(t *testing.T) {
	dir := t.TempDir()
	notes := []struct {
		name string
		mode os.FileMode
		in   string
		want string
	}{
		{"crlf.md", 0o600,
			"# CRLF\r\n\r\nSee [[A|a]]  here [[B|b]] .   \r\n\r\n\r\n\r\nEnd",
			// Three trailing spaces become two: still a hard line break.
			"# CRLF\r\n\r\nSee [[A|a]] here [[B|b]].  \r\n\r\nEnd\r\n"},
		{"bom.md", 0o644,
			"\xEF\xBB\xBF---\r\naliases: []\r\ntitle: T\r\n---\r\nText [[]] here.\r\n",
			"\xEF\xBB\xBF---\r\ntitle: T\r\n---\r\nText here.\r\n"},
		{"mixed.md", 0o640,
			"one [[A|a]]  two\r\nthree\nfour   \r\n\n\n\nfive\n",
			"one [[A|a]] two\r\nthree\nfour  \r\n\nfive\n"},
		{"code.md", 0o644,
			"```\n[[A|a]]  kept   \n\n\n\n```\n\n| [[A|a]]   | b |\n|---|---|\n\n`[[A|a]]  x`  [[A|a]]  y\n",
			"```\n[[A|a]]  kept   \n\n\n\n```\n\n| [[A|a]]   | b |\n|---|---|\n\n`[[A|a]]  x` [[A|a]] y\n"},
	}
	for _, n := range notes {
		p := filepath.Join(dir, n.name)
		if err := os.WriteFile(p, []byte(n.in), n.mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, n.mode); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"A.md", "B.md"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("# "+f+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stderr bytes.Buffer
	run([]string{"fix", "--vault", dir, "--no-color", "--quiet"}, nil, io.Discard, &stderr)
	for _, n := range notes {
		p := filepath.Join(dir, n.name)
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != n.want {
			t.Errorf("%s:\ngot  %q\nwant %q", n.name, got, n.want)
		}
		st, _ := os.Stat(p)
		if st.Mode().Perm() != n.mode {
			t.Errorf("%s: mode %v, want %v", n.name, st.Mode().Perm(), n.mode)
		}
	}
	// A second run changes nothing.
	before := map[string][]byte{}
	for _, n := range notes {
		before[n.name], _ = os.ReadFile(filepath.Join(dir, n.name))
	}
	run([]string{"fix", "--vault", dir, "--quiet"}, nil, io.Discard, io.Discard)
	for _, n := range notes {
		after, _ := os.ReadFile(filepath.Join(dir, n.name))
		if !bytes.Equal(before[n.name], after) {
			t.Errorf("%s changed on a second fix: %q", n.name, after)
		}
	}
	if t.Failed() {
		t.Log(stderr.String())
	}
}
