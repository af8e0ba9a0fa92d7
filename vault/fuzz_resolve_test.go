package vault_test

import (
	"math/rand/v2"
	"path"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/vaultlint/vaultlint/vault"
)

// fuzzVaultPaths turns fuzz input into the paths of a vault as the walker
// would list them: '/'-separated, NFC, no empty, "." or ".." component,
// no hidden component, each path once. Bytes that are not UTF-8 stay, as
// they do in names on disk. Folders and files may share a prefix ("a.md"
// and "a.md/b.md" cannot both exist on disk, but the resolver must not
// care).
func fuzzVaultPaths(list string) []string {
	seen := map[string]bool{}
	var out []string
	for _, line := range strings.Split(list, "\n") {
		if len(out) == 16 {
			break
		}
		var parts []string
		for _, c := range strings.Split(norm.NFC.String(line), "/") {
			if c == "" || c == "." || c == ".." || strings.HasPrefix(c, ".") {
				continue
			}
			parts = append(parts, c)
		}
		p := strings.Join(parts, "/")
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, p)
	}
	return out
}

// buildFuzzVault makes an in-memory vault of paths, notes for ".md"
// paths (each holding body), attachments for the rest, handed to New in
// the order given.
func buildFuzzVault(paths []string, body string) *vault.Vault {
	var notes []*vault.Note
	var atts []string
	for _, p := range paths {
		if vault.IsNotePath(p) {
			notes = append(notes, vault.Parse(p, []byte(body)))
		} else {
			atts = append(atts, p)
		}
	}
	return vault.New(notes, atts...)
}

// inVault reports whether f is one of v's files (the same pointer): a
// resolver that built a File of its own, or returned one of another
// vault, would have reached outside the vault's index.
func inVault(v *vault.Vault, f *vault.File) bool {
	for _, g := range v.Files {
		if g == f {
			return true
		}
	}
	return false
}

// bruteCandidates returns, sorted, the paths of the files a link path p
// (normalised) can name by links.md 14–17, found by looking at every
// file: those whose path is p or ends with "/"+p, and the notes whose
// path is p+".md" or ends with "/"+p+".md". It returns nil for the paths
// that are resolved otherwise (relative, absolute, empty).
func bruteCandidates(v *vault.Vault, p string) []string {
	if p == "" || p == "." || p == ".." || strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../") || strings.HasPrefix(p, "/") {
		return nil
	}
	out := []string{}
	for _, f := range v.Files {
		lower := strings.ToLower(f.Path)
		named := func(p string) bool { return lower == p || strings.HasSuffix(lower, "/"+p) }
		if named(p) || f.IsNote() && named(p+".md") {
			out = append(out, f.Path)
		}
	}
	slices.Sort(out)
	return out
}

func pathOf(f *vault.File) string {
	if f == nil {
		return "<nil>"
	}
	return f.Path
}

// FuzzResolve resolves random link text from random notes of random
// vaults. Invariants: no panic; every file returned (picked or candidate)
// is a file of the vault; the picked file is the first candidate; a
// "../" link that climbs above the root resolves to nothing; the result
// does not depend on the order the files were listed in (the walker lists
// folders in parallel) nor on being asked twice; and every file's own
// vault path resolves to that file by exact path, unless another file's
// path differs from it only in letter case (case-conflict reports those).
func FuzzResolve(f *testing.F) {
	f.Add("Note.md\nFolder/Note.md\nimg/a.png\nA/B/C.md", uint8(1), "Note", "[[Note#H]] [x](../Note.md) ![[a.png]]", uint64(1))
	f.Add("a.md\nA.md\nsub/a.md", uint8(2), "../../a", "[[./a]] [[/a]] [[../a]]", uint64(2))
	f.Add("x\nx.md\ndir/x.md.md", uint8(0), "x.md", "[[x.md]] [[x]]", uint64(3))
	f.Add("Re\u0301sume\u0301.md\nK.md\n\u212a.md", uint8(0), "r\u00e9sum\u00e9", "[[K]] [[\u212a]]", uint64(4))
	f.Add("a/b/c.md\nb/c.md\nc.md", uint8(0), "/a/../../c", "[[ b/c ]] [[a/b/./c]]", uint64(5))
	f.Fuzz(func(t *testing.T, list string, from uint8, link, body string, seed uint64) {
		if len(list) > 4096 || len(link) > 1024 || len(body) > 4096 {
			return
		}
		files := fuzzVaultPaths(list)
		if len(files) == 0 {
			return
		}
		fromPath := files[int(from)%len(files)]
		v := buildFuzzVault(files, body)
		shuffled := append([]string(nil), files...)
		rand.New(rand.NewPCG(seed, seed>>32)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		w := buildFuzzVault(shuffled, body)
		slow := buildFuzzVault(files, body)
		vault.DropShortNames(slow)

		check := func(fromPath, link string) {
			t.Helper()
			got, by, cands := v.ResolvePath(fromPath, link)
			if got != nil && !inVault(v, got) {
				t.Fatalf("ResolvePath(%q, %q) = %q, not a file of the vault", fromPath, link, got.Path)
			}
			for _, c := range cands {
				if !inVault(v, c) {
					t.Fatalf("ResolvePath(%q, %q): candidate %q is not a file of the vault", fromPath, link, c.Path)
				}
			}
			if (got == nil) != (by == vault.Unresolved) || got != nil && (len(cands) == 0 || cands[0] != got) {
				t.Fatalf("ResolvePath(%q, %q) = %q by %v, candidates %q", fromPath, link, pathOf(got), by, files)
			}
			again, by2, _ := v.ResolvePath(fromPath, link)
			if again != got || by2 != by {
				t.Fatalf("ResolvePath(%q, %q) gave %q by %v, then %q by %v", fromPath, link, pathOf(got), by, pathOf(again), by2)
			}
			// The table of short names answers as the general way does.
			general, by4, cands4 := slow.ResolvePath(fromPath, link)
			if pathOf(general) != pathOf(got) || by4 != by || !slices.Equal(paths(cands4), paths(cands)) {
				t.Fatalf("ResolvePath(%q, %q) = %q by %v, candidates %q; without the short names %q by %v, candidates %q",
					fromPath, link, pathOf(got), by, paths(cands), pathOf(general), by4, paths(cands4))
			}
			other, by3, cands3 := w.ResolvePath(fromPath, link)
			if pathOf(other) != pathOf(got) || by3 != by || len(cands3) != len(cands) {
				t.Fatalf("ResolvePath(%q, %q) = %q by %v, but %q by %v with the files listed in another order", fromPath, link, pathOf(got), by, pathOf(other), by3)
			}
			// "../" is relative to the linking note's folder and never
			// climbs above the vault root (links.md 1).
			p := vault.NormalizeLinkPath(strings.TrimSpace(link))
			if want := bruteCandidates(v, p); want != nil {
				var gotPaths []string
				for _, c := range cands {
					gotPaths = append(gotPaths, c.Path)
				}
				slices.Sort(gotPaths)
				if !slices.Equal(gotPaths, want) {
					t.Fatalf("ResolvePath(%q, %q): candidates %q, want %q", fromPath, link, gotPaths, want)
				}
			}
			if strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../") || p == "." || p == ".." {
				j := path.Join(strings.ToLower(path.Dir(fromPath)), p)
				if (j == ".." || strings.HasPrefix(j, "../") || j == ".") && got != nil {
					t.Fatalf("ResolvePath(%q, %q) climbed above the vault root to %q", fromPath, link, got.Path)
				}
			}
		}
		check(fromPath, link)

		// Every link of a note holding body resolves inside the vault.
		n := v.File(fromPath).Note
		if n == nil {
			n = vault.Parse(fromPath, []byte(body))
		}
		v.WarmLinks(n, n.Links) // reads only: what follows is unchanged
		for i := range n.Links {
			l := &n.Links[i]
			check(fromPath, l.Path)
			r := v.Resolve(n, l)
			if r.File != nil && !inVault(v, r.File) {
				t.Fatalf("Resolve(%q) = %q, not a file of the vault", l.Path, r.File.Path)
			}
		}

		// Exact paths.
		lower := map[string]int{}
		for _, p := range files {
			lower[vault.NormalizeLinkPath(p)]++
		}
		for _, p := range files {
			if strings.TrimSpace(p) != p {
				continue // a link's path is trimmed: " a.md" cannot be named
			}
			got, by, _ := v.ResolvePath(fromPath, p)
			if got == nil || by != vault.ByExact {
				t.Fatalf("ResolvePath(%q, %q) = %q by %v, want the file by exact path", fromPath, p, pathOf(got), by)
			}
			if lower[vault.NormalizeLinkPath(p)] == 1 && got.Path != p {
				t.Fatalf("ResolvePath(%q, %q) = %q", fromPath, p, got.Path)
			}
			if vault.NormalizeLinkPath(got.Path) != vault.NormalizeLinkPath(p) {
				t.Fatalf("ResolvePath(%q, %q) = %q, another path", fromPath, p, got.Path)
			}
		}
	})
}
