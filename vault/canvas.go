package vault

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Canvas is what vaultlint reads of a canvas (a ".canvas" file, in the
// JSON Canvas format Obsidian writes): the files its file nodes show.
// Text nodes, web pages and groups are not read.
type Canvas struct {
	// Files are the "file" of each file node: vault paths, as written.
	Files []string
}

// IsCanvasPath reports whether p names a canvas (".canvas", any case).
func IsCanvasPath(p string) bool {
	return len(p) > len(".canvas") && strings.EqualFold(p[len(p)-len(".canvas"):], ".canvas")
}

// ParseCanvas reads a canvas file's JSON.
func ParseCanvas(src []byte) (*Canvas, error) {
	var doc struct {
		Nodes []struct {
			Type string `json:"type"`
			File string `json:"file"`
		} `json:"nodes"`
	}
	if err := json.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("not a canvas Obsidian can open (invalid JSON: %w); the files it shows are not known", err)
	}
	c := &Canvas{}
	for _, n := range doc.Nodes {
		if n.Type == "file" && n.File != "" {
			c.Files = append(c.Files, n.File)
		}
	}
	return c, nil
}

// readCanvases reads every canvas of the vault into File.Canvas; one that
// cannot be read or parsed is a Problem.
func (v *Vault) readCanvases() {
	for _, f := range v.Files {
		if !IsCanvasPath(f.Path) {
			continue
		}
		src, _, err := v.readNote(f.DiskPath())
		if err == nil {
			f.Canvas, err = ParseCanvas(src)
		}
		if err != nil {
			v.Problems = append(v.Problems, Problem{f.Path, err})
		}
	}
}
