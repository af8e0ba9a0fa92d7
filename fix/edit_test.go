package fix

import (
	"strings"
	"testing"
)

func TestApply(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		edits []Edit
		want  string
		err   string
	}{
		{"insert", "ab", []Edit{{1, 1, "X"}}, "aXb", ""},
		{"replace and delete", "hello  world.", []Edit{{5, 7, " "}, {12, 13, ""}}, "hello world", ""},
		{"unsorted", "abcd", []Edit{{3, 4, "D"}, {0, 1, "A"}}, "AbcD", ""},
		{"adjacent", "abcd", []Edit{{0, 2, "x"}, {2, 4, "y"}}, "xy", ""},
		{"overlap", "abcd", []Edit{{0, 3, ""}, {2, 4, ""}}, "", "overlap"},
		{"two inserts at one offset", "ab", []Edit{{1, 1, "x"}, {1, 1, "y"}}, "", "overlap"},
		{"out of bounds", "ab", []Edit{{1, 3, ""}}, "", "out of bounds"},
		{"backwards", "ab", []Edit{{2, 1, ""}}, "", "out of bounds"},
		{"CRLF kept", "a  \r\nb\r\n", []Edit{{1, 3, ""}}, "a\r\nb\r\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(tt.src)
			got, err := Apply(src, tt.edits)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if string(src) != tt.src {
				t.Errorf("Apply modified its input: %q", src)
			}
		})
	}
}

// FuzzApply checks that applying valid edits keeps every byte outside
// them, in order, and puts each edit's text where it belongs.
func FuzzApply(f *testing.F) {
	f.Add([]byte("hello world"), 2, 4, "XY", 7, 7, "!")
	f.Add([]byte("a\r\nb"), 0, 0, "", 1, 3, "\n")
	f.Fuzz(func(t *testing.T, src []byte, s1, e1 int, n1 string, s2, e2 int, n2 string) {
		edits := []Edit{{s1, e1, n1}, {s2, e2, n2}}
		out, err := Apply(src, edits)
		if Validate(len(src), edits) != nil {
			if err == nil {
				t.Fatal("invalid edits applied")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		sorted := Sorted(edits)
		var want []byte
		last := 0
		for _, e := range sorted {
			want = append(want, src[last:e.Start]...)
			want = append(want, e.New...)
			last = e.End
		}
		want = append(want, src[last:]...)
		if string(out) != string(want) {
			t.Fatalf("got %q, want %q", out, want)
		}
	})
}
