package move

import (
	"fmt"
	"math/rand/v2"
	"path"
	"sort"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/vaultlint/vaultlint/vault"
)

// The property every move must keep: after it, every link of the vault
// resolves to the same file (renamed) and the same heading or block as
// before; a link that resolved nowhere still does, unless the move gave
// it a file (a revived link, which the plan reports); and a link whose
// note and target both stay, and which still reads the same, is left
// byte for byte. It is checked over small random vaults built to collide:
// few folder and file names, nested folders named like notes, every link
// form, links that resolve by each of Obsidian's rules, and dangling ones.

var (
	genFolders = []string{"", "", "a", "b", "a/b", "a/c", "b/a", "Read Me"}
	genNames   = []string{"Note", "Log", "x", "Read Me", "a", "b", "Café"}
	genAttach  = []string{"img.png", "Note.png", "doc.pdf", "x y.png"}
	genDests   = []string{"", "a", "b", "c", "a/b", "c/d", "b/a/z", "Read Me"}
	genHeads   = []string{"Intro", "Sub Part", "End: the end"}
	genBlocks  = []string{"blk1", "b-2"}
	genFormats = []string{"", "shortest", "relative", "absolute"}
)

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// genVault makes a random vault: its files, by path, with note texts.
func genVault(r *rand.Rand) map[string]string {
	files := map[string]string{}
	lower := map[string]bool{}
	add := func(p string) {
		// One file per path in any letter case, and no file where a
		// folder is ("a" the attachment and "a/x.md").
		if lower[strings.ToLower(p)] {
			return
		}
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			if lower[strings.ToLower(d)] {
				return
			}
		}
		for q := range lower {
			if strings.HasPrefix(q, strings.ToLower(p)+"/") {
				return
			}
		}
		lower[strings.ToLower(p)] = true
		files[p] = ""
	}
	for range 3 + r.IntN(7) {
		add(join(genFolders[r.IntN(len(genFolders))], genNames[r.IntN(len(genNames))]+".md"))
	}
	for range r.IntN(3) {
		add(join(genFolders[r.IntN(len(genFolders))], genAttach[r.IntN(len(genAttach))]))
	}
	var paths []string
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if vault.IsNotePath(p) {
			files[p] = genNote(r, p, paths)
		}
	}
	return files
}

func genNote(r *rand.Rand, self string, paths []string) string {
	var b strings.Builder
	if r.IntN(2) == 0 {
		b.WriteString("---\n")
		for i := range 1 + r.IntN(2) {
			wiki := r.IntN(2) == 0
			dest := genPath(r, self, paths, !wiki)
			if wiki {
				fmt.Fprintf(&b, "p%d: \"[[%s%s]]\"\n", i, dest.text, genSubpath(r, false))
			} else {
				fmt.Fprintf(&b, "p%d: \"[t](%s%s)\"\n", i, dest.encoded(false), genSubpath(r, true))
			}
		}
		b.WriteString("---\n")
	}
	levels := 1
	for _, h := range genHeads {
		if r.IntN(3) > 0 {
			fmt.Fprintf(&b, "%s %s\n\n", strings.Repeat("#", levels), h)
			levels = min(levels+1, 3)
		}
		if r.IntN(2) == 0 {
			fmt.Fprintf(&b, "text %s ^%s\n\n", genLink(r, self, paths), genBlocks[r.IntN(len(genBlocks))])
		}
		for range r.IntN(4) {
			b.WriteString(genLink(r, self, paths) + " and " + genLink(r, self, paths) + "\n")
		}
		b.WriteString("\n")
	}
	if r.IntN(3) == 0 {
		d := genPath(r, self, paths, false)
		fmt.Fprintf(&b, "| a | b |\n| - | - |\n| [[%s%s\\|cell]] | x |\n", d.text, genSubpath(r, false))
	}
	return b.String()
}

// genDest is a link path: its decoded text.
type genDest struct{ text string }

func (d genDest) encoded(angle bool) string {
	if angle {
		return "<" + d.text + ">"
	}
	return strings.ReplaceAll(d.text, " ", "%20")
}

// genPath picks a link path: to a file of the vault by any form that
// may name it (bare name, partial path, whole path, relative, from the
// root, with or without ".md"), or to no file.
func genPath(r *rand.Rand, self string, paths []string, markdown bool) genDest {
	if r.IntN(6) == 0 {
		return genDest{[]string{"Missing", "a/Gone", "../Nowhere", "./Lost"}[r.IntN(4)]}
	}
	f := paths[r.IntN(len(paths))]
	note := vault.IsNotePath(f)
	bare := f
	if note && (r.IntN(2) == 0 || !markdown && r.IntN(3) > 0) {
		bare = strings.TrimSuffix(f, ".md")
	}
	if r.IntN(8) == 0 {
		// Obsidian matches names case-insensitively and after NFC.
		bare = norm.NFD.String(strings.ToLower(bare))
	}
	switch r.IntN(6) {
	case 0, 1:
		return genDest{path.Base(bare)}
	case 2:
		if i := strings.Index(bare, "/"); i >= 0 {
			return genDest{bare[i+1:]}
		}
		return genDest{bare}
	case 3:
		return genDest{bare}
	case 4:
		return genDest{relPath(path.Dir(self), bare)}
	default:
		return genDest{"/" + bare}
	}
}

func genSubpath(r *rand.Rand, markdown bool) string {
	var s string
	switch r.IntN(7) {
	case 0:
		s = "#" + genHeads[r.IntN(len(genHeads))]
	case 1:
		s = "#Intro#Sub Part"
	case 2:
		s = "#^" + genBlocks[r.IntN(len(genBlocks))]
	case 3:
		s = "#No such heading"
	default:
		return ""
	}
	if markdown {
		s = strings.ReplaceAll(s, " ", "%20")
	}
	return s
}

func genLink(r *rand.Rand, self string, paths []string) string {
	switch r.IntN(8) {
	case 0:
		return fmt.Sprintf("[[%s%s]]", genPath(r, self, paths, false).text, genSubpath(r, false))
	case 1:
		return fmt.Sprintf("[[%s%s|label]]", genPath(r, self, paths, false).text, genSubpath(r, false))
	case 2:
		return fmt.Sprintf("![[%s]]", genPath(r, self, paths, false).text)
	case 3:
		return fmt.Sprintf("![[%s|100x200]]", genPath(r, self, paths, false).text)
	case 4:
		return fmt.Sprintf("[t](%s%s)", genPath(r, self, paths, true).encoded(false), genSubpath(r, true))
	case 5:
		return fmt.Sprintf("[t](%s)", genPath(r, self, paths, true).encoded(true))
	case 6:
		return fmt.Sprintf("![alt](%s)", genPath(r, self, paths, true).encoded(false))
	default:
		return fmt.Sprintf("%%%%[[%s]]%%%%", genPath(r, self, paths, false).text)
	}
}

// genMove picks what to move and where: a file, or a folder that holds
// files, to a random folder and name (from the same colliding pools).
func genMove(r *rand.Rand, files map[string]string) (from, to string) {
	var paths []string
	folders := map[string]bool{}
	for p := range files {
		paths = append(paths, p)
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			folders[d] = true
		}
	}
	sort.Strings(paths)
	if len(folders) > 0 && r.IntN(4) == 0 {
		var fs []string
		for f := range folders {
			fs = append(fs, f)
		}
		sort.Strings(fs)
		return fs[r.IntN(len(fs))], genDests[1+r.IntN(len(genDests)-1)]
	}
	from = paths[r.IntN(len(paths))]
	name := path.Base(from)
	if r.IntN(2) == 0 {
		ext := path.Ext(from)
		// "Missing" gives dangling links a file now and then.
		name = append(genNames, "Missing")[r.IntN(len(genNames)+1)] + ext
		if ext != ".md" && r.IntN(2) == 0 {
			name = genAttach[r.IntN(len(genAttach))]
		}
	}
	return from, join(genDests[r.IntN(len(genDests))], name)
}

func TestMoveKeepsEveryLink(t *testing.T) {
	cases, tries, rewritten, revived := 0, 0, 0, 0
	for seed := uint64(0); cases < 400; seed++ {
		r := rand.New(rand.NewPCG(seed, 6))
		files := genVault(r)
		format := genFormats[r.IntN(len(genFormats))]
		from, to := genMove(r, files)
		tries++
		v := memVault(files, format)
		p, err := New(v, from, to)
		if err != nil {
			continue // the destination is taken, or the like: not a move
		}
		cases++
		for _, c := range p.Changes {
			rewritten += c.Links
		}
		revived += len(p.Revived)
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			checkMove(t, files, format, from, to, v, p)
		})
		if t.Failed() {
			break
		}
	}
	t.Logf("%d moves checked (of %d tried), %d links rewritten, %d revived", cases, tries, rewritten, revived)
}

func dumpVault(files map[string]string) string {
	var paths []string
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b strings.Builder
	for _, p := range paths {
		fmt.Fprintf(&b, "-- %s --\n%s", p, files[p])
	}
	return b.String()
}

func checkMove(t *testing.T, files map[string]string, format, from, to string, v *vault.Vault, p *Plan) {
	defer func() {
		if t.Failed() {
			t.Logf("move %s -> %s, newLinkFormat %q, in:\n%s", from, to, format, dumpVault(files))
		}
	}()
	for _, c := range p.Conflicts {
		t.Errorf("conflict: %s", c)
	}
	if t.Failed() {
		return
	}
	// The vault after the move, built independently of the planner.
	moved := map[string]string{}
	for _, rn := range p.Renames {
		moved[rn.Old] = rn.New
	}
	newPath := func(q string) string {
		if n, ok := moved[q]; ok {
			return n
		}
		return q
	}
	for q := range files {
		want := q == from || strings.HasPrefix(q, from+"/")
		if _, ok := moved[q]; ok != want {
			t.Errorf("%s: moved = %v, want %v", q, ok, want)
		}
	}
	afterFiles := map[string]string{}
	origAtNew := map[string]string{}
	for q, s := range files {
		afterFiles[newPath(q)] = s
		origAtNew[newPath(q)] = s
	}
	for _, c := range p.Changes {
		if files[c.Path] != string(c.Before) {
			t.Fatalf("%s: Before is not the note as read", c.Path)
		}
		afterFiles[c.NewPath] = string(c.After)
	}
	v2 := memVault(afterFiles, format)
	vOrig := memVault(origAtNew, format)

	brokenBefore, brokenAfter, revived := 0, 0, 0
	for _, n := range v.Notes {
		m := v2.File(newPath(n.Path)).Note
		if len(m.Links) != len(n.Links) {
			t.Fatalf("%s: %d links after the move, %d before", n.Path, len(m.Links), len(n.Links))
		}
		for i := range n.Links {
			l, l2 := &n.Links[i], &m.Links[i]
			if l.External {
				continue
			}
			r0, r1 := v.Resolve(n, l), v2.Resolve(m, l2)
			was := string(n.Src[l.Span.Start:l.Span.End])
			now := string(m.Src[l2.Span.Start:l2.Span.End])
			if r0.File == nil {
				brokenBefore++
			}
			if r1.File == nil {
				brokenAfter++
			}
			switch {
			case r0.File == nil && r1.File != nil:
				if _, ok := moved[r1.File.Path]; !ok && !isNew(p, r1.File.Path) {
					t.Errorf("%s: %s resolved nowhere and now to %s, which did not move", n.Path, was, r1.File.Path)
				}
				revived++
			case r0.File == nil:
			case r1.File == nil || r1.File.Path != newPath(r0.File.Path):
				t.Errorf("%s: %s (now %s) pointed at %s, now at %v", n.Path, was, now, r0.File.Path, pathOf(r1.File))
			case r0.SubpathFound != r1.SubpathFound || r0.SubpathChecked != r1.SubpathChecked:
				t.Errorf("%s: %s (now %s): subpath found %v, now %v", n.Path, was, now, r0.SubpathFound, r1.SubpathFound)
			case r0.Heading != nil && (r0.Heading.Text != r1.Heading.Text || r0.Heading.Level != r1.Heading.Level):
				t.Errorf("%s: %s (now %s): heading %q, now %q", n.Path, was, now, r0.Heading.Text, r1.Heading.Text)
			case r0.Block != nil && r0.Block.ID != r1.Block.ID:
				t.Errorf("%s: %s (now %s): block %q, now %q", n.Path, was, now, r0.Block.ID, r1.Block.ID)
			}
			// Left alone: a link of a note that stays, to a file that
			// stays, which still finds it as written.
			if r0.File != nil && newPath(n.Path) == n.Path && newPath(r0.File.Path) == r0.File.Path {
				o := vOrig.File(n.Path).Note
				if g, _, _ := vOrig.ResolvePath(o.Path, o.Links[i].Path); g != nil && g.Path == r0.File.Path && was != now {
					t.Errorf("%s: %s rewritten as %s, though it still resolved", n.Path, was, now)
				}
			}
		}
	}
	if revived != len(p.Revived) {
		t.Errorf("%d links revived, the plan says %d: %v", revived, len(p.Revived), p.Revived)
	}
	if brokenAfter != brokenBefore-revived {
		t.Errorf("%d broken links after the move, %d before, %d revived", brokenAfter, brokenBefore, revived)
	}
}

func isNew(p *Plan, q string) bool {
	for _, r := range p.Renames {
		if r.New == q {
			return true
		}
	}
	return false
}

func pathOf(f *vault.File) string {
	if f == nil {
		return "nothing"
	}
	return f.Path
}
