package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vaultlint/vaultlint/rules"
)

// TestReadme keeps the README's rule table in step with the rules' own
// metadata; -update rewrites it.
func TestReadme(t *testing.T) {
	path := filepath.Join("..", "..", "README.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	const begin, end = "<!-- rules:begin", "<!-- rules:end -->"
	i := strings.Index(readme, begin)
	j := strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %s … %s markers", begin, end)
	}
	i += strings.Index(readme[i:], "-->") + len("-->\n")
	want := readme[:i] + ruleTable() + readme[j:]
	if want == readme {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's rule table is stale; run: go test ./cmd/vaultlint -run TestReadme -update")
}

func ruleTable() string {
	var b strings.Builder
	b.WriteString("| rule | severity | fix | what it flags |\n| --- | --- | --- | --- |\n")
	for _, r := range rules.All() {
		sev := r.Severity.String()
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.ID, sev, r.Fix, strings.ReplaceAll(r.Summary, "|", `\|`))
	}
	return b.String()
}

// TestReadmeSampleOutput keeps the README's sample diagnostic line true to
// what vaultlint prints on the example vault.
func TestReadmeSampleOutput(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var sample string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "Clippings/") && strings.Contains(l, ": warning ") {
			sample = l
		}
	}
	if sample == "" {
		t.Fatal("README.md has no sample diagnostic line")
	}
	var out strings.Builder
	run([]string{"--no-color", "--quiet", filepath.Join("..", "..", "testdata", "vault")}, nil, &out, io.Discard)
	if !strings.Contains(out.String(), sample+"\n") {
		t.Errorf("README's sample line is not in vaultlint's output:\n%s\n--- output\n%s", sample, out.String())
	}
}
