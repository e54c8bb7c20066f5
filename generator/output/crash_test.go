//go:build unix

package output

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
)

// The environment of a child process that builds and kills itself.
const (
	envCrashAt       = "COACHSITE_TEST_CRASH_AT"       // the step to die at
	envCrashTarget   = "COACHSITE_TEST_CRASH_TARGET"   // the output folder
	envCrashFallback = "COACHSITE_TEST_CRASH_FALLBACK" // "1": swap with two renames
)

func TestMain(m *testing.M) {
	if step := os.Getenv(envCrashAt); step != "" {
		crashChild(step, os.Getenv(envCrashTarget), os.Getenv(envCrashFallback) == "1")
		// Not reached when the step was: the process is dead.
		fmt.Fprintf(os.Stderr, "step %q never came\n", step)
		os.Exit(3)
	}
	os.Exit(m.Run())
}

// generation returns the files of one build of a small site: every build
// writes other bytes and a slightly different set of paths, so that a tree
// that is neither one build nor another shows.
func generation(n int) map[string]string {
	files := map[string]string{}
	for i := range 40 + n {
		files[fmt.Sprintf("clients/c%02d/index.html", i)] = fmt.Sprintf("build %d, client %d", n, i)
	}
	files["index.html"] = fmt.Sprintf("build %d", n)
	files["assets/site.css"] = fmt.Sprintf("/* build %d */", n)
	return files
}

// build writes files into target, calling hook("writing") half-way.
func build(target string, files map[string]string) error {
	d, err := Begin(target, Options{})
	if err != nil {
		return err
	}
	paths := slices.Sorted(maps.Keys(files))
	for i, p := range paths {
		if i == len(paths)/2 {
			testHook("writing")
		}
		if err := d.WriteFile(p, []byte(files[p])); err != nil {
			d.Abort()
			return err
		}
	}
	return d.Commit()
}

func crashChild(step, target string, fallback bool) {
	if fallback {
		exchange = func(a, b string) error { return errNoExchange }
	}
	testHook = func(s string) {
		if s == step {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way
		}
	}
	if err := build(target, generation(2)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(4)
	}
}

// withMarker is what a build of files leaves in its output folder.
func withMarker(files map[string]string) map[string]string {
	m := maps.Clone(files)
	m[MarkerFile] = markerText
	return m
}

// TestKillAtEveryStepLeavesOldOrNew builds an output, then runs a second
// build in a child process that SIGKILLs itself at one step of its life on
// disk, for every step and both ways of swapping. What the kill leaves must
// be the first build complete or the second complete — or, only for the
// instant between the two renames of the fallback swap, no output and the
// first build aside, which the next build puts back. The next build must
// then succeed and leave nothing else behind.
func TestKillAtEveryStepLeavesOldOrNew(t *testing.T) {
	steps := []struct {
		step     string
		fallback bool
		want     int // the build the output folder holds after the kill; 0 for none
	}{
		{"locked", false, 1},
		{"staged", false, 1},
		{"writing", false, 1},
		{"written", false, 1},
		{"marked", false, 1},
		{"swapped", false, 2}, // exchanged; the old tree not removed yet
		{"marked", true, 1},
		{"aside", true, 0}, // between the two renames
		{"swapped", true, 2},
	}
	old, next := withMarker(generation(1)), withMarker(generation(2))
	for _, s := range steps {
		name := s.step
		if s.fallback {
			name += "/two-renames"
		}
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			target := filepath.Join(root, "public")
			if err := build(target, generation(1)); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), envCrashAt+"="+s.step, envCrashTarget+"="+target)
			if s.fallback {
				cmd.Env = append(cmd.Env, envCrashFallback+"=1")
			}
			out, err := cmd.CombinedOutput()
			ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
			if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Fatalf("child was not killed at %s: %v\n%s", s.step, err, out)
			}

			switch s.want {
			case 0:
				if _, err := os.Lstat(target); err == nil {
					t.Fatalf("output exists after a kill between the renames")
				}
			case 1, 2:
				got := readAll(t, target)
				want := map[int]map[string]string{1: old, 2: next}[s.want]
				if !maps.Equal(got, want) {
					t.Fatalf("after a kill at %s the output is neither complete build: %d files, want build %d (%d files)", s.step, len(got), s.want, len(want))
				}
			}
			if s.step != "locked" && s.want != 2 && len(listNames(t, root)) < 3 {
				t.Errorf("the kill left nothing to clean up: %v", listNames(t, root))
			}

			if s.want == 0 {
				// The next build first puts the old output back.
				d, err := Begin(target, Options{})
				if err != nil {
					t.Fatal(err)
				}
				if got := readAll(t, target); !maps.Equal(got, old) {
					t.Fatalf("the next build did not restore the old output: %d files", len(got))
				}
				d.Abort()
			}
			if err := build(target, generation(3)); err != nil {
				t.Fatalf("the build after the kill: %v", err)
			}
			if got := readAll(t, target); !maps.Equal(got, withMarker(generation(3))) {
				t.Fatalf("the build after the kill wrote %d files", len(got))
			}
			if names := listNames(t, root); !slices.Equal(names, []string{".public.lock", "public"}) {
				t.Errorf("leftovers after the next build: %v", names)
			}
		})
	}
}
