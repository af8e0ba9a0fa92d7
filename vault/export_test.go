package vault

// DropShortNames makes v resolve every link the general way, without
// index.short, for tests that compare the two.
func DropShortNames(v *Vault) { v.index.short = nil }
