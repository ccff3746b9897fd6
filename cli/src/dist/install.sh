#!/usr/bin/env bash
# ./loopline install [--prefix DIR]: unpacks the distribution into DIR/share/loopline, links DIR/bin/loopline to its
# launcher, and installs the bash and zsh completion the build generated (completion/loopline.bash in the
# distribution). DIR defaults to ~/.local (so the command lands in ~/.local/bin).
set -euo pipefail
TARBALL="$1"
REPOSITORY="$2"
shift 2
PREFIX="${HOME}/.local"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --prefix) PREFIX="${2:?--prefix needs a directory}"; shift 2 ;;
    --prefix=*) PREFIX="${1#--prefix=}"; shift ;;
    *) echo "loopline install: unknown option '$1' (usage: ./loopline install [--prefix DIR])" >&2; exit 64 ;;
  esac
done
mkdir -p "$PREFIX"
PREFIX="$(cd "$PREFIX" && pwd)"
SHARE="$PREFIX/share/loopline"
rm -rf "$SHARE"
mkdir -p "$SHARE" "$PREFIX/bin"
tar -xzf "$TARBALL" -C "$SHARE" --strip-components=1
echo "$REPOSITORY" > "$SHARE/repository"
ln -sfn "$SHARE/bin/loopline" "$PREFIX/bin/loopline"
COMPLETIONS="$PREFIX/share/bash-completion/completions"
mkdir -p "$COMPLETIONS"
if [[ ! -f "$SHARE/completion/loopline.bash" ]]; then
  echo "loopline install: $TARBALL has no completion/loopline.bash; rebuild it with ./mvnw -pl cli -am package" >&2
  exit 1
fi
cp "$SHARE/completion/loopline.bash" "$COMPLETIONS/loopline"
echo "installed loopline in $PREFIX/bin/loopline (files in $SHARE)"
case ":$PATH:" in
  *":$PREFIX/bin:"*) ;;
  *) echo "add it to your PATH: echo 'export PATH=\"$PREFIX/bin:\$PATH\"' >> ~/.bashrc (or ~/.zshrc)" ;;
esac
echo "completion: bash loads $COMPLETIONS/loopline by itself (bash-completion); for zsh add to ~/.zshrc:"
echo "  autoload -U +X compinit && compinit; autoload -U +X bashcompinit && bashcompinit; source $SHARE/completion/loopline.bash"
