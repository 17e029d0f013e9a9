#!/usr/bin/env bash
# Takes a fresh Debian 12 machine (Node 20, root) to a built dbtlab:
# system packages (oracles and the i386 toolchain), pnpm, dependencies, build, workloads.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v gcc >/dev/null && [ -e /usr/lib32/libc.a ] || need+=(gcc-multilib)
command -v qemu-i386 >/dev/null && command -v qemu-mips64el >/dev/null || need+=(qemu-user)
command -v mips64el-linux-gnuabi64-objdump >/dev/null || need+=(binutils-mips64el-linux-gnuabi64)
command -v objdump >/dev/null || need+=(binutils)
command -v parallel >/dev/null || need+=(parallel)   # the shard test runs experiment shards with GNU parallel
command -v chromium >/dev/null || need+=(chromium)   # the browser test of reports/report.html
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: apt-get install ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")
if ! command -v pnpm >/dev/null || [ "$(pnpm --version)" != "$PNPM_VERSION" ]; then
  echo "setup: npm install -g pnpm@$PNPM_VERSION" >&2
  npm install -g --silent "pnpm@$PNPM_VERSION"
fi
bash tools/i386-binfmt.sh
# where i386 programs go through qemu-i386, Linux's own i386 ABI is observed in a kernel VM
node -e "process.exit(require('./tools/host-runs-i386.cjs').i386RunsNatively() ? 0 : 1)" || bash tools/kernel-vm.sh fetch >/dev/null
pnpm install --frozen-lockfile --reporter=silent
pnpm exec nx run-many -t build --outputStyle=static >/dev/null
bash packages/harness/workloads/build.sh
