#!/bin/sh
# Rebuilds themes/default/assets/vendor/echarts/echarts.min.js from the pinned
# npm packages in package-lock.json. Needs Node and npm; run from anywhere.
# The output is deterministic: the same lock file gives the same bytes.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../themes/default/assets/vendor/echarts"
cd "$here"
npm ci --no-audit --no-fund
mkdir -p "$out"
npx --no-install esbuild entry.js \
  --bundle --minify --format=iife --global-name=echarts \
  --target=es2017 --platform=browser \
  --define:process.env.NODE_ENV='"production"' \
  --legal-comments=none \
  --banner:js="/*! Apache ECharts $(node -p "require('echarts/package.json').version") (custom build for coachsite: bar, line, polar, grid, tooltip, title, legend, SVG renderer) | Apache-2.0 | see LICENSE and NOTICE */" \
  --outfile="$out/echarts.min.js"
cp node_modules/echarts/LICENSE node_modules/echarts/NOTICE "$out/"
# ECharts bundles parts of d3 and zrender under their own licenses; keep them.
cp node_modules/echarts/licenses/LICENSE-d3 "$out/LICENSE-d3"
cp node_modules/zrender/LICENSE "$out/LICENSE-zrender"
cd "$out"
echo "raw:  $(wc -c < echarts.min.js) bytes"
echo "gzip: $(gzip -9n < echarts.min.js | wc -c) bytes"
echo "sha256: $(sha256sum echarts.min.js | cut -d' ' -f1)"
