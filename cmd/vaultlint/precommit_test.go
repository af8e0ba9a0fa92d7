package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPreCommit runs the hooks of .pre-commit-hooks.yaml with the real
// pre-commit framework, as a vault repository would: pre-commit builds
// vaultlint from this repository with 'go install' (language: golang) and
// runs it on the vault's notes.
//
// try-repo is pointed at a commit of this repository's working tree (its
// tracked and untracked, not ignored, files), made in a temporary
// repository: pre-commit clones a repository at a commit, and its own
// shadow commit of uncommitted changes leaves out new files.
func TestPreCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the pre-commit end-to-end test in -short mode")
	}
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Skip("skipping the pre-commit end-to-end test: pre-commit is not on PATH (Debian package pre-commit, or pip install pre-commit; .ci/run installs it)")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("skipping the pre-commit end-to-end test: git is not on PATH")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	env := pcEnv(t)

	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	hooks := pcSnapshot(ctx, t, env, repo)

	vault := t.TempDir()
	pcGitInit(ctx, t, env, vault)
	pcWrite(t, vault, ".obsidian/app.json", "{}\n")
	pcWrite(t, vault, "Index.md", "# Index\n\nSee [[Ceasefire talks]] and [[Other]].\n")
	pcWrite(t, vault, "Other.md", "# Other\n\nBack to [[Index]].\n")
	pcCommitAll(ctx, t, env, vault, "vault with a broken link")

	tryRepo := func(hook string) (string, error) {
		t.Helper()
		out, err := pcRun(ctx, env, vault, "pre-commit", "try-repo", hooks, hook, "--all-files", "--verbose")
		t.Logf("pre-commit try-repo %s (%v):\n%s", hook, err, out)
		return out, err
	}

	// The broken link fails the check hook, which names it.
	out, err := tryRepo("vaultlint")
	if err == nil {
		t.Fatalf("vaultlint hook passed on a broken link:\n%s", out)
	}
	for _, want := range []string{"Index.md:3:5:", "broken-link", `"Ceasefire talks"`} {
		if !strings.Contains(out, want) {
			t.Errorf("vaultlint hook output does not name the broken link (%q):\n%s", want, out)
		}
	}
	if !strings.Contains(out, "vaultlint") || !strings.Contains(out, "Failed") {
		t.Errorf("pre-commit does not report the vaultlint hook as failed:\n%s", out)
	}

	// Fixed, it passes.
	pcWrite(t, vault, "Index.md", "# Index\n\nSee [[Other]].\n")
	pcCommitAll(ctx, t, env, vault, "fix the link")
	if out, err := tryRepo("vaultlint"); err != nil {
		t.Fatalf("vaultlint hook failed on a vault without problems: %v\n%s", err, out)
	} else if !strings.Contains(out, "Passed") {
		t.Errorf("pre-commit does not report the vaultlint hook as passed:\n%s", out)
	}

	// The fix hook repairs a link-spacing artifact, and pre-commit fails
	// it for modifying the file.
	pcWrite(t, vault, "Spacing.md", "# Spacing\n\nSee [[Other|other]]  now.\n")
	pcCommitAll(ctx, t, env, vault, "a link-spacing artifact")
	out, err = tryRepo("vaultlint-fix")
	if err == nil {
		t.Fatalf("vaultlint-fix hook passed though it had a file to fix:\n%s", out)
	}
	if !strings.Contains(out, "files were modified by this hook") {
		t.Errorf("pre-commit does not report the fixed file as modified:\n%s", out)
	}
	got, err := os.ReadFile(filepath.Join(vault, "Spacing.md"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "# Spacing\n\nSee [[Other|other]] now.\n"; string(got) != want {
		t.Errorf("vaultlint-fix left Spacing.md as\n%q\nwant\n%q", got, want)
	}

	// Nothing left to fix: it passes.
	pcCommitAll(ctx, t, env, vault, "fixed")
	if out, err := tryRepo("vaultlint-fix"); err != nil {
		t.Fatalf("vaultlint-fix hook failed with nothing to fix: %v\n%s", err, out)
	}
}

// pcEnv is the environment of the commands: this one (GOFLAGS,
// GOPROXY and the rest of Go's settings pass through) without git's
// per-repository variables, with a PRE_COMMIT_HOME of the test's own,
// and the module cache shared with this build, so that pre-commit's 'go
// install' need not download the modules again.
func pcEnv(t *testing.T) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GIT_") || k == "PRE_COMMIT_HOME" || k == "PRE_COMMIT" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "PRE_COMMIT_HOME="+t.TempDir(), "PRE_COMMIT_COLOR=never", "NO_COLOR=1")
	if os.Getenv("GOMODCACHE") == "" {
		if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil && len(bytes.TrimSpace(out)) > 0 {
			env = append(env, "GOMODCACHE="+string(bytes.TrimSpace(out)))
		}
	}
	return env
}

// pcSnapshot commits the working tree of repo (tracked and untracked
// files that git does not ignore; every file but .git/ when repo is not
// a git work tree) to a new repository and returns its path.
func pcSnapshot(ctx context.Context, t *testing.T, env []string, repo string) string {
	t.Helper()
	var files []string
	if out, err := exec.CommandContext(ctx, "git", "-C", repo, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output(); err == nil {
		files = strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	} else {
		err := filepath.WalkDir(repo, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == ".git" {
				return filepath.SkipDir
			}
			if !d.IsDir() {
				rel, err := filepath.Rel(repo, p)
				if err != nil {
					return err
				}
				files = append(files, filepath.ToSlash(rel))
			}
			return nil
		})
		if err != nil {
			t.Fatalf("listing the files of %s: %v", repo, err)
		}
	}
	dst := t.TempDir()
	for _, rel := range files {
		if rel == "" {
			continue
		}
		if err := pcCopyFile(filepath.Join(repo, filepath.FromSlash(rel)), filepath.Join(dst, filepath.FromSlash(rel))); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // deleted in the working tree
			}
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dst, ".pre-commit-hooks.yaml")); err != nil {
		t.Fatalf("the repository has no .pre-commit-hooks.yaml: %v", err)
	}
	pcGitInit(ctx, t, env, dst)
	pcCommitAll(ctx, t, env, dst, "snapshot of the working tree")
	return dst
}

func pcCopyFile(src, dst string) error {
	st, err := os.Lstat(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	switch {
	case st.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(src)
		if err != nil {
			return err
		}
		return os.Symlink(target, dst)
	case !st.Mode().IsRegular():
		return nil // a submodule or other non-file entry
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, st.Mode().Perm())
}

func pcGitInit(ctx context.Context, t *testing.T, env []string, dir string) {
	t.Helper()
	for _, args := range [][]string{
		{"init", "--quiet"},
		{"config", "user.name", "vaultlint test"},
		{"config", "user.email", "vaultlint-test@example.invalid"},
		{"config", "commit.gpgsign", "false"},
		{"config", "core.autocrlf", "false"},
	} {
		if out, err := pcRun(ctx, env, dir, "git", args...); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

func pcCommitAll(ctx context.Context, t *testing.T, env []string, dir, msg string) {
	t.Helper()
	for _, args := range [][]string{
		{"add", "--all"},
		{"commit", "--quiet", "--no-verify", "--allow-empty", "-m", msg},
	} {
		if out, err := pcRun(ctx, env, dir, "git", args...); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

func pcWrite(t *testing.T, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// pcRun runs a command in dir and returns its combined output.
func pcRun(ctx context.Context, env []string, dir, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err
}
