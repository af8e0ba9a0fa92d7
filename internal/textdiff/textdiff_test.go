package textdiff

import "testing"

func TestUnified(t *testing.T) {
	a := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n\n\n\n# End"
	b := "1\n2 changed\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n\n# End\n"
	want := `--- a/n.md
+++ b/n.md
@@ -1,5 +1,5 @@
 1
-2
+2 changed
 3
 4
 5
@@ -11,6 +11,4 @@
 11
 12
 
-
-
-# End
\ No newline at end of file
+# End
`
	if got := Unified("n.md", []byte(a), []byte(b)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := Unified("n.md", []byte(a), []byte(a)); got != "" {
		t.Errorf("equal files give %q", got)
	}
}

func TestCRLFLinesDiffer(t *testing.T) {
	got := Unified("n.md", []byte("a\r\nb\r\n"), []byte("a\nb\r\n"))
	want := "--- a/n.md\n+++ b/n.md\n@@ -1,2 +1,2 @@\n-a\r\n+a\n b\r\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
