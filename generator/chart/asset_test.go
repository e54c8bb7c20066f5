package chart

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/themes"
)

// echartsSHA256 pins the vendored ECharts bundle. Rebuild it with
// tools/echarts/build.sh and update this, the vendor README and
// docs/charts.md together.
const echartsSHA256 = "31d9ef67490d08254872303ae930d905425f83534bd86f41a9ceea0d1398ca9d"

const vendorDir = "assets/vendor/echarts"

func TestEChartsAsset(t *testing.T) {
	b, err := fs.ReadFile(themes.Default, vendorDir+"/echarts.min.js")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != echartsSHA256 {
		t.Errorf("echarts.min.js SHA-256 = %s, want %s", got, echartsSHA256)
	}
	// ECharts >= 5.5.1: older versions have a tooltip XSS.
	if !strings.Contains(string(b[:200]), "Apache ECharts 5.6.0") {
		t.Errorf("echarts.min.js does not start with the 5.6.0 banner: %q", b[:120])
	}
	for _, name := range []string{"LICENSE", "NOTICE"} {
		l, err := fs.ReadFile(themes.Default, vendorDir+"/"+name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !strings.Contains(string(l), "Apache") {
			t.Errorf("%s does not look like ECharts' %s", name, name)
		}
	}
	// The bundle must not load anything from elsewhere at run time.
	for _, host := range []string{"cdn.jsdelivr", "unpkg.com", "googleapis"} {
		if strings.Contains(string(b), host) {
			t.Errorf("echarts.min.js mentions %s", host)
		}
	}
}
