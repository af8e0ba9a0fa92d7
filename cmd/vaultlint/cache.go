package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"

	"github.com/vaultlint/vaultlint/internal/cache"
	"github.com/vaultlint/vaultlint/internal/config"
	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/vault"
)

// cacheVersion names this build of vaultlint in the cache's run key, so
// that findings made by another build are never reused. A release's
// version says which build it is; a build from a work tree reports
// "devel" (or a "+dirty" version) however its code changes, so for those
// the executable's path, size and modification time are added. Tests
// replace it.
var cacheVersion = func() string {
	v := fullVersion()
	if v != "devel" && !strings.Contains(v, "+dirty") {
		return v
	}
	exe, err := os.Executable()
	if err != nil {
		return v
	}
	st, err := os.Stat(exe)
	if err != nil {
		return v
	}
	return fmt.Sprintf("%s\x00%s\x00%d\x00%d", v, exe, st.Size(), st.ModTime().UnixNano())
}

// cacheStats, when set (by tests), is told how much the cache served.
var cacheStats func(cache.Stats)

// userCacheDir is where caches go. Tests replace it, rather than set
// XDG_CACHE_HOME, which the go command and pre-commit that some tests run
// read too, and which macOS and Windows do not honour.
var userCacheDir = os.UserCacheDir

// checkCached loads and checks the vault as check does, through the warm
// cache: it parses and checks only the notes that changed since the
// last run and reuses the findings of the rest. It returns the vault
// (every file indexed, the Problems of the files checked), the findings,
// and the summary's link count, which the vault cannot give since most
// of its notes are not parsed.
func checkCached(ctx context.Context, root string, conf *config.Config, opts vault.Options, cfg rules.Config, e *env) (*vault.Vault, []rules.Diagnostic, int, error) {
	o := cache.Options{Version: cacheVersion(), Load: opts, Check: cfg,
		Warn: func(err error) { e.errorf("warning: %v", err) }}
	base, err := userCacheDir()
	if err == nil {
		o.File, err = cache.Path(base, root)
	}
	if err != nil {
		o.Warn(fmt.Errorf("cache not used: %w", err))
	}
	if conf.File != "" && o.File != "" {
		// The run key holds the config's bytes; they must be those
		// loadConfig parsed. If the file changed since, do without.
		b, err := os.ReadFile(conf.File)
		if err == nil {
			var now *config.Config
			if now, err = config.Parse(conf.File, b); err == nil && !reflect.DeepEqual(now, conf) {
				err = errors.New("changed while vaultlint ran")
			}
		}
		if err != nil {
			o.Warn(fmt.Errorf("cache not used: config %s: %w", conf.File, err))
			o.File = ""
		}
		o.Config = b
	}
	res, err := cache.Check(ctx, root, o)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("cannot read the vault: %w", err)
	}
	if cacheStats != nil {
		cacheStats(res.Stats)
	}
	return res.Vault, res.Diagnostics, res.Links, nil
}
