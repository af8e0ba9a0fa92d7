package vault

// ReplaceNote swaps a note of the vault for a new parse of it (after
// fixes changed its bytes). The set of files is unchanged, so the index
// stays valid; aliases are rebuilt on next use.
func (v *Vault) ReplaceNote(n *Note) bool {
	f := v.File(n.Path)
	if f == nil || f.Note == nil {
		return false
	}
	old := f.Note
	n.Excluded = old.Excluded
	n.file = f
	f.Note = n
	for i, m := range v.Notes {
		if m == old {
			v.Notes[i] = n
			break
		}
	}
	v.aliasMu.Lock()
	v.aliases = nil
	v.aliasMu.Unlock()
	return true
}
