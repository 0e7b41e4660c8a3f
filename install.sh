#!/bin/sh
# Installs the oomscope single executable: /usr/local/bin/oomscope as root, else ~/.local/bin/oomscope.
#
#   sh install.sh [SOURCE]        install (or re-install over) oomscope from SOURCE
#   sh install.sh --uninstall     remove what install put there
#
# SOURCE is a file (e.g. dist/oomscope-linux-x64 from `npm run build:exe`) or an http(s) URL; without it, the
# release for this machine's architecture: $OOMSCOPE_RELEASE_URL/oomscope-linux-<x64|arm64>.
# DESTDIR, when set, is put in front of the install folder (for packaging and tests), as `make install` does.
# POSIX sh: runs under dash, busybox sh and bash alike.
set -eu

RELEASE_URL=${OOMSCOPE_RELEASE_URL:-https://github.com/oomscope/oomscope/releases/latest/download}
DESTDIR=${DESTDIR:-}

say() { printf '%s\n' "$*"; }
die() {
  printf 'oomscope install: %s\n' "$*" >&2
  exit 1
}

usage() {
  say "usage: sh install.sh [FILE|URL]     install oomscope (default: the release for this machine)"
  say "       sh install.sh --uninstall    remove it"
}

# The architecture as the executables are named; anything else has no executable.
machine_arch() {
  [ "$(uname -s)" = Linux ] || die "oomscope runs on Linux; this is $(uname -s)"
  case "$(uname -m)" in
    x86_64 | amd64) echo x64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) die "no oomscope executable for the architecture $(uname -m) (there are x64 and arm64); use npm instead: npm install -g oomscope" ;;
  esac
}

# The architecture an ELF file is built for, from its e_machine field (bytes 18-19, little-endian).
file_arch() {
  magic=$(od -An -tx1 -N4 "$1" | tr -d ' \n')
  [ "$magic" = 7f454c46 ] || { echo not-elf; return; }
  case "$(od -An -tx1 -j18 -N2 "$1" | tr -d ' \n')" in
    3e00) echo x64 ;;
    b700) echo arm64 ;;
    *) echo other ;;
  esac
}

install_dir() {
  if [ "$(id -u)" = 0 ]; then
    echo /usr/local/bin
  else
    [ -n "${HOME:-}" ] || die "HOME is not set, so there is no ~/.local/bin; run as root for /usr/local/bin"
    echo "$HOME/.local/bin"
  fi
}

fetch() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 -o "$2" "$1" || die "could not download $1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1" || die "could not download $1"
  else
    die "neither curl nor wget is here to download $1; download it another way and give its path"
  fi
}

uninstall() {
  dir=$(install_dir)
  target="$DESTDIR$dir/oomscope"
  if [ -e "$target" ]; then
    rm -f "$target"
    say "Removed $dir/oomscope."
  else
    say "Nothing to remove: $dir/oomscope is not there."
  fi
}

install_from() {
  source=$1
  arch=$(machine_arch)
  dir=$(install_dir)
  mkdir -p "$DESTDIR$dir" || die "cannot create $DESTDIR$dir"
  # Written beside the target, then renamed over it: a running oomscope keeps its old file, nobody sees half a file.
  tmp="$DESTDIR$dir/.oomscope.install.$$"
  trap 'rm -f "$tmp"' EXIT
  trap 'exit 130' INT TERM
  case "$source" in
    http://* | https://*) fetch "$source" "$tmp" ;;
    *)
      [ -f "$source" ] || die "$source is not a file"
      cp "$source" "$tmp" || die "cannot copy $source to $DESTDIR$dir"
      ;;
  esac
  got=$(file_arch "$tmp")
  [ "$got" = "$arch" ] || die "$source is not an oomscope executable for this machine ($arch): it is $got"
  chmod 755 "$tmp"
  version=$("$tmp" --version 2>/dev/null) || die "$source does not run here ($tmp --version failed)"
  mv -f "$tmp" "$DESTDIR$dir/oomscope"
  trap - EXIT
  say "Installed oomscope $version as $dir/oomscope."
  case ":${PATH:-}:" in
    *":$dir:"*) run=oomscope ;;
    *)
      run="$dir/oomscope"
      say "$dir is not on your PATH: run it as $run, or add the folder: export PATH=\"$dir:\$PATH\""
      ;;
  esac
  say "Next: $run demo                                  # a sample server's deaths, explained"
  say "      $run diagnose --dir /www/wwwroot/YOUR-SITE   # why your site went down"
}

case "${1:-}" in
  -h | --help) usage ;;
  --uninstall) uninstall ;;
  -*) usage >&2; exit 2 ;;
  "") install_from "$RELEASE_URL/oomscope-linux-$(machine_arch)" ;;
  *) install_from "$1" ;;
esac
