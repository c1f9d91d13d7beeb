# kernel-abi.sh - the ONE pinned Debian kernel ABI iopmem builds for and
# boots in its test VMs (the one linux-image-amd64 depended on when pinned).
# Sourced by the setup script and the VM harness; the Makefile reads it too.
KABI=6.1.0-56-amd64
top=${top:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
CACHE=${IOPMEM_CACHE:-$top/.cache}
GUEST_ROOT=$CACHE/guest-kernel
KDIR=/usr/src/linux-headers-$KABI
