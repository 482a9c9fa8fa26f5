#!/bin/sh
# Runs the playbook against this machine (-i localhost, -c local) in a temporary home, with the
# example dotfiles as the repository: a first run links, a second reports changed=0, --check
# reports a missing link without making it, and a file in the way fails the run with
# linkman's message. Needs ansible-playbook, git, node and a built dist/linkman.mjs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ -f "$root/dist/linkman.mjs" ] || { echo "test.sh: run npm run build first" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" XDG_STATE_HOME="$work/home/.local/state"
export LC_ALL=C.UTF-8 ANSIBLE_PYTHON_INTERPRETER=auto_silent ANSIBLE_NOCOLOR=1 ANSIBLE_PIPELINING=1
mkdir -p "$HOME"

# The dotfiles repository the hosts clone: linkman's example, committed into a fresh repository.
mkdir -p "$work/repo/examples"
cp -R "$root/examples/dotfiles" "$work/repo/examples/dotfiles"
cp "$root/links.example.yaml" "$work/repo/links.example.yaml"
git -C "$work/repo" init -q
git -C "$work/repo" add -A
git -C "$work/repo" -c user.name=test -c user.email=test@example.invalid commit -qm dotfiles

play() {
  ansible-playbook -i localhost, -c local "$here/playbook.yml" \
    -e dotfiles_repo="$work/repo" -e linkman_manifest=examples/dotfiles/links.yaml "$@"
}
fail() {
  echo "test.sh: $*" >&2
  exit 1
}
recap() { grep -E '^localhost +:' "$1"; }

echo "== first run: links everything"
play >"$work/1.log" || { cat "$work/1.log"; fail "the first run failed"; }
recap "$work/1.log"
recap "$work/1.log" | grep -q ' changed=[1-9]' || fail "the first run changed nothing"
[ -L "$HOME/.vimrc" ] || fail "$HOME/.vimrc is not a link after the first run"

echo "== second run: nothing to do"
play >"$work/2.log" || { cat "$work/2.log"; fail "the second run failed"; }
recap "$work/2.log"
recap "$work/2.log" | grep -q ' changed=0 ' || fail "the second run reported a change"

echo "== --check with a link removed: reported, not made"
rm "$HOME/.vimrc"
play --check >"$work/3.log" || { cat "$work/3.log"; fail "the --check run failed"; }
recap "$work/3.log"
recap "$work/3.log" | grep -q ' changed=1 ' || fail "--check did not report the missing link"
if [ -e "$HOME/.vimrc" ] || [ -L "$HOME/.vimrc" ]; then fail "--check made the link"; fi

echo "== a file in the way: the run fails with linkman's message, the file is kept"
echo "mine" >"$HOME/.vimrc"
if play >"$work/4.log"; then cat "$work/4.log"; fail "a conflict did not fail the run"; fi
grep -F "a file is in the way" "$work/4.log" || { cat "$work/4.log"; fail "no linkman message"; }
recap "$work/4.log"
[ "$(cat "$HOME/.vimrc")" = mine ] || fail "the file in the way was changed"
echo "ok"
