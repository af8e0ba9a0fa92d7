package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "v")
	var out, errb bytes.Buffer
	if st := run([]string{"-n", "40", "-seed", "2", "-o", dir, "-clean"}, &out, &errb); st != 0 {
		t.Fatalf("exit %d: %s", st, errb.String())
	}
	for _, want := range []string{"notes        40 in", "links        ", "defects      none"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	// The folder now holds a vault: a second run must refuse it.
	if st := run([]string{"-n", "40", "-o", dir}, &out, &errb); st != 1 {
		t.Errorf("second run into the same folder: exit %d, want 1", st)
	}
	if st := run([]string{"-n", "40"}, &out, &errb); st != 2 {
		t.Errorf("no -o: exit %d, want 2", st)
	}
}
