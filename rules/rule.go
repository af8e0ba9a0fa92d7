package rules

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/vault"
)

// Severity is how much a finding matters. Off disables a rule.
type Severity uint8

// Severities, lowest first.
const (
	Off Severity = iota
	Info
	Warning
	Error
)

func (s Severity) String() string {
	return [...]string{"off", "info", "warning", "error"}[s]
}

// ParseSeverity reads "off", "info", "warning" or "error".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "off":
		return Off, nil
	case "info":
		return Info, nil
	case "warning":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return Off, fmt.Errorf("unknown severity %q (want off, info, warning or error)", s)
}

// FixKind says whether a rule can fix what it finds, and how safely.
type FixKind uint8

// Fix kinds.
const (
	NoFix     FixKind = iota
	SafeFix           // applied by default: cannot change what a note means or links to
	UnsafeFix         // applied only with --unsafe-fixes
)

func (k FixKind) String() string { return [...]string{"no", "safe", "unsafe"}[k] }

// Option is a setting of a rule, with its default value (bool, int or
// string) that also fixes its type.
type Option struct {
	Name    string
	Default any
	Doc     string
}

// Rule is one check.
type Rule struct {
	ID       string // stable: used in config, suppressions and output
	Summary  string // one line
	Doc      string // longer explanation
	Before   string // an example the rule flags
	After    string // the same example, fixed or rewritten
	Severity Severity
	Fix      FixKind
	Options  []Option
	// VaultWide rules need every note's links (orphans, unused
	// attachments) and run only when the whole vault is checked.
	VaultWide bool
	// ReadsTargets rules resolve the note's links (Pass.Resolution) and
	// read what they point at: other notes' headings, blocks and aliases.
	// They run once every note is parsed, when the note's source may have
	// been released (see Checker): such a rule reads the note's links,
	// headings and blocks, and its text only through Pass.Source. The
	// other rules read nothing but their own note.
	ReadsTargets bool
	// MayReport, for a rule with ReadsTargets, says whether the rule can
	// report on link l of a note given r, the resolution of the link's
	// path alone (Vault.ResolveFile: no subpath, since the notes it names
	// may not be parsed yet). A Checker asks it of every link as soon as
	// the note is parsed, and keeps for Finish only the links some rule
	// may report on: in a large vault most links resolve plainly, and
	// keeping them all until the end was most of what a check held in
	// memory. It must answer true for every link the rule reports on
	// (TestMayReport checks it on every test vault); nil means any link.
	//
	// It is asked first with r nil, before the link is resolved: a rule
	// that may report on l whatever its path resolves to answers true
	// then, and spares the resolution (a cache miss or more per link in
	// a large vault); one that cannot tell without it answers false, and
	// is asked again with r. It must not keep r, which is reused.
	MayReport func(l *vault.Link, r *vault.Resolution) bool
	// Run checks one note. A rule has Run or RunVault, not both.
	Run func(*Pass)
	// Prepare, when set, builds what Run will want of the vault as a
	// whole from its files alone, not from any note's content
	// (broken-link's index of file names). A Checker calls it in the
	// background as soon as the files are known, while the notes are
	// still being parsed, so that the link rules do not wait on it. It
	// must be safe to call more than once and while notes are parsed.
	Prepare func(*vault.Vault)
	// RunVault checks the vault as a whole, once per run (file names,
	// case conflicts, orphans); it may report on any file, attachments
	// included.
	RunVault func(*VaultPass)
}

// Option returns the rule's option by name.
func (r *Rule) Option(name string) (Option, bool) {
	for _, o := range r.Options {
		if o.Name == name {
			return o, true
		}
	}
	return Option{}, false
}

var (
	registryMu sync.Mutex
	registry   = map[string]*Rule{}
)

// Register adds a rule to the catalogue; rule files call it from init.
func Register(r *Rule) *Rule {
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[r.ID]; dup {
		panic("rules: duplicate rule id " + r.ID)
	}
	registry[r.ID] = r
	return r
}

// All returns every rule, sorted by id.
func All() []*Rule {
	registryMu.Lock()
	defer registryMu.Unlock()
	out := make([]*Rule, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ByID returns the rule with this id, or nil.
func ByID(id string) *Rule {
	registryMu.Lock()
	defer registryMu.Unlock()
	return registry[id]
}

// Fix is a proposed repair: edits to the note's bytes, all or nothing.
type Fix struct {
	Safe  bool
	Edits []fix.Edit
}

// Diagnostic is one finding in one note.
type Diagnostic struct {
	Rule     string
	Path     string // vault path of the note
	Span     vault.Span
	Severity Severity
	Message  string
	Fix      *Fix
	// Positions, 1-based, columns in code points; set by the engine.
	Line, Column, EndLine, EndColumn int

	// complete, when set, returns the whole Message; the engine calls it
	// once every note's rules have run, and clears it (Pass.reportLater).
	complete func() string
}

// Fixable reports whether the diagnostic's fix is applied by default, or
// with unsafe fixes allowed when unsafe is true.
func (d *Diagnostic) Fixable(unsafe bool) bool {
	return d.Fix != nil && (d.Fix.Safe || unsafe)
}

// Pass is what a rule's Run gets for one note.
type Pass struct {
	Vault *vault.Vault
	Note  *vault.Note
	Rule  *Rule
	opts  map[string]any
	diags []Diagnostic
	// shared is what the rules of one note compute once for all of them.
	shared *noteState
}

// noteState holds what several rules of a note need: each link is
// resolved once, however many link rules look at it.
type noteState struct {
	res      []vault.Resolution
	resolved []bool
	lines    []lineAt // nil until bodyLines is first called
	// src is the note's source read again (Pass.Source), once asked for.
	src     []byte
	srcDone bool
	srcErr  error
}

// source returns the note's source, reading a released note's file
// again the first time; nil when that fails (srcErr says why).
func (s *noteState) source(v *vault.Vault, n *vault.Note) []byte {
	if !n.Released() {
		return n.Src
	}
	if !s.srcDone {
		s.srcDone = true
		s.src, s.srcErr = v.Source(n)
	}
	return s.src
}

// Source returns the note's text: Note.Src, or when the note's source was
// released, the file read again. It returns nil when the file changed
// since it was parsed (or cannot be read): the engine then reports that,
// and the rule should report what it can without the text (a finding
// without its fix).
func (p *Pass) Source() []byte {
	return p.state().source(p.Vault, p.Note)
}

// Resolution resolves the note's i-th link (file and subpath), once per
// note. Only a rule with ReadsTargets may ask: the others run while other
// notes are still being parsed.
func (p *Pass) Resolution(i int) *vault.Resolution {
	if !p.Rule.ReadsTargets {
		panic("rule " + p.Rule.ID + " resolves links without ReadsTargets")
	}
	s := p.state()
	if s.res == nil {
		s.res, s.resolved = getResolutions(len(p.Note.Links))
		p.Vault.WarmLinks(p.Note, p.Note.Links)
	}
	if !s.resolved[i] {
		s.res[i] = p.Vault.Resolve(p.Note, &p.Note.Links[i])
		s.resolved[i] = true
	}
	return &s.res[i]
}

// resolutionPool recycles noteState's slices from note to note: sized
// for every link of a note, they were a tenth of what rules allocate.
var resolutionPool sync.Pool // *resolutions

type resolutions struct {
	res  []vault.Resolution
	done []bool
}

func getResolutions(n int) ([]vault.Resolution, []bool) {
	if r, ok := resolutionPool.Get().(*resolutions); ok && cap(r.res) >= n {
		res, done := r.res[:n], r.done[:n]
		clear(res)
		clear(done)
		return res, done
	}
	return make([]vault.Resolution, n), make([]bool, n)
}

var linesPool sync.Pool // *[]lineAt

func getLines() []lineAt {
	if l, ok := linesPool.Get().(*[]lineAt); ok {
		return (*l)[:0]
	}
	return make([]lineAt, 0, 64)
}

// release gives the note's scratch space back; nothing may use it after.
func (s *noteState) release() {
	if s.res != nil {
		resolutionPool.Put(&resolutions{s.res, s.resolved})
		s.res, s.resolved = nil, nil
	}
	if s.lines != nil {
		lines := s.lines
		linesPool.Put(&lines)
		s.lines = nil
	}
}

func (p *Pass) state() *noteState {
	if p.shared == nil {
		p.shared = &noteState{}
	}
	return p.shared
}

// Report records a finding. A fix is marked safe or unsafe by the rule's
// FixKind.
func (p *Pass) Report(span vault.Span, msg string, edits ...fix.Edit) {
	d := Diagnostic{Rule: p.Rule.ID, Path: p.Note.Path, Span: span, Message: msg}
	if len(edits) > 0 && p.Rule.Fix != NoFix {
		d.Fix = &Fix{Safe: p.Rule.Fix == SafeFix, Edits: edits}
	}
	p.diags = append(p.diags, d)
}

// reportLater is Report with a message that complete finishes once every
// note's rules have run (completeMessages). broken-link's suggestions
// search a table of every name in the vault: searched between one note's
// link resolutions and the next's, the two evicted each other's data
// from the CPU's caches, and the link rules of a 100,000-note vault took
// a quarter longer than with the suggestions searched all together
// after them.
func (p *Pass) reportLater(span vault.Span, complete func() string, edits ...fix.Edit) {
	p.Report(span, "", edits...)
	p.diags[len(p.diags)-1].complete = complete
}

// completeMessages finishes the messages that reportLater left to finish.
func completeMessages(ds []Diagnostic) {
	for i := range ds {
		if d := &ds[i]; d.complete != nil {
			d.Message, d.complete = d.complete(), nil
		}
	}
}

// Reportf is Report with a formatted message and no fix.
func (p *Pass) Reportf(span vault.Span, format string, args ...any) {
	p.Report(span, fmt.Sprintf(format, args...))
}

// Bool returns a bool option of the rule.
func (p *Pass) Bool(name string) bool {
	v, _ := p.option(name).(bool)
	return v
}

// Int returns an int option of the rule.
func (p *Pass) Int(name string) int {
	v, _ := p.option(name).(int)
	return v
}

// String returns a string option of the rule.
func (p *Pass) String(name string) string {
	v, _ := p.option(name).(string)
	return v
}

func (p *Pass) option(name string) any { return optionOf(p.Rule, p.opts, name) }

func optionOf(r *Rule, opts map[string]any, name string) any {
	if v, ok := opts[name]; ok {
		return v
	}
	if o, ok := r.Option(name); ok {
		return o.Default
	}
	panic(fmt.Sprintf("rule %s has no option %q", r.ID, name))
}

// VaultPass is what a rule's RunVault gets: the whole vault.
type VaultPass struct {
	Vault *vault.Vault
	Rule  *Rule
	opts  map[string]any
	diags []Diagnostic
}

// Report records a finding in the file at path (a note or an
// attachment); span is a byte range of the note, or empty for a file as
// a whole.
func (p *VaultPass) Report(path string, span vault.Span, msg string, edits ...fix.Edit) {
	d := Diagnostic{Rule: p.Rule.ID, Path: path, Span: span, Message: msg}
	if len(edits) > 0 && p.Rule.Fix != NoFix {
		d.Fix = &Fix{Safe: p.Rule.Fix == SafeFix, Edits: edits}
	}
	p.diags = append(p.diags, d)
}

// Bool returns a bool option of the rule.
func (p *VaultPass) Bool(name string) bool {
	v, _ := optionOf(p.Rule, p.opts, name).(bool)
	return v
}

// Int returns an int option of the rule.
func (p *VaultPass) Int(name string) int {
	v, _ := optionOf(p.Rule, p.opts, name).(int)
	return v
}

// String returns a string option of the rule.
func (p *VaultPass) String(name string) string {
	v, _ := optionOf(p.Rule, p.opts, name).(string)
	return v
}
