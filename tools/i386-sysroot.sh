#!/usr/bin/env bash
# i386-sysroot.sh DIR [PKG...]: an unpacked Debian i386 root for `dbtlab -L DIR` (and qemu-i386 -L):
# the packages below and any named PKGs, fetched with `apt-get download PKG:i386` through a private apt state
# under DIR/.apt (the machine's own apt configuration and architectures are left alone),
# unpacked with `dpkg-deb -x`, plus etc/ld.so.conf and `ldconfig -r DIR` so that ld.so finds
# the libraries through the sysroot's own /etc/ld.so.cache. Idempotent: a DIR already built of the
# same packages (listed in DIR/.complete) is left as it is; one built of others (a test's list grew)
# is built again. Never committed: tests build it in their cache directory.
# SYSROOT_ARCH=amd64 builds the same root of x86-64 packages (for qemu-x86_64 -L and differential
# sweeps against one Debian release on both architectures).
set -euo pipefail
dir=${1:?usage: [SYSROOT_ARCH=amd64] i386-sysroot.sh DIR [PKG...]}
shift
arch=${SYSROOT_ARCH:-i386}
case $arch in i386) triplet=i386-linux-gnu ;; amd64) triplet=x86_64-linux-gnu ;; *) echo "i386-sysroot: unknown SYSROOT_ARCH $arch" >&2; exit 2 ;; esac
PACKAGES=(libc6 libgcc-s1 libacl1 libattr1 libgmp10 libmpfr6 libpcre2-8-0 libreadline8 libselinux1
  libsigsegv2 libtinfo6 coreutils grep sed gawk findutils "$@")
if [ -e "$dir/.complete" ]; then
  [ "$(cat "$dir/.complete")" = "${PACKAGES[*]}" ] && exit 0
  rm -rf "$dir"
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
apt_dir=$dir/.apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs"
APT=(-q -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o APT::Architecture=$arch
  -o APT::Architectures::=$arch -o Dir::State::status=/dev/null -o Debug::NoLocking=1)
# a mirror caught mid-sync fails one index (security, updates): the others are still used
apt-get "${APT[@]}" update >&2 || echo "i386-sysroot: apt-get update reported errors; going on with the indexes it got" >&2
(cd "$apt_dir/debs" && apt-get "${APT[@]}" download "${PACKAGES[@]/%/:$arch}" >&2)
for deb in "$apt_dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir"; done
mkdir -p "$dir/etc"
printf '/lib/%s\n/usr/lib/%s\n' "$triplet" "$triplet" >"$dir/etc/ld.so.conf"
ldconfig -r "$dir"
rm -rf "$apt_dir"
echo "${PACKAGES[*]}" >"$dir/.complete"
