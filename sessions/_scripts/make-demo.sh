#!/usr/bin/env bash
# Regenerates the fictional demo sessions in sessions/ through the real session
# flow: each meeting is one plain-mode run of `sfcoach start` fed by the answer
# script beside this file (one line per answer, see "Plain mode" in DESIGN.md).
#
#   SFCOACH=/path/to/.venv/bin/sfcoach bash sessions/_scripts/make-demo.sh
#
# Deletes the generated client folders (sessions/K1 ...) first; _scripts is kept.
set -euo pipefail
unset SFCOACH_LANG SFCOACH_STORE SFCOACH_PRACTITIONER
export NO_COLOR=1

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STORE="$(cd "$HERE/.." && pwd)"
SFCOACH="${SFCOACH:-sfcoach}"

for client in K1 K2 K3 K4; do
  rm -rf -- "${STORE:?}/$client"
done

# run SCRIPT START-OPTIONS...: one meeting; fails unless it ends saved as completed.
run() {
  local script="$1" out
  shift
  if ! out="$("$SFCOACH" --store "$STORE" start "$@" < "$HERE/$script" 2>&1)"; then
    printf '%s\n' "$out" >&2
    echo "make-demo: $script: sfcoach failed" >&2
    exit 1
  fi
  if ! printf '%s\n' "$out" | tail -n 3 | grep -Eq 'Saved as completed|Sparat som avslutat'; then
    printf '%s\n' "$out" >&2
    echo "make-demo: $script did not end \"Saved as completed\"" >&2
    exit 1
  fi
  echo "$script: completed"
}

run K1-1.txt --client K1 --lang sv --practitioner "Handläggare A" --date 2026-03-02T09:30 --meeting first-visit
run K1-2.txt --client K1 --lang sv --practitioner "Handläggare A" --date 2026-04-07T10:00
run K1-3.txt --client K1 --lang sv --practitioner "Handläggare A" --date 2026-05-05T09:30
run K1-4.txt --client K1 --lang sv --practitioner "Handläggare A" --date 2026-06-09T13:00
run K1-5.txt --client K1 --lang sv --practitioner "Handläggare A" --date 2026-08-25T14:00 --meeting check-in

run K2-1.txt --client K2 --lang sv --practitioner "Handläggare B" --date 2026-03-10T13:00 --meeting first-visit
run K2-2.txt --client K2 --lang sv --practitioner "Handläggare B" --date 2026-03-24T13:00 --meeting plan
run K2-3.txt --client K2 --lang sv --practitioner "Handläggare B" --date 2026-04-14T13:00
run K2-4.txt --client K2 --lang sv --practitioner "Handläggare B" --date 2026-05-19T13:00
run K2-5.txt --client K2 --lang sv --practitioner "Handläggare B" --date 2026-06-23T13:00

run K3-1.txt --client K3 --lang en --practitioner "Caseworker C" --date 2026-04-20T10:00 --meeting first-visit
run K3-2.txt --client K3 --lang en --practitioner "Caseworker C" --date 2026-05-25T10:00
run K3-3.txt --client K3 --lang en --practitioner "Caseworker C" --date 2026-06-29T10:00

run K4-1.txt --client K4 --lang en --practitioner "Caseworker D" --date 2026-07-06T09:00 --meeting first-visit
run K4-2.txt --client K4 --lang en --practitioner "Caseworker D" --date 2026-08-10T09:00
run K4-3.txt --client K4 --lang en --practitioner "Caseworker D" --date 2026-09-21T09:00 --meeting closing
