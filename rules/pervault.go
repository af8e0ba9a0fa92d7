package rules

import (
	"runtime"
	"sync"
	"weak"

	"github.com/vaultlint/vaultlint/vault"
)

// perVault keeps a value that rules derive from a vault as a whole (an
// index of its names, its property types by lower-case name), built once
// however many notes ask for it, at once or not. Rules get a vault, not a
// place to keep state in it; the values are keyed by a weak pointer, so a
// vault can still be freed, and its value with it.
type perVault[T any] struct {
	m sync.Map // weak.Pointer[vault.Vault] → *lazyValue[T]
}

type lazyValue[T any] struct {
	once sync.Once
	v    T
}

// get returns v's value, calling build the first time it is asked for.
func (c *perVault[T]) get(v *vault.Vault, build func(*vault.Vault) T) T {
	k := weak.Make(v)
	e, ok := c.m.Load(k)
	if !ok {
		var loaded bool
		e, loaded = c.m.LoadOrStore(k, &lazyValue[T]{})
		if !loaded {
			runtime.AddCleanup(v, func(k weak.Pointer[vault.Vault]) { c.m.Delete(k) }, k)
		}
	}
	lv := e.(*lazyValue[T])
	lv.once.Do(func() { lv.v = build(v) })
	return lv.v
}
