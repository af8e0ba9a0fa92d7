package move

import (
	"fmt"
	"io"
	"sort"

	"github.com/vaultlint/vaultlint/internal/textdiff"
)

// Diff writes what the plan would do as a Git-style patch, so that it
// reads like "git diff -M" and "git apply" takes it: a rename header for
// each moved file, and a unified diff of each rewritten note, between its
// old and its new path. Paths are vault paths.
func (p *Plan) Diff(w io.Writer) error {
	type entry struct {
		old, new string
		c        *Change
	}
	byOld := map[string]*entry{}
	for _, r := range p.Renames {
		byOld[r.Old] = &entry{old: r.Old, new: r.New}
	}
	for _, c := range p.Changes {
		e := byOld[c.Path]
		if e == nil {
			e = &entry{old: c.Path, new: c.NewPath}
			byOld[c.Path] = e
		}
		e.c = c
	}
	olds := make([]string, 0, len(byOld))
	for o := range byOld {
		olds = append(olds, o)
	}
	sort.Strings(olds)
	for _, o := range olds {
		e := byOld[o]
		if _, err := fmt.Fprintf(w, "diff --git a/%s b/%s\n", e.old, e.new); err != nil {
			return err
		}
		if e.old != e.new {
			if _, err := fmt.Fprintf(w, "rename from %s\nrename to %s\n", e.old, e.new); err != nil {
				return err
			}
		}
		if e.c != nil {
			if _, err := io.WriteString(w, textdiff.Between("a/"+e.old, "b/"+e.new, e.c.Before, e.c.After)); err != nil {
				return err
			}
		}
	}
	return nil
}
