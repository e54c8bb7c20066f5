package browsertest

import (
	"errors"
	"strings"
	"testing"
)

func TestFindWebKit(t *testing.T) {
	installed := map[string]string{"WebKitWebDriver": "/usr/bin/WebKitWebDriver", "xvfb-run": "/usr/bin/xvfb-run", "/opt/wd": "/opt/wd"}
	lookPath := func(name string) (string, error) {
		if p, ok := installed[name]; ok {
			return p, nil
		}
		return "", errors.New(name + ": not found")
	}
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == envWebKitDriver {
				return v
			}
			return ""
		}
	}
	if d, x, err := findWebKit(env(""), lookPath); err != nil || d != "/usr/bin/WebKitWebDriver" || x != "/usr/bin/xvfb-run" {
		t.Errorf("both installed: %q %q %v", d, x, err)
	}
	if d, _, err := findWebKit(env("/opt/wd"), lookPath); err != nil || d != "/opt/wd" {
		t.Errorf("%s=/opt/wd: %q %v", envWebKitDriver, d, err)
	}
	if _, _, err := findWebKit(env("/missing/wd"), lookPath); err == nil || !strings.Contains(err.Error(), "/missing/wd") {
		t.Errorf("a missing %s: want an error naming it, got %v", envWebKitDriver, err)
	}
	delete(installed, "xvfb-run")
	if _, _, err := findWebKit(env(""), lookPath); err == nil || !strings.Contains(err.Error(), "xvfb-run") {
		t.Errorf("no xvfb-run: want an error naming it, got %v", err)
	}
}

func TestMissingWebKitSkipsLocallyAndFailsOnCI(t *testing.T) {
	var local recorder
	missingWebKit(&local, false, errors.New("none found"))
	if local.fatal != "" || !strings.Contains(local.skip, "apt-get install webkit2gtk-driver xvfb") {
		t.Errorf("without CI: skip %q, fatal %q; want a skip telling how to install", local.skip, local.fatal)
	}
	var ci recorder
	missingWebKit(&ci, true, errors.New("none found"))
	if ci.skip != "" || !strings.Contains(ci.fatal, "apt-get install webkit2gtk-driver xvfb") {
		t.Errorf("with CI=true: skip %q, fatal %q; want a failure", ci.skip, ci.fatal)
	}
}
