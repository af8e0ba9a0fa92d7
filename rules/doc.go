// Package rules holds vaultlint's checks and the engine that runs them.
//
// A Rule is a value: an id users write in config and suppressions, a
// one-line summary, a longer doc with a before/after example, a default
// severity, whether and how safely it can fix what it finds, and a Run
// function. Run gets a Pass (the note, the vault, the rule's options) and
// reports Diagnostics; a fixable diagnostic carries a Fix made of byte
// edits (package fix). Rules never touch the disk: everything they see
// comes from package vault, and what they change is only proposed.
//
// Each rule lives in its own file and registers itself; All lists them.
//
// Check runs the rules over a loaded vault. A Checker runs them while the
// vault loads, in two steps: each note's own rules as soon as the note is
// parsed, after which the note lets go of its source and of the links no
// link rule may report on (Rule.MayReport), which is what vaultlint check
// does, so that a large vault is never held in memory whole; then the
// rules that resolve links (ReadsTargets), which need every note parsed,
// and the rules of the vault as a whole. The two give the same
// diagnostics (rulestest compares them on every rule's cases).
package rules
