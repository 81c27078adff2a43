#!/usr/bin/env bash
# expect_exit.sh CODE REGEX -- command...: passes when the command exits with
# CODE and its stdout+stderr matches the extended REGEX.
set -u
want=$1; regex=$2; shift 3
out=$("$@" 2>&1); rc=$?
if [ "$rc" != "$want" ]; then
  printf 'expected exit %s, got %s; output:\n%s\n' "$want" "$rc" "$out"; exit 1
fi
if ! printf '%s' "$out" | grep -Eq -- "$regex"; then
  printf 'output does not match /%s/:\n%s\n' "$regex" "$out"; exit 1
fi
printf 'ok: exit %s, output matches /%s/\n' "$rc" "$regex"
