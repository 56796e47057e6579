#!/usr/bin/env bash
# Checks the committee report as a person would, with real programs (run on demand; not
# part of the test suite). Needs: Debian's chromium, poppler-utils and libreoffice, and
# `npm install` in tools/ (axe-core, playwright-core).
#   bash tools/check-report.sh [OUT_DIR]     (default: a new temporary folder)
# Writes every format of the report on each shipped plan as at 2017-01-05, then:
#   - axe-core on each HTML in Chromium (WCAG 2.2 AA), screenshots at desktop and A4
#     widths, and Chromium's own print to PDF;
#   - pdfinfo on each WeasyPrint PDF (tagged, A4 landscape, title) and its first pages
#     as PNG;
#   - each XLSX converted to PDF by LibreOffice and its first page as PNG;
#   - each DOCX converted to PDF by LibreOffice: pdfinfo (A4 landscape), whether the page
#     after the full table's first has the header row again, and its first pages as PNG.
# Then look at the PNGs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$(mktemp -d /tmp/improve-report-check.XXXXXX)}"
mkdir -p "$out"
improve="$root/.venv/bin/improve"
plans="$root/plans"
db="$out/history.db"
status=0
for plan in $(cd "$plans" && ls *.toml | sed 's/\.toml$//'); do
  for fmt in html pdf docx xlsx md csv; do
    "$improve" --plans "$plans" --db "$db" --today 2017-01-05 report "$plan" --format "$fmt" -o "$out/$plan.$fmt" >/dev/null
  done
  info="$(pdfinfo "$out/$plan.pdf")"
  tagged=$(grep -c '^Tagged: *yes' <<<"$info" || true)
  a4l=$(grep -c '^Page size: *841.89 x 595.2' <<<"$info" || true)
  pages=$(awk '/^Pages:/{print $2}' <<<"$info")
  echo "$plan.pdf: tagged=$([[ $tagged == 1 ]] && echo yes || echo NO) a4-landscape=$([[ $a4l == 1 ]] && echo yes || echo NO) pages=$pages"
  [[ $tagged == 1 && $a4l == 1 ]] || status=1
  pdftoppm -r 60 -f 1 -l 2 -png "$out/$plan.pdf" "$out/$plan-pdf"
  (cd "$out" && soffice --headless --convert-to pdf --outdir "$out/xlsx" "$out/$plan.xlsx" >/dev/null 2>&1) || { echo "$plan.xlsx: LibreOffice could not open it"; status=1; }
  [[ -f "$out/xlsx/$plan.pdf" ]] && pdftoppm -r 60 -f 1 -l 2 -png "$out/xlsx/$plan.pdf" "$out/$plan-xlsx"
  (cd "$out" && soffice --headless --convert-to pdf --outdir "$out/docx" "$out/$plan.docx" >/dev/null 2>&1) || { echo "$plan.docx: LibreOffice could not open it"; status=1; }
  if [[ -f "$out/docx/$plan.pdf" ]]; then
    info="$(pdfinfo "$out/docx/$plan.pdf")"
    a4l=$(grep -c '^Page size: *841.89 x 595.[23]' <<<"$info" || true)
    pages=$(awk '/^Pages:/{print $2}' <<<"$info")
    # the page after the one the full table starts on (its caption, kept with it, says
    # "every action, by theme and recommendation") begins with the header row again
    first=$(for ((p = 1; p <= pages; p++)); do pdftotext -f $p -l $p "$out/docx/$plan.pdf" - | tr '\n' ' ' | grep -q 'every action, by theme and recommendation' && { echo $p; break; }; done || true)
    repeats=NO
    if [[ -n "$first" && $first -lt $pages ]] && pdftotext -f $((first + 1)) -l $((first + 1)) "$out/docx/$plan.pdf" - | head -1 | grep -qx 'Ref'; then repeats=yes; fi
    echo "$plan.docx: a4-landscape=$([[ $a4l == 1 ]] && echo yes || echo NO) header-row-repeats=$repeats pages=$pages"
    [[ $a4l == 1 && $repeats == yes ]] || status=1
    pdftoppm -r 50 -f 1 -l 3 -png "$out/docx/$plan.pdf" "$out/$plan-docx"
  fi
done
node "$root/tools/check-report.mjs" "$out" "$out"/*.html || status=1
echo "Everything is in $out (look at the PNGs)."
exit $status
