#!/usr/bin/env bash
# Offline preview of one stack at the base and at the head of a pull request:
# the plan and the policy results of each side, and the diff between them.
# Needs no cloud credentials and no Pulumi CLI: the program runs under the
# mock runtime (bp preview), the pack runs in-process (bp policy).
#
#   pr-preview.sh STACK BASE_REF OUT_DIR
#
# OUT_DIR receives base.plan.json, head.plan.json, base.policy.json,
# head.policy.json, diff.md (the comment), diff.json, diff.txt, meta.json
# and the logs. Exit 0: done; 1: the head has mandatory policy violations;
# 2: the head cannot be previewed or the arguments are wrong.
# PYTHON picks the interpreter (default python3); PR_NUMBER and ARTIFACT
# go into meta.json and the comment.
set -uo pipefail

if [ $# -ne 3 ]; then
  echo "usage: pr-preview.sh STACK BASE_REF OUT_DIR" >&2
  exit 2
fi
stack=$1
base_ref=$2
out=$3
python=$(command -v "${PYTHON:-python3}") || { echo "pr-preview: no Python at ${PYTHON:-python3}" >&2; exit 2; }
case $python in /*) ;; *) python=$PWD/$python ;; esac
if ! [[ $stack =~ ^[a-z0-9][a-z0-9-]{0,62}$ ]]; then
  echo "pr-preview: stack '$stack' is not a stack name (lower-case letters, digits and '-')" >&2
  exit 2
fi
repo=$(git rev-parse --show-toplevel) || exit 2
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
cleanup() {
  git -C "$repo" worktree remove --force "$work/base" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

# Each side runs its own code from its own directory: `python -m blueprint`
# imports the package of the current directory first.
preview() {  # preview DIR SIDE -> 0 when the plan was written
  (cd "$1" && "$python" -m blueprint preview "$stack" --json "$out/$2.plan.json" >"$out/$2.preview.log" 2>&1)
}
policy() {  # policy DIR SIDE -> the policy command's exit code (1: mandatory violations)
  (cd "$1" && "$python" -m blueprint policy "$stack" --json "$out/$2.policy.json" >"$out/$2.policy.log" 2>&1)
}

if ! preview "$repo" head; then
  echo "pr-preview: the head cannot be previewed; see $out/head.preview.log" >&2
  cat "$out/head.preview.log" >&2
  exit 2
fi
policy "$repo" head
head_policy=$?

base_plan=none
base_note=""
if ! git -C "$repo" worktree add --quiet --detach "$work/base" "$base_ref" >"$out/base.checkout.log" 2>&1; then
  base_note="the base $base_ref cannot be checked out"
elif [ ! -f "$work/base/Pulumi.$stack.yaml" ]; then
  base_note="the stack is new in this change"
elif ! preview "$work/base" base; then
  base_note="the base cannot be previewed (see base.preview.log)"
else
  base_plan="$out/base.plan.json"
fi
policy_args=()
if [ "$base_plan" != none ]; then
  policy "$work/base" base
  if [ -f "$out/base.policy.json" ] && [ -f "$out/head.policy.json" ]; then
    policy_args=(--policy "$out/base.policy.json" "$out/head.policy.json")
  fi
fi

valid_at=$(TZ=UTC git -C "$repo" show -s --format=%cd --date=iso-strict-local HEAD)
artifact=${ARTIFACT:-the pr-preview-$stack artifact of this check}
status=0
for format in markdown json text; do
  case $format in
    markdown) file=$out/diff.md ;;
    json) file=$out/diff.json ;;
    *) file=$out/diff.txt ;;
  esac
  if ! "$python" -m blueprint diff "$base_plan" "$out/head.plan.json" "${policy_args[@]}" --format "$format" \
      --valid-at "$valid_at" --artifact "$artifact" --output "$file" 2>>"$out/diff.log"; then
    cat "$out/diff.log" >&2
    status=2
  fi
done
if [ -n "$base_note" ] && [ -f "$out/diff.md" ]; then
  printf '\n_Base: %s; every resource is shown as created._\n' "$base_note" >>"$out/diff.md"
fi

"$python" - "$out/meta.json" "$stack" "$valid_at" "${PR_NUMBER:-}" "$(git -C "$repo" rev-parse HEAD)" <<'PY'
import json, sys
path, stack, valid_at, pr, head = sys.argv[1:]
json.dump({"project": "blueprint", "stack": stack, "validAt": valid_at, "pr": int(pr) if pr.isdigit() else None,
           "headSha": head}, open(path, "w"), indent=2)
PY

if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$out/diff.md" ]; then
  cat "$out/diff.md" >>"$GITHUB_STEP_SUMMARY"
fi
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
if [ "$head_policy" -eq 1 ]; then
  echo "pr-preview: the head has mandatory policy violations (see head.policy.log)" >&2
  exit 1
fi
if [ "$head_policy" -ne 0 ]; then
  echo "pr-preview: the policy pack failed on the head (see head.policy.log)" >&2
  cat "$out/head.policy.log" >&2
  exit 2
fi
exit 0
