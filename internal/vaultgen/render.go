package vaultgen

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// noteStats is what one note holds, summed into Stats.
type noteStats struct {
	bytes   int
	links   [numKinds]int
	broken  [numKinds]int
	defects [numRules]int
}

// noteWriter renders one note from the plan and the note's own random
// stream. Every link it writes is counted by kind, and every planted
// defect by rule, at the place where it is written: the counts cannot
// drift from the text.
type noteWriter struct {
	g      *gen
	n      *notePlan
	r      *rand.Rand
	b      []byte
	st     noteStats
	blocks map[int][]string // section → block ids to define there
	// variant picks which form of the note's planted defect to write.
	variant int
}

func newNoteWriter(g *gen, n *notePlan) *noteWriter {
	w := &noteWriter{
		g:      g,
		n:      n,
		r:      rand.New(rand.NewPCG(g.o.Seed^0x6e6f7465, uint64(n.i))),
		b:      make([]byte, 0, 8<<10),
		blocks: map[int][]string{},
	}
	for _, b := range n.blocks {
		w.blocks[b.section] = append(w.blocks[b.section], b.id)
	}
	w.variant = n.variant
	return w
}

func (w *noteWriter) s(s string) { w.b = append(w.b, s...) }

func (w *noteWriter) has(d defect) bool { return w.n.hasDef && w.n.defect == d }

func (w *noteWriter) plant(d defect) { w.st.defects[d]++ }

// broken decides whether the next link is one of the planted broken ones.
func (w *noteWriter) broken() bool {
	return w.g.o.BrokenRate > 0 && w.r.Float64() < w.g.o.BrokenRate
}

// link records a link written; d is the rule it breaks when broken.
func (w *noteWriter) link(k linkKind, d defect, broken bool) {
	w.st.links[k]++
	if broken {
		w.st.defects[d]++
		if d == dBrokenLink {
			w.st.broken[k]++
		}
	}
}

func (w *noteWriter) render() {
	n := w.n
	if n.fm {
		w.frontmatter()
		if w.has(dStrayProperty) {
			w.strayProperty()
		}
		// A blank line ends what stray-property would read as properties.
		w.s("\n")
	}
	first := 0
	if n.title {
		w.s("# " + n.heads[0].text + "\n\n")
		first = 1
	}
	w.section(-1)
	w.bodyDefect()
	for k := 0; k < n.ambig; k++ {
		w.ambiguousLink()
	}
	if w.has(dMultipleBlankLines) {
		w.s("\n\n\n")
		w.plant(dMultipleBlankLines)
	}
	for i := first; i < len(n.heads); i++ {
		h := n.heads[i]
		w.s(strings.Repeat("#", h.level) + " " + h.text + "\n\n")
		w.section(i)
	}
	if w.has(dDuplicateHeading) {
		for _, h := range n.heads {
			if h.level == 2 {
				w.s("## " + h.text + "\n\n")
				w.paragraph(w.r.IntN(2), "", "")
				w.plant(dDuplicateHeading)
				break
			}
		}
	}
	if w.has(dEmptySection) {
		for _, t := range []string{"References", "See also", "Further reading", "Open questions", "Appendix", "Sources"} {
			if !w.hasHeading(t) {
				w.s("## " + t + "\n")
				w.plant(dEmptySection)
				break
			}
		}
	}
	w.b = append(bytes.TrimRight(w.b, "\n"), '\n')
	if w.has(dFinalNewline) {
		if w.variant%2 == 0 {
			w.b = w.b[:len(w.b)-1]
		} else {
			w.s("\n\n")
		}
		w.plant(dFinalNewline)
	}
}

func (w *noteWriter) hasHeading(text string) bool {
	for _, h := range w.n.heads {
		if strings.EqualFold(h.link, stripHeading(text)) {
			return true
		}
	}
	return false
}

// section writes what goes under heading i (-1: before the first
// heading): a few blocks, and the blocks that define its block ids.
func (w *noteWriter) section(i int) {
	r := w.r
	heads := w.n.heads
	var count int
	switch {
	case i < 0:
		count = 1 + r.IntN(2)
	case i+1 < len(heads) && heads[i+1].level > heads[i].level:
		// A heading with subheadings may go straight to them: they are
		// its content (empty-section).
		count = r.IntN(2)
	default:
		count = 1 + r.IntN(4)
	}
	for k := range count {
		if k == 0 {
			w.paragraph(w.linkCount(), "", "")
			continue
		}
		switch x := r.IntN(100); {
		case x < 42:
			w.paragraph(w.linkCount(), "", "")
		case x < 62:
			w.list("")
		case x < 68:
			w.table("")
		case x < 75:
			w.code()
		case x < 82:
			w.callout("")
		case x < 86:
			w.quote()
		case x < 95:
			w.embed()
		default:
			w.mathBlock()
		}
	}
	for _, id := range w.blocks[i] {
		switch x := r.IntN(8); {
		case x < 4:
			w.paragraph(w.linkCount(), id, "")
		case x < 6:
			w.list(id)
		case x < 7:
			w.table(id)
		default:
			w.callout(id)
		}
	}
	if i >= 0 && r.IntN(25) == 0 {
		w.s("---\n\n")
	}
}

// linkCount is how many links a paragraph gets: most hold one or two.
func (w *noteWriter) linkCount() int {
	return []int{0, 0, 0, 1, 1, 1, 1, 2, 2, 3}[w.r.IntN(10)]
}

// paragraph writes a paragraph of a few sentences on one line, as
// Obsidian users write them, ending in a block id and trailing
// whitespace when given.
func (w *noteWriter) paragraph(links int, blockID, trailing string) {
	ns := 2 + w.r.IntN(3)
	per := make([]int, ns)
	for range links {
		per[w.r.IntN(ns)]++
	}
	for i := range ns {
		if i > 0 {
			w.s(" ")
		}
		w.sentence(per[i], 6+w.r.IntN(13))
		w.s(".")
	}
	if blockID != "" {
		w.s(" ^" + blockID)
	}
	w.s(trailing)
	w.s("\n\n")
}

// sentence writes words words (links count as one), without the final
// full stop.
func (w *noteWriter) sentence(links, words int) {
	words = max(words, links)
	slot := make([]bool, words)
	for range links {
		for {
			if k := w.r.IntN(words); !slot[k] {
				slot[k] = true
				break
			}
		}
	}
	for i := range words {
		if i > 0 {
			w.s(" ")
		}
		if slot[i] {
			w.s(w.inlineLink())
			continue
		}
		if i > 0 && w.r.IntN(70) == 0 {
			w.s(w.inlineExtra())
			continue
		}
		word := pick(w.r, prose)
		if i == 0 {
			word = capitalize(word)
		}
		w.s(word)
	}
}

func (w *noteWriter) words(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = pick(w.r, prose)
	}
	return strings.Join(ws, " ")
}

func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// inlineExtra is the occasional inline syntax in prose: code (with link
// look-alikes that are not links), tags, emphasis, math, a comment.
func (w *noteWriter) inlineExtra() string {
	switch w.r.IntN(11) {
	case 0:
		return "`[[" + pick(w.r, nouns) + " " + pick(w.r, nouns) + "]]`"
	case 1:
		return "`![[" + strings.ToLower(pick(w.r, nouns)) + ".png]]`"
	case 2:
		return pick(w.r, []string{"`npm run build`", "`go test ./...`", "`config.yaml`", "`git rebase -i`", "`SELECT *`"})
	case 3, 4:
		return "#" + pick(w.r, tags)
	case 5:
		return "**" + pick(w.r, prose) + "**"
	case 6:
		return "*" + pick(w.r, prose) + "*"
	case 7:
		return pick(w.r, []string{"$x^2$", "$O(n \\log n)$", "$\\alpha = 0.05$", "$E = mc^2$"})
	case 8:
		// Links in %% comments are links to Obsidian (links.md 7).
		return "%% see " + w.wiki() + " %%"
	case 9:
		return w.externalLink()
	default:
		return "==" + pick(w.r, prose) + "=="
	}
}

// externalLink writes a link to a web page: a Markdown link, but not a
// vault link.
func (w *noteWriter) externalLink() string {
	w.link(kMarkdown, 0, false)
	return "[" + w.words(1+w.r.IntN(3)) + "](https://" + pick(w.r, domains) + "/" +
		strings.ToLower(pick(w.r, nouns)) + "-" + strings.ToLower(pick(w.r, nouns)) + ")"
}

// inlineLink writes one link of a form drawn with the weights below.
func (w *noteWriter) inlineLink() string {
	switch x := w.r.IntN(100); {
	case x < 32:
		return w.wiki()
	case x < 42:
		return w.wikiHeading(false)
	case x < 44:
		return w.wikiHeading(true)
	case x < 48:
		return w.wikiBlock()
	case x < 51:
		return w.selfLink()
	case x < 54:
		return w.wikiRelative()
	case x < 65:
		return w.mdLink(mdVaultWide)
	case x < 69:
		return w.mdLink(mdAngle)
	case x < 73:
		return w.mdLink(mdRelative)
	case x < 80:
		return w.externalLink()
	case x < 83:
		return w.attachmentLink()
	default:
		return w.wiki()
	}
}

// target picks a note to link to, favouring the hubs.
func (w *noteWriter) target() *notePlan {
	ls := w.g.linkable
	for try := 0; ; try++ {
		t := ls[int(float64(len(ls))*math.Pow(w.r.Float64(), 2.5))]
		if t != w.n || try > 5 {
			return t
		}
	}
}

// missingName is a note name no file has: a typo of a real name, or a
// note never written.
func (w *noteWriter) missingName() string {
	for {
		var s string
		if w.r.IntN(2) == 0 {
			t := []rune(w.target().name)
			k := w.r.IntN(len(t))
			s = string(append(t[:k:k], t[k+1:]...))
		} else {
			s = pick(w.r, adjectives) + " " + pick(w.r, nouns) + " " + pick(w.r, []string{"Draft", "Notes", "Old", "v2", "Copy"})
		}
		if strings.TrimSpace(s) != "" && !w.g.taken(s) {
			return s
		}
	}
}

func (w *noteWriter) label(t *notePlan) string {
	switch {
	case len(t.aliases) > 0 && w.r.IntN(2) == 0:
		return t.aliases[0]
	case w.r.IntN(2) == 0:
		return "the " + strings.ToLower(t.name)
	default:
		return w.words(1 + w.r.IntN(3))
	}
}

func (w *noteWriter) optLabel(t *notePlan, sep string) string {
	if w.r.IntN(10) < 4 {
		return sep + w.label(t)
	}
	return ""
}

// wiki writes [[Note]] or [[Note|label]].
func (w *noteWriter) wiki() string {
	t := w.target()
	p := w.g.linkPath(w.n, t)
	broken := w.broken()
	if broken {
		p = w.missingName()
	}
	w.link(kWiki, dBrokenLink, broken)
	return "[[" + p + w.optLabel(t, "|") + "]]"
}

// subpath names a heading of t, nested ("H1#H2") when asked and t has
// one; broken, a heading t lacks.
func (w *noteWriter) subpath(t *notePlan, nested, broken bool) string {
	h := t.heads[w.r.IntN(len(t.heads))]
	if nested {
		for _, i := range w.r.Perm(len(t.heads)) {
			if t.heads[i].parent >= 0 {
				h = t.heads[i]
				break
			}
		}
	}
	prefix := ""
	if nested && h.parent >= 0 {
		prefix = t.heads[h.parent].link + "#"
	}
	if !broken {
		return prefix + h.link
	}
	for {
		m := pick(w.r, missingHeadings)
		ok := true
		for _, x := range t.heads {
			if strings.EqualFold(x.link, stripHeading(m)) {
				ok = false
			}
		}
		if ok {
			return prefix + m
		}
	}
}

// wikiHeading writes [[Note#Heading]] or [[Note#H1#H2]], with or
// without a label.
func (w *noteWriter) wikiHeading(nested bool) string {
	t := w.target()
	broken := w.broken()
	w.link(kWiki, dBrokenHeading, broken)
	return "[[" + w.g.linkPath(w.n, t) + "#" + w.subpath(t, nested, broken) + w.optLabel(t, "|") + "]]"
}

// blockTarget picks a note with block ids, and one of them (or, broken,
// an id it lacks).
func (w *noteWriter) blockTarget(broken bool) (*notePlan, string) {
	ls := w.g.blocky
	if len(ls) == 0 {
		return nil, ""
	}
	t := ls[int(float64(len(ls))*math.Pow(w.r.Float64(), 2.5))]
	return t, w.blockID(t, broken)
}

func (w *noteWriter) blockID(t *notePlan, broken bool) string {
	if !broken {
		return t.blocks[w.r.IntN(len(t.blocks))].id
	}
	for {
		id := randomID(w.r, 6)
		ok := true
		for _, b := range t.blocks {
			if strings.EqualFold(b.id, id) {
				ok = false
			}
		}
		if ok {
			return id
		}
	}
}

// wikiBlock writes [[Note#^id]].
func (w *noteWriter) wikiBlock() string {
	broken := w.broken()
	t, id := w.blockTarget(broken)
	if t == nil {
		return w.wiki()
	}
	w.link(kWiki, dBrokenBlockRef, broken)
	return "[[" + w.g.linkPath(w.n, t) + "#^" + id + w.optLabel(t, "|") + "]]"
}

// selfLink writes [[#Heading]] or [[#^id]]: a link within the note.
func (w *noteWriter) selfLink() string {
	n := w.n
	if n.special {
		// vault resolves "[[#H]]" by the note's lower-cased path, which in
		// a case-conflicting pair finds the other note (reported on issue
		// 7): keep these notes out of it so that the counts stay exact.
		return w.wiki()
	}
	broken := w.broken()
	if len(n.blocks) > 0 && w.r.IntN(3) == 0 {
		w.link(kWiki, dBrokenBlockRef, broken)
		return "[[#^" + w.blockID(n, broken) + "]]"
	}
	w.link(kWiki, dBrokenHeading, broken)
	return "[[#" + w.subpath(n, false, broken) + "]]"
}

// wikiRelative writes [[./Note]] or [[../Folder/Note]]; broken, through
// a folder that does not exist.
func (w *noteWriter) wikiRelative() string {
	t := w.target()
	p := strings.TrimSuffix(t.path, ".md")
	broken := w.broken()
	if broken {
		p = "Old Stuff/" + t.name
	}
	w.link(kWiki, dBrokenLink, broken)
	return "[[" + relPath(w.n.dir, p) + w.optLabel(t, "|") + "]]"
}

type mdStyle uint8

const (
	mdVaultWide mdStyle = iota // [t](Note%20Name.md): found like a wikilink
	mdAngle                    // [t](<Folder/Note Name.md>)
	mdRelative                 // [t](../Folder/Note%20Name.md)
)

// mdLink writes a Markdown link to a note, sometimes with a heading.
func (w *noteWriter) mdLink(style mdStyle) string {
	t := w.target()
	broken := w.broken()
	var p string
	switch style {
	case mdVaultWide:
		p = w.g.linkPath(w.n, t) + ".md"
		if broken {
			p = w.missingName() + ".md"
		}
	case mdAngle:
		p = t.path
		if broken {
			p = joinPath(t.dir, w.missingName()+".md")
		}
	case mdRelative:
		p = relPath(w.n.dir, t.path)
		if broken {
			p = relPath(w.n.dir, "Old Stuff/"+t.name+".md")
		}
	}
	sub := ""
	headingBroken := false
	if w.r.IntN(5) == 0 {
		headingBroken = !broken && w.broken()
		sub = "#" + w.subpath(t, false, headingBroken)
	}
	switch {
	case headingBroken:
		w.link(kMarkdown, dBrokenHeading, true)
	default:
		w.link(kMarkdown, dBrokenLink, broken)
	}
	text := w.label(t)
	if style == mdAngle {
		return "[" + text + "](<" + p + sub + ">)"
	}
	return "[" + text + "](" + encodePath(p+sub) + ")"
}

// encodePath percent-encodes what a bare Markdown destination cannot
// hold, as Obsidian writes it.
func encodePath(p string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E").Replace(p)
}

// attachment picks an attachment, or names a missing one when broken.
func (w *noteWriter) attachment(pdf, broken bool) (name, vaultPath string) {
	if broken {
		if pdf {
			return pick(w.r, nouns) + " Lost.pdf", "Attachments/" + pick(w.r, nouns) + " Lost.pdf"
		}
		n := fmt.Sprintf("Pasted image %d%02d%02d000000.png", 2010+w.r.IntN(9), 1+w.r.IntN(12), 1+w.r.IntN(28))
		return n, "Attachments/" + n
	}
	as := w.g.atts
	for range 20 {
		a := as[w.r.IntN(len(as))]
		if a.pdf == pdf {
			return a.name, a.path
		}
	}
	a := as[w.r.IntN(len(as))]
	return a.name, a.path
}

// attachmentLink writes [[Doc.pdf]] or [[Image.png]] in prose.
func (w *noteWriter) attachmentLink() string {
	broken := w.broken()
	name, _ := w.attachment(w.r.IntN(2) == 0, broken)
	w.link(kWiki, dBrokenLink, broken)
	return "[[" + name + "]]"
}

// embed writes an embed on a line of its own: an image (with a size), a
// PDF page, a note, a note's section or block, or a Markdown image.
func (w *noteWriter) embed() {
	r := w.r
	broken := w.broken()
	switch x := r.IntN(10); {
	case x < 4:
		name, _ := w.attachment(false, broken)
		size := ""
		if r.IntN(2) == 0 {
			size = pick(r, []string{"|300", "|640x480", "|100", "|500"})
		}
		w.link(kEmbed, dBrokenLink, broken)
		w.s("![[" + name + size + "]]\n\n")
	case x < 5:
		name, _ := w.attachment(true, broken)
		w.link(kEmbed, dBrokenLink, broken)
		w.s("![[" + name + pick(r, []string{"", "#page=3", "#height=400"}) + "]]\n\n")
	case x < 7:
		t := w.target()
		p := w.g.linkPath(w.n, t)
		switch r.IntN(3) {
		case 0:
			if broken {
				p = w.missingName()
			}
			w.link(kEmbed, dBrokenLink, broken)
			w.s("![[" + p + "]]\n\n")
		case 1:
			w.link(kEmbed, dBrokenHeading, broken)
			w.s("![[" + p + "#" + w.subpath(t, false, broken) + "]]\n\n")
		default:
			bt, id := w.blockTarget(broken)
			if bt == nil {
				w.link(kEmbed, 0, false)
				w.s("![[" + p + "]]\n\n")
				return
			}
			w.link(kEmbed, dBrokenBlockRef, broken)
			w.s("![[" + w.g.linkPath(w.n, bt) + "#^" + id + "]]\n\n")
		}
	default:
		name, vp := w.attachment(false, broken)
		alt := w.words(1 + r.IntN(3))
		w.link(kImage, dBrokenLink, broken)
		switch r.IntN(3) {
		case 0:
			w.s("![" + alt + "](" + encodePath(name) + ")\n\n")
		case 1:
			w.s("![" + alt + "](<" + vp + ">)\n\n")
		default:
			w.s("![" + alt + "](" + encodePath(relPath(w.n.dir, vp)) + ")\n\n")
		}
	}
}

// list writes a bulleted, numbered or task list, some items nested, one
// of them holding blockID when given.
func (w *noteWriter) list(blockID string) {
	r := w.r
	n := 3 + r.IntN(5)
	idItem := -1
	if blockID != "" {
		idItem = r.IntN(n)
	}
	style := r.IntN(4)
	for i := range n {
		indent := ""
		if i > 0 && r.IntN(5) == 0 {
			indent = "\t"
		}
		var marker string
		switch {
		case indent != "":
			marker = "- "
		case style == 1:
			marker = fmt.Sprintf("%d. ", i+1)
		case style == 2:
			marker = pick(r, []string{"- [ ] ", "- [x] ", "- [ ] "})
		default:
			marker = "- "
		}
		w.s(indent + marker)
		links := 0
		if r.IntN(4) == 0 {
			links = 1
		}
		w.sentence(links, 4+r.IntN(10))
		if i == idItem {
			w.s(" ^" + blockID)
		}
		w.s("\n")
	}
	w.s("\n")
}

// table writes a table whose first column links with "\|" before the
// label, as Obsidian writes links inside tables.
func (w *noteWriter) table(blockID string) {
	r := w.r
	w.s("| Item | Owner | Status | Notes |\n| --- | --- | --- | --- |\n")
	for range 2 + r.IntN(4) {
		t := w.target()
		p := w.g.linkPath(w.n, t)
		broken := w.broken()
		if broken {
			p = w.missingName()
		}
		w.link(kWiki, dBrokenLink, broken)
		w.s("| [[" + p + w.optLabel(t, `\|`) + "]] | " + pick(r, titleWords) + " | " + pick(r, statuses) + " | " + w.words(2+r.IntN(5)) + " |\n")
	}
	if blockID != "" {
		w.s("\n^" + blockID + "\n")
	}
	w.s("\n")
}

// code writes a fenced code block whose comments hold link look-alikes:
// code is never linked (links.md 7).
func (w *noteWriter) code() {
	r := w.r
	lang := pick(r, languages)
	comment := map[string]string{"python": "# ", "go": "// ", "js": "// ", "bash": "# ", "yaml": "# ", "sql": "-- ", "json": "", "text": ""}[lang]
	w.s("```" + lang + "\n")
	if comment != "" || lang == "text" {
		w.s(comment + "see [[" + pick(r, nouns) + " " + pick(r, nouns) + "]] and ![[" + strings.ToLower(pick(r, nouns)) + ".png]]\n")
	}
	for range 2 + r.IntN(8) {
		a, b := strings.ToLower(pick(r, nouns)), strings.ToLower(pick(r, nouns))
		switch lang {
		case "python":
			w.s(fmt.Sprintf("%s = compute(%s, limit=%d)\n", a, b, r.IntN(100)))
		case "go":
			w.s(fmt.Sprintf("%s := %s.Run(ctx, %d)\n", a, b, r.IntN(100)))
		case "js":
			w.s(fmt.Sprintf("const %s = await %s.fetch(%d);\n", a, b, r.IntN(100)))
		case "bash":
			w.s(fmt.Sprintf("%s --%s ./%s\n", a, b, a))
		case "yaml":
			w.s(fmt.Sprintf("%s: [[%s]]\n", a, b))
		case "sql":
			w.s(fmt.Sprintf("SELECT %s FROM %s WHERE id = %d;\n", a, b, r.IntN(1000)))
		case "json":
			w.s(fmt.Sprintf("{\"%s\": \"[%s](%s.md)\"}\n", a, b, b))
		default:
			w.s(w.words(6) + "\n")
		}
	}
	w.s("```\n\n")
}

// callout writes an Obsidian callout, followed by blockID on its own line
// when given (links.md 22).
func (w *noteWriter) callout(blockID string) {
	r := w.r
	fold := pick(r, []string{"", "", "-", "+"})
	w.s("> [!" + pick(r, callouts) + "]" + fold + " " + capitalize(w.words(1+r.IntN(4))) + "\n")
	for range 1 + r.IntN(3) {
		w.s("> ")
		w.sentence(r.IntN(2), 6+r.IntN(12))
		w.s(".\n")
	}
	if blockID != "" {
		w.s("\n^" + blockID + "\n")
	}
	w.s("\n")
}

// quote writes a block quote whose first line ends in a hard line break:
// exactly two spaces, which trailing-whitespace allows.
func (w *noteWriter) quote() {
	w.s("> ")
	w.sentence(w.r.IntN(2), 8+w.r.IntN(14))
	w.s(".  \n> — " + pick(w.r, titleWords) + "\n\n")
}

func (w *noteWriter) mathBlock() {
	w.s("$$\n" + pick(w.r, []string{
		`\int_0^1 x^2 \, dx = \frac{1}{3}`,
		`\sum_{i=1}^{n} i = \frac{n(n+1)}{2}`,
		`a^2 + b^2 = c^2`,
		`P(A \mid B) = \frac{P(B \mid A) P(A)}{P(B)}`,
		`\nabla \cdot \mathbf{E} = \frac{\rho}{\varepsilon_0}`,
	}) + "\n$$\n\n")
}

// frontmatter writes the YAML properties, or the planted frontmatter
// defect.
func (w *noteWriter) frontmatter() {
	r := w.r
	w.s("---\n")
	if w.has(dFrontmatterSyntax) {
		w.s(pick(r, []string{"created: 2023-01-01\n", ""}))
		switch w.variant % 3 {
		case 0:
			w.s("status: draft\nstatus: done\n")
		case 1:
			w.s("title: Notes: part: two\n")
		default:
			w.s("tags: [inbox, draft\n")
		}
		w.s("---\n")
		w.plant(dFrontmatterSyntax)
		return
	}
	switch {
	case w.has(dEmptyAlias):
		w.s([]string{"aliases: []\n", "aliases: [\"\"]\n", "aliases:\n", "aliases: [[]]\n"}[w.variant%4])
		w.plant(dEmptyAlias)
	case w.has(dDeprecatedProperty) && w.variant%3 == 0:
		w.s("alias: " + pick(r, adjectives) + " " + pick(r, nouns) + "\n")
		w.plant(dDeprecatedProperty)
	case len(w.n.aliases) > 0:
		if r.IntN(2) == 0 {
			w.s("aliases: [" + strings.Join(w.n.aliases, ", ") + "]\n")
		} else {
			w.s("aliases:\n")
			for _, a := range w.n.aliases {
				w.s("  - " + a + "\n")
			}
		}
	}
	switch {
	case w.has(dInvalidTag):
		// Only the tags property: invalid-tag leaves "#2024" in prose alone,
		// as Obsidian does not read it as a tag (rules/invalid_tag.go).
		w.s([]string{"tags:\n  - \"#inbox\"\n", "tags:\n  - reading\n  - \"2024\"\n", "tags: [to do]\n"}[w.variant%3])
		w.plant(dInvalidTag)
	case r.IntN(10) < 7:
		var ts []string
		for _, i := range r.Perm(len(tags))[:1+r.IntN(3)] {
			ts = append(ts, tags[i])
		}
		if r.IntN(2) == 0 {
			w.s("tags: [" + strings.Join(ts, ", ") + "]\n")
		} else {
			w.s("tags:\n")
			for _, t := range ts {
				w.s("  - " + t + "\n")
			}
		}
	}
	if w.has(dDeprecatedProperty) && w.variant%3 != 0 {
		w.s([]string{"", "tag: inbox\n", "cssclass: wide\n"}[w.variant%3])
		w.plant(dDeprecatedProperty)
	}
	badType := -1
	if w.has(dPropertyType) {
		badType = w.variant % 3
		w.plant(dPropertyType)
	}
	if badType == 0 {
		w.s("created: last week\n")
	} else if r.IntN(10) < 7 {
		w.s(fmt.Sprintf("created: %d-%02d-%02d\n", 2019+r.IntN(7), 1+r.IntN(12), 1+r.IntN(28)))
	}
	if r.IntN(10) < 3 {
		w.s(fmt.Sprintf("updated: %d-%02d-%02dT%02d:%02d:00\n", 2023+r.IntN(3), 1+r.IntN(12), 1+r.IntN(28), r.IntN(24), r.IntN(60)))
	}
	if r.IntN(10) < 4 {
		w.s("status: " + pick(r, statuses) + "\n")
	}
	if badType == 1 {
		w.s("priority: high\n")
	} else if r.IntN(10) < 2 {
		w.s(fmt.Sprintf("priority: %d\n", 1+r.IntN(5)))
	}
	if badType == 2 {
		w.s("done: maybe\n")
	} else if r.IntN(10) < 2 {
		w.s(fmt.Sprintf("done: %t\n", r.IntN(2) == 0))
	}
	if r.IntN(4) == 0 {
		w.s("up: \"" + w.fmLink() + "\"\n")
	}
	if r.IntN(4) == 0 {
		w.s("related:\n")
		for range 1 + r.IntN(3) {
			w.s("  - \"" + w.fmLink() + "\"\n")
		}
	}
	if r.IntN(5) == 0 {
		w.s("source: https://" + pick(r, domains) + "/" + strings.ToLower(pick(r, nouns)) + "\n")
	}
	w.s("---\n")
}

// fmLink is a frontmatter link, quoted by the caller: "[[Note]]",
// "[[Note|Label]]", or since Obsidian 1.11 "[Label](Note.md)".
func (w *noteWriter) fmLink() string {
	t := w.target()
	p := w.g.linkPath(w.n, t)
	broken := w.broken()
	if broken {
		p = w.missingName()
	}
	w.link(kFrontmatter, dBrokenLink, broken)
	switch w.r.IntN(6) {
	case 0:
		return "[[" + p + "|" + capitalize(w.label(t)) + "]]"
	case 1:
		return "[" + capitalize(w.label(t)) + "](" + encodePath(p+".md") + ")"
	default:
		return "[[" + p + "]]"
	}
}

// strayProperty writes property-like lines right below the frontmatter,
// where Obsidian shows them as text (seed 004). No link is among them, so
// that they give stray-property alone.
func (w *noteWriter) strayProperty() {
	switch w.variant % 3 {
	case 0:
		w.s("modification date: 2024-05-03 18:04\nreviewed: yes\n")
	case 1:
		w.s("Status: draft\n")
	default:
		w.s("source:\n- clipping\n")
	}
	w.plant(dStrayProperty)
}

// ambiguousLink writes a bare name that several notes hold, from a
// folder holding none of them: Obsidian guesses the shortest path.
func (w *noteWriter) ambiguousLink() {
	groups := w.g.groups
	start := w.r.IntN(len(groups))
	for k := range groups {
		grp := groups[(start+k)%len(groups)]
		ok := true
		for _, m := range grp {
			if strings.EqualFold(m.dir, w.n.dir) {
				ok = false
			}
		}
		if !ok {
			continue
		}
		w.s("See also [[" + grp[0].name + "]] for the " + w.words(2) + ".\n\n")
		w.link(kWiki, dAmbiguousLink, true)
		return
	}
}

// bodyDefect writes the note's planted defect that lives in its prose.
func (w *noteWriter) bodyDefect() {
	if !w.n.hasDef {
		return
	}
	v := w.variant
	valid := func() (string, *notePlan) {
		t := w.target()
		return w.g.linkPath(w.n, t), t
	}
	start := func() { w.s(capitalize(w.words(3+w.r.IntN(4))) + " ") }
	end := func() { w.s(" " + w.words(2+w.r.IntN(4)) + ".\n\n") }
	switch w.n.defect {
	case dEmptyLink:
		start()
		switch v % 5 {
		case 0:
			w.s("[[]]")
			w.link(kWiki, 0, false)
		case 1:
			w.s("![[]]")
			w.link(kEmbed, 0, false)
		case 2:
			w.s("[[|" + w.words(2) + "]]")
			w.link(kWiki, 0, false)
		case 3:
			w.s("[[#]]")
			w.link(kWiki, 0, false)
		default:
			w.s("[" + w.words(2) + "]()")
			w.link(kMarkdown, 0, false)
		}
		end()
		w.plant(dEmptyLink)
	case dLinkSpacing:
		p, t := valid()
		w.link(kWiki, 0, false)
		label := w.label(t)
		switch v % 5 {
		case 0: // two spaces after the link (seed 004: "[[Envoy|envoy]]  Steve")
			start()
			w.s("[[" + p + "|" + label + "]]  " + w.words(3) + ".\n\n")
		case 1: // two spaces before it
			start()
			w.s(" [[" + p + "]]")
			end()
		case 2: // a space before the full stop ("[[Proposal|proposal]] .")
			start()
			w.s("[[" + p + "|" + label + "]] .\n\n")
		case 3: // a space inside the brackets
			start()
			w.s("[[" + p + "| " + label + "]]")
			end()
		default: // a space before the closing quote (seed 004)
			w.s(capitalize(w.words(3)) + " \"[[" + p + "|" + label + "]] \" " + w.words(3) + ".\n\n")
		}
		w.plant(dLinkSpacing)
	case dMalformedLink:
		p, _ := valid()
		start()
		switch v % 3 {
		case 0:
			w.s("[[" + p + "]")
			end()
		case 1:
			w.s("[" + p + "]]")
			end()
		default:
			w.s("[[" + p + "\n\n")
		}
		w.plant(dMalformedLink)
	case dRedundantLinkLabel:
		p, _ := valid()
		start()
		w.s("[[" + p + "|" + p + "]]")
		w.link(kWiki, 0, false)
		end()
		w.plant(dRedundantLinkLabel)
	case dDuplicateBlockID:
		id := "dup-1"
		if len(w.n.blocks) > 0 {
			id = w.n.blocks[0].id
		} else {
			w.paragraph(0, id, "")
		}
		w.paragraph(0, id, "")
		w.plant(dDuplicateBlockID)
	case dTrailingWhitespace:
		w.paragraph(0, "", []string{" ", "\t", "   "}[v%3])
		w.plant(dTrailingWhitespace)
	case dUnusedSuppression:
		w.s("%% vaultlint-disable-next-line trailing-whitespace %%\n")
		w.paragraph(0, "", "")
		w.plant(dUnusedSuppression)
	}
}

// taken reports whether a note or attachment has this name (compared
// case-insensitively), so that a broken link's target is surely missing.
func (g *gen) taken(name string) bool {
	k := strings.ToLower(name)
	return len(g.byName[k]) > 0 || g.special[k]
}
