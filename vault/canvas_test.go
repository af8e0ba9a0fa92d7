package vault_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/vaultlint/vaultlint/vault"
)

// TestLoadCanvases: with Options.Canvases, Load reads the files each
// canvas shows as cards; a canvas that is not JSON is a Problem naming
// it; without the option no canvas is read.
func TestLoadCanvases(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"Note.md": "[[Board.canvas]]\n",
		"Boards/Board.CANVAS": `{"nodes": [
			{"id": "a", "type": "file", "file": "img/a.png"},
			{"id": "b", "type": "text", "text": "[[Note]]"},
			{"id": "c", "type": "file", "file": "Note.md", "subpath": "#H"},
			{"id": "d", "type": "group", "label": "g"}
		], "edges": []}`,
		"Bad.canvas":   `{"nodes": [`,
		"Empty.canvas": "{}",
		"img/a.png":    "",
	})
	v := load(t, root, vault.Options{Canvases: true})
	if got := v.File("Boards/Board.CANVAS").Canvas; got == nil || !reflect.DeepEqual(got.Files, []string{"img/a.png", "Note.md"}) {
		t.Errorf("Board.CANVAS shows %+v, want img/a.png and Note.md", got)
	}
	if c := v.File("Empty.canvas").Canvas; c == nil || len(c.Files) != 0 {
		t.Errorf("Empty.canvas: %+v, want a canvas that shows nothing", c)
	}
	if v.File("Bad.canvas").Canvas != nil || !strings.Contains(problems(t, v)["Bad.canvas"], "invalid JSON") {
		t.Errorf("Bad.canvas: canvas %+v, problems %v; want a problem and no canvas", v.File("Bad.canvas").Canvas, problems(t, v))
	}
	if v.File("img/a.png").Canvas != nil || v.File("Note.md").Canvas != nil {
		t.Error("a file that is not a canvas was read as one")
	}

	v = load(t, root, vault.Options{})
	if v.File("Boards/Board.CANVAS").Canvas != nil || problems(t, v)["Bad.canvas"] != "" {
		t.Error("canvases were read without Options.Canvases")
	}
}
