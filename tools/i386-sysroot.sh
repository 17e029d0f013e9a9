#!/usr/bin/env bash
# i386-sysroot.sh DIR: an unpacked Debian i386 root for `dbtlab -L DIR` (and qemu-i386 -L):
# the packages below, fetched with `apt-get download PKG:i386` through a private apt state
# under DIR/.apt (the machine's own apt configuration and architectures are left alone),
# unpacked with `dpkg-deb -x`, plus etc/ld.so.conf and `ldconfig -r DIR` so that ld.so finds
# the libraries through the sysroot's own /etc/ld.so.cache. Idempotent: a DIR already built
# (DIR/.complete) is left as it is. Never committed: tests build it in their cache directory.
set -euo pipefail
dir=${1:?usage: i386-sysroot.sh DIR}
[ -e "$dir/.complete" ] && exit 0
PACKAGES=(libc6 libgcc-s1 libacl1 libattr1 libgmp10 libmpfr6 libpcre2-8-0 libreadline8 libselinux1
  libsigsegv2 libtinfo6 coreutils grep sed gawk findutils)
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
apt_dir=$dir/.apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs"
APT=(-q -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o APT::Architecture=i386
  -o APT::Architectures::=i386 -o Dir::State::status=/dev/null -o Debug::NoLocking=1)
# a mirror caught mid-sync fails one index (security, updates): the others are still used
apt-get "${APT[@]}" update >&2 || echo "i386-sysroot: apt-get update reported errors; going on with the indexes it got" >&2
(cd "$apt_dir/debs" && apt-get "${APT[@]}" download "${PACKAGES[@]/%/:i386}" >&2)
for deb in "$apt_dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir"; done
mkdir -p "$dir/etc"
printf '/lib/i386-linux-gnu\n/usr/lib/i386-linux-gnu\n' >"$dir/etc/ld.so.conf"
ldconfig -r "$dir"
rm -rf "$apt_dir"
touch "$dir/.complete"
